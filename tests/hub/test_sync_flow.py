"""Two laptops and one hub process on a throwaway PostgreSQL: join, sync, merge, refuse."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.sync_tables import HubConflict
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.queries import search
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import privacy, sync
from wijkwerk_tui.store import areas, ladders, residents, workers


def _laptop(tmp_path: Path, name: str, clock: FakeClock) -> Unlocked:
    return laptops.laptop(tmp_path, name, clock)


def _schema(db: Database) -> set[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return {tuple(row) for row in connection.exec_driver_sql("SELECT type, name, sql FROM sqlite_master")}


def _invite(hub: Hub) -> str:
    return laptops.invite(hub.database)


def _joined(tmp_path: Path, name: str, hub: Hub, clock: FakeClock) -> Unlocked:
    return laptops.joined(tmp_path, name, hub.url, hub.database, clock)


@pytest.fixture
def real_clock() -> FakeClock:
    # The hub compares stamps with its own clock: the laptops' clocks start at the real now.
    return FakeClock(datetime.now(UTC))


def _as_laptop(hub: Hub, laptop: Unlocked) -> httpx.Client:
    return laptops.as_laptop(hub.url, laptop)


def _area(laptop: Unlocked, name: str) -> uuid.UUID:
    return next(a.id for a in areas.list_areas(laptop.db) if a.name == name)


def test_issue17_a_ladder_step_recorded_on_one_laptop_shows_on_the_other(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    ruinen, zuidwolde = _joined(tmp_path, "ruinen", hub, real_clock), _joined(tmp_path, "zuidwolde", hub, real_clock)
    anna = residents.add_resident(
        ruinen.db, ruinen.worker_id, PersonalData("Anna", "de", "Vries", 1950), _area(ruinen, "Ruinen")
    )
    ladders.record_step(ruinen.db, ruinen.worker_id, anna.id, Ladder.PARTICIPATION, 3, date(2026, 11, 2))
    assert sync.status(ruinen.db).waiting > 0
    sync.sync(ruinen.db)
    assert sync.status(ruinen.db).waiting == 0
    sync.sync(zuidwolde.db)
    there = residents.get_resident(zuidwolde.db, zuidwolde.worker_id, anna.id, audited=False)
    assert (there.given_name, there.family_name) == ("Anna", "Vries")
    assert there.participation_step == 3  # recomputed there, not sent
    assert [s.step for s in ladders.history(zuidwolde.db, anna.id, Ladder.PARTICIPATION)] == [3]
    # Both laptops made "Ruinen" and "Sanne Kuiper": the organisation has one of each, and
    # the resident lives in the receiving laptop's own "Ruinen".
    assert there.area_id == _area(zuidwolde, "Ruinen")
    assert sorted(a.name for a in areas.list_areas(zuidwolde.db)) == ["Ruinen", "Zuidwolde"]
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM area")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM worker")).scalar() == 1
    engine.dispose()


def test_issue17_a_sync_pushes_what_waited_when_it_began_and_ends_while_a_worker_keeps_working(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every opened file leaves a view entry in the outbox: a worker opening files while a page
    goes up must not keep the sync pushing for ever (it did: 20 minutes at 100 000 residents)."""
    laptop = _joined(tmp_path, "ruinen", hub, real_clock)
    sync.sync(laptop.db)
    anna = residents.add_resident(laptop.db, laptop.worker_id, PersonalData("Anna", "", "Vries", 1950), None)
    for step in range(1, 6):
        ladders.record_step(laptop.db, laptop.worker_id, anna.id, Ladder.PARTICIPATION, step, date(2026, 11, step))
    waited = sync.status(laptop.db).waiting
    assert waited > 3
    monkeypatch.setattr(sync, "PUSH_PAGE", waited - 1)  # (two pages: the second of one change)
    calls = sync.hub_call
    pushes: list[int] = []

    def while_someone_opens_a_file(client, method, path, **kwargs):  # type: ignore[no-untyped-def]
        if path == "/v1/push":
            pushes.append(len(kwargs["json"]["changes"]))
            assert len(pushes) < 50, "the push never ends"
            residents.get_resident(laptop.db, laptop.worker_id, anna.id)  # (audited: a view entry)
        return calls(client, method, path, **kwargs)

    monkeypatch.setattr(sync, "hub_call", while_someone_opens_a_file)
    result = sync.sync(laptop.db)
    assert result.pushed == waited == sum(pushes) and pushes == [waited - 1, 1]
    assert sync.status(laptop.db).waiting == len(pushes)  # the views, for the next sync
    monkeypatch.setattr(sync, "hub_call", calls)
    sync.sync(laptop.db)
    assert sync.status(laptop.db).waiting == 0


def test_issue17_a_push_sent_twice_is_applied_once(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    laptop = _joined(tmp_path, "ruinen", hub, real_clock)
    pending = sync._pending(laptop.db)
    body = {"changes": [sync.wire(e) for e in pending]}
    with _as_laptop(hub, laptop) as client:
        first = client.post("/v1/push", json=body).json()
        again = client.post("/v1/push", json=body).json()
    assert first["toegepast"] == len(pending) > 0
    assert (again["toegepast"], again["bekend"]) == (0, len(pending))
    sync.sync(laptop.db)  # the laptop never heard: it sends them again, nothing doubles
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM area")).scalar() == 2
        changes = connection.execute(text("SELECT count(*) FROM hubchange")).scalar()
    engine.dispose()
    assert changes == len(pending)


def test_issue17_the_same_phone_changed_on_two_laptops_is_a_conflict_with_both_values(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    piet = residents.add_resident(a.db, a.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    sync.sync(a.db)
    sync.sync(b.db)
    for laptop, phone, email in ((a, "0612345678", ""), (b, "0687654321", "piet@example.org")):
        data = PersonalData("Piet", "", "Bakker", 1944, phone=phone, email=email)
        residents.update_resident(laptop.db, laptop.worker_id, piet.id, data, None, None)
    assert sync.sync(a.db).conflicts == 0
    assert sync.sync(b.db).conflicts == 1
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        conflicts = connection.execute(select(HubConflict)).all()
    engine.dispose()
    assert [(c.field, json.loads(c.hub_value), json.loads(c.their_value)) for c in conflicts] == [
        ("phone", "0612345678", "0687654321")
    ]
    sync.sync(a.db)
    # The field nobody else touched (e-mail) went through; the hub kept the first phone for now.
    for laptop in (a, b):
        seen = residents.get_resident(laptop.db, laptop.worker_id, piet.id, audited=False)
        assert (seen.phone, seen.email) == ("0612345678", "piet@example.org")


def test_issue17_an_erasure_reaches_the_other_laptop_and_the_hubs_log(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    kees = residents.add_resident(a.db, a.worker_id, PersonalData("Kees", "", "Wolters", 1939), None)
    ladders.record_step(a.db, a.worker_id, kees.id, Ladder.PARTICIPATION, 2, date(2026, 11, 2), note="Kees belt")
    sync.sync(a.db)
    sync.sync(b.db)
    privacy.erase_resident(a.db, a.worker_id, kees.id)
    sync.sync(a.db)
    sync.sync(b.db)
    there = residents.get_resident(b.db, b.worker_id, kees.id, audited=False)
    assert there.anonymised_at is not None and there.family_name == ""
    assert [s.note for s in ladders.history(b.db, kees.id, Ladder.PARTICIPATION)] == [""]
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        log = " ".join(connection.execute(text("SELECT fields FROM hubchange")).scalars())
    engine.dispose()
    assert "Wolters" not in log and "Kees belt" not in log


def test_issue17_a_laptop_clock_a_day_ahead_is_refused_and_nothing_is_lost(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    laptop = _joined(tmp_path, "ruinen", hub, real_clock)
    sync.sync(laptop.db)
    real_clock.advance(days=1)
    residents.add_resident(laptop.db, laptop.worker_id, PersonalData("Jan", "", "Smit", 1960), None)
    other = _joined(tmp_path, "other", hub, FakeClock(datetime.now(UTC)))
    piet = residents.add_resident(other.db, other.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    sync.sync(other.db)
    waiting = sync.status(laptop.db).waiting  # Jan, and the audit entry of his registration
    assert waiting > 0
    with pytest.raises(sync.SyncError, match="klok van deze laptop staat verkeerd"):
        sync.sync(laptop.db)
    assert sync.status(laptop.db).waiting == waiting
    assert sync.status(laptop.db).offline_since is None  # refused is not offline
    # What the others did still comes in while this laptop's own changes wait.
    assert residents.get_resident(laptop.db, None, piet.id, audited=False).family_name == "Bakker"
    # The clock is set right: the waiting change gets a new stamp and goes up, nothing lost.
    real_clock.advance(days=-1)
    assert sync.sync(laptop.db).pushed == waiting
    assert sync.status(laptop.db).waiting == 0
    sync.sync(other.db)
    assert residents.count_residents(other.db) == 2


def test_issue17_a_revoked_laptop_is_refused(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    laptop = _joined(tmp_path, "ruinen", hub, real_clock)
    engine = hub_engine(hub.database)
    assert devices.revoke(engine, laptop.db.device_id, datetime.now(UTC))
    engine.dispose()
    with pytest.raises(sync.SyncError, match="ontkoppeld"):
        sync.sync(laptop.db)


def test_issue17_a_code_joins_one_laptop_once(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    code = _invite(hub)
    first, second = _laptop(tmp_path, "a", real_clock), _laptop(tmp_path, "b", real_clock)
    sync.join(first.db, first.worker_id, hub.url, code, "a")
    with pytest.raises(sync.SyncError, match="al gebruikt"):
        sync.join(second.db, second.worker_id, hub.url, code, "b")
    assert not sync.status(second.db).joined


def test_issue17_an_older_laptop_is_told_to_update(tmp_path: Path, hub: Hub) -> None:
    answer = httpx.get(hub.url + "/v1/pull", headers={"x-wijkwerk-schema": "0014"})
    assert answer.status_code == 409
    assert "Werk wijkwerk bij" in answer.json()["fout"]


def test_issue17_http_only_on_this_computer(tmp_path: Path, real_clock: FakeClock) -> None:
    laptop = _laptop(tmp_path, "a", real_clock)
    with pytest.raises(ValidationError, match="https"):
        sync.join(laptop.db, laptop.worker_id, "http://hub.example.org", "ABCD", "a")


def test_issue17_an_edit_made_during_a_pull_that_loses_its_conflict_shows_the_hubs_value(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    piet = residents.add_resident(a.db, a.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    sync.sync(a.db)
    sync.sync(b.db)
    residents.update_resident(
        a.db, a.worker_id, piet.id, PersonalData("Piet", "", "Bakker", 1944, phone="0611111111"), None, None
    )
    sync.sync(a.db)
    # On b the worker saves a number while b's sync is between its push and its pull: the pull
    # leaves the waiting field alone (it goes up next), and takes the hub's log past a's change.
    residents.update_resident(
        b.db, b.worker_id, piet.id, PersonalData("Piet", "", "Bakker", 1944, phone="0622222222"), None, None
    )
    with _as_laptop(hub, b) as client:
        sync.pull(b.db, client)
    assert residents.get_resident(b.db, None, piet.id, audited=False).phone == "0622222222"
    assert sync.sync(b.db).conflicts == 1
    # b's number lost (a's came first) and waits in the conflict; b shows what the hub has.
    assert residents.get_resident(b.db, None, piet.id, audited=False).phone == "0611111111"


def test_issue17_one_person_registered_on_two_laptops_is_merged_and_the_merge_syncs(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    from wijkwerk_tui.services import merge_residents

    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    here = residents.add_resident(a.db, a.worker_id, PersonalData("Gerrit", "", "Bakker", 1944), None)
    there = residents.add_resident(b.db, b.worker_id, PersonalData("Gerrit", "", "Bakker", 1944), None)
    ladders.record_step(b.db, b.worker_id, there.id, Ladder.PARTICIPATION, 5, date(2026, 11, 3))
    for laptop in (a, b, a):
        sync.sync(laptop.db)
    assert residents.count_residents(a.db) == 2  # two files for one man
    merge_residents.merge(a.db, a.worker_id, here.id, there.id)
    sync.sync(a.db)
    sync.sync(b.db)
    for laptop in (a, b):
        assert residents.count_residents(laptop.db) == 1
        assert [s.step for s in ladders.history(laptop.db, here.id, Ladder.PARTICIPATION)] == [5]
        assert residents.get_resident(laptop.db, None, here.id, audited=False).participation_step == 5


def test_issue17_a_consent_change_meeting_another_change_goes_to_a_person(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    jan = residents.add_resident(
        a.db, a.worker_id, PersonalData("Jan", "", "Smit", 1950), None, True, date(2026, 11, 1)
    )
    sync.sync(a.db)
    sync.sync(b.db)
    data = PersonalData("Jan", "", "Smit", 1950)
    # a changes his phone; b, not having seen that, records that he withdrew his consent.
    residents.update_resident(
        a.db, a.worker_id, jan.id, PersonalData("Jan", "", "Smit", 1950, phone="0612345678"), None, True
    )
    residents.update_resident(b.db, b.worker_id, jan.id, data, None, False)
    sync.sync(a.db)
    assert sync.sync(b.db).conflicts == 2  # another field changed, yet consent is not merged unseen
    sync.sync(a.db)
    from wijkwerk_tui.store import conflicts

    assert sorted(c.field for c in conflicts.open_for(a.db, a.worker_id)) == ["datum toestemming", "toestemming"]
    # The phone change went through; consent stays as the hub had it until a person chooses.
    seen = residents.get_resident(b.db, None, jan.id, audited=False)
    assert (seen.phone, seen.consent_register) == ("0612345678", True)


def test_issue17_a_laptop_joining_later_takes_in_rows_made_and_changed_since(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    x = _joined(tmp_path, "x", hub, real_clock)
    kees = residents.add_resident(x.db, x.worker_id, PersonalData("Kees", "", "Wolters", 1939), None)
    sync.sync(x.db)
    ladders.record_step(x.db, x.worker_id, kees.id, Ladder.PARTICIPATION, 3, date(2026, 11, 2))
    residents.update_resident(
        x.db, x.worker_id, kees.id, PersonalData("Kees", "", "Wolters", 1939, phone="0612345678"), None, None
    )
    sync.sync(x.db)
    late = _joined(tmp_path, "late", hub, real_clock)  # one page: the insert, the step, the edit
    fresh = _schema(late.db)
    sync.sync(late.db)  # (without its indexes and triggers until the end: it held no residents)
    seen = residents.get_resident(late.db, None, kees.id, audited=False)
    assert (seen.phone, seen.participation_step) == ("0612345678", 3)
    assert [row.id for row in search.search_residents(late.db, "wolters")] == [kees.id]
    assert _schema(late.db) == fresh
    sync.sync(late.db)  # and again, with nothing new
    assert sync.status(late.db).waiting == 0


def test_issue17_text_from_another_laptop_loses_its_escape_sequences(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    sync.sync(b.db)
    forged = {
        "id": str(uuid.uuid4()),
        "table": "resident",
        "row": str(uuid.uuid4()),
        "kind": "insert",
        "fields": {
            "id": None,
            "given_name": "Kees\x1b[2J\x1b[41mROOD\x1b]0;GEHACKT\x07\u202eX",
            "family_name": "Wolters",
            "created_at": datetime.now(UTC).isoformat(),
            "device_id": a.db.device_id,
        },
        "base": 0,
        "hlc": a.db.hlc.now(datetime.now(UTC)).text(),
        "worker": None,
    }
    forged["fields"]["id"] = forged["row"]
    with _as_laptop(hub, a) as client:
        assert client.post("/v1/push", json={"changes": [forged]}).status_code == 200
    sync.sync(b.db)
    shown = residents.get_resident(b.db, None, uuid.UUID(forged["row"]), audited=False).given_name
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "ROOD" in shown


def _forged(laptop: Unlocked, table: str, row: uuid.UUID, kind: str, fields: dict, base: int = 0) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "table": table,
        "row": str(row),
        "kind": kind,
        "fields": fields,
        "base": base,
        "hlc": laptop.db.hlc.now(datetime.now(UTC)).text(),
        "worker": str(laptop.worker_id),
    }


def test_issue17_what_a_token_holder_cannot_do_through_the_hub(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    sync.sync(a.db)
    sync.sync(b.db)
    ruinen = next(x for x in areas.list_areas(b.db) if x.name == "Ruinen")
    with _as_laptop(hub, b) as client:
        # make oneself coordinator, switch someone's account off: not taken over
        grab = _forged(b, "worker", b.worker_id, "update", {"role": "coordinator", "active": False})
        assert client.post("/v1/push", json={"changes": [grab]}).status_code == 200
        # a "choice" that belongs to no conflict of that record: nothing changes
        bogus = _forged(b, "area", ruinen.id, "resolve", {"name": "Gekaapt", "_conflict": str(uuid.uuid4())})
        assert client.post("/v1/push", json={"changes": [bogus]}).status_code == 200
        # take over another laptop's device id with a fresh code
        code = _invite(hub)
        taken = client.post("/v1/join", json={"code": code, "device": a.db.device_id, "name": "x"})
        assert taken.status_code == 409 and "al gekoppeld" in taken.json()["fout"]
    sync.sync(a.db)
    assert sorted(x.name for x in areas.list_areas(a.db)) == ["Ruinen", "Zuidwolde"]
    me = next(w for w in workers.list_workers(a.db, include_inactive=True) if w.id == a.worker_id)
    assert me.active and me.role == "coordinator"
    assert sync.sync(a.db).pushed == 0  # a's token still works


def test_issue17_an_edit_of_an_area_both_laptops_made_reaches_the_other(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    sync.sync(a.db)
    sync.sync(b.db)
    ruinen_b = next(x for x in areas.list_areas(b.db) if x.name == "Ruinen")
    with b.db.transaction() as session:  # b's own "Ruinen", which the hub knows under a's id
        from wijkwerk_tui.db.tables import Area

        row = session.get(Area, ruinen_b.id)
        assert row is not None
        row.sort_order = 7
        session.add(row)
    sync.sync(b.db)
    sync.sync(a.db)
    assert next(x.sort_order for x in areas.list_areas(a.db, include_inactive=True) if x.name == "Ruinen") == 7


def test_issue17_a_row_made_and_changed_before_one_sync_comes_back_without_harm(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = _joined(tmp_path, "a", hub, real_clock)
    piet = residents.add_resident(a.db, a.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    data = PersonalData("Piet", "", "Bakker", 1944, phone="0612345678")
    residents.update_resident(a.db, a.worker_id, piet.id, data, None, None)
    sync.sync(a.db)  # his insert and his edit come back in one page: the edit finds him
    assert residents.get_resident(a.db, None, piet.id, audited=False).phone == "0612345678"
    assert sync.sync(a.db).pulled == 0


@pytest.mark.parametrize("someone_waits", [False, True])
def test_issue17_the_app_takes_a_page_in_whole_or_makes_way_and_ends_with_the_same_data(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, someone_waits: bool
) -> None:
    """Each commit makes the app's reading connections drop their page cache, so a page is
    one transaction; a save waiting meanwhile gets in after GIVE_WAY_EVERY changes."""
    from wijkwerk_tui.services import sync_apply

    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    sync.sync(b.db)  # joined: from now on each step recomputes what it touched
    for n in range(30):
        person = residents.add_resident(a.db, a.worker_id, PersonalData("Anna", "", f"Vries{n}", 1950), None)
        ladders.record_step(a.db, a.worker_id, person.id, Ladder.PARTICIPATION, 1 + n % 6, date(2026, 11, 2))
    sync.sync(a.db)
    steps: list[tuple[int, int]] = []  # (changes offered, changes taken in)
    apply = sync_apply.apply_page

    def counted(db, changes, derive, give_way):  # type: ignore[no-untyped-def]
        taken = apply(db, changes, derive, give_way)
        steps.append((len(changes), taken))
        return taken

    monkeypatch.setattr(sync, "apply_page", counted)
    monkeypatch.setattr(b.db, "writers_waiting", lambda: someone_waits)
    sync.sync(b.db, page=sync.APP_PAGE)  # as the app's sync process does
    offered, taken = zip(*steps, strict=True)
    assert sum(taken) > sync_apply.GIVE_WAY_EVERY
    if someone_waits:  # a write waits for a few changes, not a page
        assert max(taken) == sync_apply.GIVE_WAY_EVERY and len(steps) > 1
    else:
        assert taken == offered  # every page whole
        assert len(steps) == 1

    def picture(laptop: Unlocked) -> set[tuple]:
        with laptop.db.engine.connect() as connection:
            query = text(
                "SELECT r.id, r.family_name, r.participation_step, l.step FROM resident r "
                "JOIN ladderstep l ON l.resident_id = r.id"
            )
            return {tuple(row) for row in connection.execute(query)}

    assert len(picture(b)) == 30
    assert picture(b) == picture(a)  # derived columns recomputed at every step too


@pytest.mark.parametrize(("page", "reading"), [("app", True), ("app", False), ("join", True)])
def test_issue17_the_apps_sync_rests_while_a_worker_reads_and_only_then(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, page: str, reading: bool
) -> None:
    """Two cores cannot give a search, an opened file and a sync at full speed all they want
    (db.in_use): the app's sync rests while the mark says a worker reads; a sync of the
    command line or a join (PULL_PAGE) never does, and what comes in is the same."""
    from wijkwerk_tui.db import in_use
    from wijkwerk_tui.services import sync_apply

    a, b = _joined(tmp_path, "a", hub, real_clock), _joined(tmp_path, "b", hub, real_clock)
    sync.sync(b.db)
    for n in range(30):
        person = residents.add_resident(a.db, a.worker_id, PersonalData("Anna", "", f"Vries{n}", 1950), None)
        ladders.record_step(a.db, a.worker_id, person.id, Ladder.PARTICIPATION, 1 + n % 6, date(2026, 11, 2))
    sync.sync(a.db)
    paces: list[in_use.Pace] = []
    monkeypatch.setattr(b.db, "pace", lambda: paces.append(in_use.Pace(b.db.path)) or paces[-1])
    monkeypatch.setattr(in_use, "FRESH_S", 3600.0)  # (however slow this machine is today)
    if reading:
        in_use.InUseMark(b.db.path).touch()  # as the app's search does during a sync
    pulled = sync.sync(b.db, page=sync.APP_PAGE if page == "app" else sync.PULL_PAGE).pulled
    assert pulled >= 60  # (their audit entries too)
    if page == "join":
        assert paces == []  # full speed: nobody waits on a join
    elif reading:  # between small steps of a page, not only between pages
        assert paces[0].rested > 0
        assert paces[0].rests >= pulled // sync_apply.GIVE_WAY_EVERY
    else:
        assert paces[0].rested == 0
    assert {r.name for r in search.search_residents(b.db, "anna", limit=50)} == {f"Anna Vries{n}" for n in range(30)}


def _derived(laptop: Unlocked) -> dict[uuid.UUID, tuple]:
    with laptop.db.engine.connect() as connection:
        query = text(
            "SELECT id, search_key, name_key, participation_step, support_step, last_contact_on FROM resident "
            "WHERE deleted_at IS NULL"
        )
        return {uuid.UUID(str(row[0])): tuple(row[1:]) for row in connection.execute(query)}


def test_issue17_a_joining_laptop_works_out_derived_columns_once_even_when_cut_off(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wijkwerk_tui.services import sync_apply
    from wijkwerk_tui.store.contacts import ContactData, add_contact

    a = _joined(tmp_path, "a", hub, real_clock)
    people = []
    for n in range(12):
        person = residents.add_resident(a.db, a.worker_id, PersonalData("Anna", "", f"Vries{n}", 1950), None)
        ladders.record_step(a.db, a.worker_id, person.id, Ladder.PARTICIPATION, 1 + n % 6, date(2026, 10, 1))
        ladders.record_step(a.db, a.worker_id, person.id, Ladder.PARTICIPATION, 1 + (n + 2) % 6, date(2026, 11, 1))
        ladders.record_step(a.db, a.worker_id, person.id, Ladder.SUPPORT, 1 + n % 5, date(2026, 11, 2))
        add_contact(a.db, a.worker_id, person.id, ContactData(date(2026, 11, 3 + n % 4)))
        people.append(person)
    privacy.erase_resident(a.db, a.worker_id, people[0].id)
    sync.sync(a.db)
    b = _joined(tmp_path, "b", hub, real_clock)
    per_page: list[int] = []
    recompute = sync_apply._recompute
    monkeypatch.setattr(
        sync_apply,
        "_recompute",
        lambda session, db, touched: per_page.append(len(touched)) or recompute(session, db, touched),
    )
    pages: list[int] = []
    apply = sync_apply.apply_page

    def cut_off(db, changes, derive, give_way):  # type: ignore[no-untyped-def]
        if len(pages) == 2:
            raise KeyboardInterrupt  # the laptop closed in the middle of its first sync
        pages.append(len(changes))
        return apply(db, changes, derive, give_way)

    monkeypatch.setattr(sync, "apply_page", cut_off)
    with pytest.raises(KeyboardInterrupt):
        sync.sync(b.db, page=7)
    assert pages == [7, 7]
    assert _derived(b) != _derived(a)  # not worked out yet: the next sync does it
    monkeypatch.setattr(sync, "apply_page", apply)
    sync.sync(b.db, page=7)
    assert per_page == []  # not page by page: once, at the end
    assert _derived(b) == _derived(a)
    assert len(_derived(b)) == 12 and _derived(b)[people[1].id][2:] == (4, 2, date(2026, 11, 4).isoformat())
    assert [r.id for r in search.search_residents(b.db, "vries5", limit=5)] == [people[5].id]


def test_issue17_what_an_app_opened_before_the_join_saves_goes_up_too(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    """`wijkwerk hub join` run beside the open app (a second instance on the same file): what
    the app saves from then on is captured too, else it stayed on this laptop for good and
    the hub saw a hole in its audit chain; and the app no longer sweeps by retention."""
    app = _laptop(tmp_path, "zaal", real_clock)  # open since before the join
    # (two more windows open since before: each asked once, so that each check is its own)
    sweeping, counting = (vault.login(app.db.path, "Sanne Kuiper", PASS, real_clock) for _ in range(2))
    cli = vault.login(app.db.path, "Sanne Kuiper", PASS, real_clock)
    sync.join(cli.db, cli.worker_id, hub.url, _invite(hub), "zaal")
    sync.sync(cli.db)
    with pytest.raises(privacy.DecidedAtHub):
        privacy.retention_sweep(sweeping.db, sweeping.worker_id)
    with pytest.raises(privacy.DecidedAtHub):
        privacy.expired_count(counting.db)
    person = residents.add_resident(app.db, app.worker_id, PersonalData("Wim", "", "Wessels", 1960), None, True)
    ladders.record_step(app.db, app.worker_id, person.id, Ladder.PARTICIPATION, 3, app.db.today())
    sync.sync(cli.db)
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            steps = connection.execute(
                text("SELECT step FROM ladderstep WHERE resident_id = :r"), {"r": person.id}
            ).scalars()
            assert list(steps) == [3]
            device = app.db.device_id
            numbers = connection.execute(
                text("SELECT device_seq FROM auditevent WHERE device_id = :d ORDER BY device_seq"), {"d": device}
            ).scalars()
            chain = list(numbers)
            assert chain == list(range(1, len(chain) + 1))  # no hole where the app's entries were
    finally:
        engine.dispose()
    other = _joined(tmp_path, "elders", hub, real_clock)
    sync.sync(other.db)
    assert [r.id for r in search.search_residents(other.db, "wessels")] == [person.id]
