"""Issue 18: each laptop holds only what its workers need. A laptop given areas holds their
residents, those it recorded anything for, and no other; when a resident leaves its areas he
leaves the laptop (not the hub), when one comes in he comes whole."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
import sqlmodel
from sqlalchemy import select, text

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.cli import main
from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.db.sync_tables import HubConflict, HubScope
from wijkwerk_tui.db.tables import Resident
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.sync_words import sync_said
from wijkwerk_tui.hub import devices, scope
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.ops import backup
from wijkwerk_tui.queries import search
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import merge_residents, sync
from wijkwerk_tui.services.sync_apply import CURSOR
from wijkwerk_tui.store import areas, contacts, goals, ladders, partners, referrals, residents, settings, signals
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.signals import SignalData


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _area(laptop: Unlocked, name: str) -> uuid.UUID:
    return next(a.id for a in areas.list_areas(laptop.db) if a.name == name)


def _person(laptop: Unlocked, first: str, last: str, area: str) -> uuid.UUID:
    person = residents.add_resident(
        laptop.db, laptop.worker_id, PersonalData(first, "", last, 1950), _area(laptop, area)
    )
    contacts.add_contact(
        laptop.db,
        laptop.worker_id,
        person.id,
        ContactData(date(2026, 11, 2), "walk_in", is_story=True, story=f"Verhaal {last}"),
    )
    signal = signals.add_signal(
        laptop.db, laptop.worker_id, person.id, SignalData("debts", description=f"Schulden {last}")
    )
    team = partners.add_partner(laptop.db, laptop.worker_id, partners.PartnerData(f"Team {first}"))
    reason = referrals.ReferralData(team.id, f"Verwijzing {last}", consent_share=True, signal_id=signal.id)
    referrals.add_referral(laptop.db, laptop.worker_id, person.id, reason)  # (the signal points at it)
    goals.add_goal(laptop.db, laptop.worker_id, person.id, goals.GoalData(f"Doel {last}"))
    ladders.record_step(laptop.db, laptop.worker_id, person.id, Ladder.PARTICIPATION, 2, date(2026, 11, 2))
    return person.id


def _move(laptop: Unlocked, person: uuid.UUID, area: str) -> None:
    row = residents.get_resident(laptop.db, None, person, audited=False)
    data = PersonalData(row.given_name, row.family_prefix, row.family_name, row.birth_year)
    residents.update_resident(laptop.db, laptop.worker_id, person, data, _area(laptop, area), row.consent_register)


def _everything(laptop: Unlocked, but: tuple[str, ...] = ()) -> str:
    """Every table of the laptop's decrypted database as text, as someone with its key reads it."""
    db = open_database(laptop.db.path, key=laptop.db.key)
    try:
        with db.engine.connect() as connection:
            tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
            tables = [name for name in tables if name not in but]
            rows = [repr(tuple(row)) for name in tables for row in connection.execute(text(f'SELECT * FROM "{name}"'))]
            return "\n".join(rows)
    finally:
        db.close()


def _scoped(tmp_path: Path, name: str, hub: Hub, clock: FakeClock, area_names: list[str]) -> Unlocked:
    engine = hub_engine(hub.database)
    try:
        with engine.connect() as connection:
            ids = scope.area_ids(connection, area_names)
        code = devices.make_invite(engine, name, datetime.now(UTC), " ".join(str(i) for i in sorted(ids, key=str)))
    finally:
        engine.dispose()
    laptop = laptops.laptop(tmp_path, name, clock)
    sync.join(laptop.db, laptop.worker_id, hub.url, code, name)
    return laptop


def _hub_names(hub: Hub) -> set[str]:
    engine = hub_engine(hub.database)
    try:
        with engine.connect() as connection:
            return set(connection.execute(select(Resident.__table__.c.family_name)).scalars())  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_issue18_a_laptop_for_ruinen_holds_no_zuidwolde_resident(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    _person(desk, "Roel", "Ruinerwold", "Ruinen")
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    held = _everything(ruinen)
    assert "Ruinerwold" in held and "Verhaal Ruinerwold" in held  # (the check can see names)
    assert "Zuiderveen" not in held and "Verhaal Zuiderveen" not in held
    # Not even his id, but in the audit trail (ids and actions: "Wie keek mee" from every laptop).
    assert zeger.hex not in _everything(ruinen, but=("auditevent",)) and zeger.hex in held
    # Its cursor moved past what was left out (the next pull does not read it all again).
    engine = hub_engine(hub.database)
    try:
        with engine.connect() as connection:
            last = connection.execute(text("SELECT max(seq) FROM hubchange")).scalar()
    finally:
        engine.dispose()
    assert settings.get(ruinen.db, CURSOR) == str(last)
    assert {"Ruinerwold", "Zuiderveen"} <= _hub_names(hub)


def test_issue18_residents_leave_and_come_with_their_area(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    roel = _person(desk, "Roel", "Ruinerwold", "Ruinen")
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    # Zeger moves to Ruinen: he comes whole, with what was recorded before (his story, his step).
    _move(desk, zeger, "Ruinen")
    sync.sync(desk.db)
    came = sync.sync(ruinen.db)
    assert (came.came, came.left) == (1, 0)
    assert "Verhaal Zuiderveen" in _everything(ruinen)
    assert residents.get_resident(ruinen.db, None, zeger, audited=False).participation_step == 2
    assert [r.id for r in search.search_residents(ruinen.db, "zuiderveen")] == [zeger]  # (found as typed)
    assert [r.id for r in search.search_residents(ruinen.db, "zuid")] == [zeger]  # (his area's name too)
    contacts.add_contact(
        desk.db, desk.worker_id, zeger, ContactData(date(2026, 11, 20), "walk_in", is_story=True, story="Later verhaal")
    )
    # Roel moves to Zuidwolde: he leaves this laptop, not the hub.
    _move(desk, roel, "Zuidwolde")
    sync.sync(desk.db)
    left = sync.sync(ruinen.db)
    assert (left.came, left.left) == (0, 1)
    assert "1 inwoner buiten zijn gebieden van deze laptop gehaald (de hub houdt ze)." in sync_said(
        left.pushed, left.pulled, left.conflicts, left.copied, left.came, left.left
    )
    held = _everything(ruinen)
    assert "Later verhaal" in held  # (a change after he came in follows him)
    assert "Ruinerwold" not in held and "Verhaal Ruinerwold" not in held
    assert "Ruinerwold" in _hub_names(hub)
    # And back: he comes whole again, edits made meanwhile included.
    contacts.add_contact(
        desk.db, desk.worker_id, roel, ContactData(date(2026, 11, 21), "walk_in", is_story=True, story="Terug")
    )
    _move(desk, roel, "Ruinen")
    sync.sync(desk.db)
    sync.sync(ruinen.db)
    held = _everything(ruinen)
    assert "Verhaal Ruinerwold" in held and "Terug" in held
    sync.sync(ruinen.db)  # nothing more to do: no error, nothing waits
    assert sync.status(ruinen.db).waiting == 0


def test_issue18_a_laptop_keeps_what_its_own_workers_recorded(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    ruinen = laptops.joined(tmp_path, "ruinen", hub.url, hub.database, real_clock)  # (areas given later)
    sync.sync(ruinen.db)
    assert laptops.give_areas(hub.database, ruinen, ["Ruinen"])
    mine = _person(ruinen, "Zoë", "Zelfgemaakt", "Zuidwolde")  # registered here, lives in Zuidwolde
    sync.sync(ruinen.db)
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    sync.sync(desk.db)
    contacts.add_contact(
        desk.db, desk.worker_id, mine, ContactData(date(2026, 11, 23), "walk_in", is_story=True, story="Op kantoor")
    )
    sync.sync(desk.db)
    sync.sync(ruinen.db)  # (what another laptop records for her reaches this one)
    held = _everything(ruinen)
    assert "Zelfgemaakt" in held and "Op kantoor" in held


def test_issue18_a_laptop_that_held_everything_drops_what_is_outside_its_areas(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    _person(desk, "Roel", "Ruinerwold", "Ruinen")
    _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    hall = laptops.joined(tmp_path, "hall", hub.url, hub.database, real_clock)
    sync.sync(hall.db)
    assert "Zuiderveen" in _everything(hall)
    engine = hub_engine(hub.database)
    try:
        assert scope.set_areas(engine, hall.db.device_id, ["ruinen"])  # (case does not matter)
        with pytest.raises(scope.UnknownAreas, match="Meppel"):
            scope.set_areas(engine, hall.db.device_id, ["Meppel"])
    finally:
        engine.dispose()
    sync.sync(hall.db)
    held = _everything(hall)
    assert "Zuiderveen" not in held and "Schulden Zuiderveen" not in held and "Verwijzing Zuiderveen" not in held
    assert "Ruinerwold" in held
    assert [r.family_name for r in residents_of(hall)] == ["Ruinerwold"]
    # The laptop that registered them all (for the whole organisation, then) can be narrowed too.
    assert laptops.give_areas(hub.database, desk, ["Zuidwolde"])
    sync.sync(desk.db)
    assert [r.family_name for r in residents_of(desk)] == ["Zuiderveen"]


def residents_of(laptop: Unlocked) -> list[Resident]:
    with laptop.db.reading() as session:
        return list(session.exec(sqlmodel.select(Resident)).all())


def test_issue18_a_lost_confirmation_brings_nothing_half(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    """The laptop dropped a resident but the hub never heard (the answer lost): it sends his
    changes on. The laptop takes in none of them, and says again that it dropped him."""
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    roel = _person(desk, "Roel", "Ruinerwold", "Ruinen")
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    _move(desk, roel, "Zuidwolde")
    sync.sync(desk.db)
    sync.sync(ruinen.db)
    engine = hub_engine(hub.database)
    try:
        with engine.begin() as connection:  # (as if the drop was never confirmed: the hub still lists him)
            connection.execute(HubScope.__table__.insert().values(device_id=ruinen.db.device_id, resident_id=roel))  # type: ignore[attr-defined]
        assert scope.holds_count(engine, ruinen.db.device_id) == 1
        contacts.add_contact(
            desk.db, desk.worker_id, roel, ContactData(date(2026, 11, 22), "walk_in", is_story=True, story="Daarna")
        )
        row = residents.get_resident(desk.db, None, roel, audited=False)
        residents.update_resident(
            desk.db,
            desk.worker_id,
            roel,
            PersonalData(row.given_name, row.family_prefix, row.family_name, row.birth_year, phone="0612345678"),
            row.area_id,
            row.consent_register,
        )
        sync.sync(desk.db)
        sync.sync(ruinen.db)
        held = _everything(ruinen)
        assert "Daarna" not in held and "0612345678" not in held and str(roel) not in held
        assert scope.holds_count(engine, ruinen.db.device_id) == 0
    finally:
        engine.dispose()


def test_issue18_pages_with_everything_left_out_still_move_the_cursor(tmp_path: Path, real_clock: FakeClock) -> None:
    """A laptop with areas may get a page of which nothing is for it: the pull goes on after
    the last change the hub looked at, and keeps that as its cursor."""
    laptop = laptops.laptop(tmp_path, "hall", real_clock)
    asked: list[str] = []

    def hub(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params["after"])
        first = len(asked) == 1
        return httpx.Response(200, json={"changes": [], "more": first, "tot": 10 if first else 20})

    with httpx.Client(transport=httpx.MockTransport(hub), base_url="http://127.0.0.1") as client:
        sync.pull(laptop.db, client)
    assert asked == ["0", "10"]
    assert settings.get(laptop.db, CURSOR) == "20"


def test_issue18_areas_from_the_command_line(
    tmp_path: Path,
    hub: Hub,
    real_clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    _person(desk, "Roel", "Ruinerwold", "Ruinen")
    _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    assert main(["hub", "invite", "--gebieden", "Ruinen,Meppel"]) == 1
    assert "De hub kent deze gebieden niet: Meppel." in capsys.readouterr().err
    assert main(["hub", "invite", "--gebieden", ", ,"]) == 1  # (not the whole organisation by a slip)
    assert "minstens één gebied" in capsys.readouterr().err
    assert (
        main(["hub", "areas", str(uuid.uuid4()), "Mep\x1b[31mpel\x07"]) == 1
    )  # a paste: no escape reaches the terminal
    said = capsys.readouterr().err
    assert "Mep" in said and "\x1b" not in said and "\x07" not in said
    assert main(["hub", "invite", "--label", "Ruinen", "--gebieden", "Ruinen"]) == 0
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", capsys.readouterr().out)
    assert code is not None
    hall = laptops.laptop(tmp_path, "hall", real_clock)
    sync.join(hall.db, hall.worker_id, hub.url, code.group(0), "Dorpshuis Ruinen")
    sync.sync(hall.db)
    assert "Ruinerwold" in _everything(hall) and "Zuiderveen" not in _everything(hall)
    assert main(["hub", "devices"]) == 0
    listed = capsys.readouterr().out
    assert "Dorpshuis Ruinen" in listed and "gebieden: Ruinen" in listed and "gebieden: hele organisatie" in listed
    assert main(["hub", "areas", hall.db.device_id, "Zuidwolde"]) == 0
    assert main(["hub", "areas", str(uuid.uuid4()), "Zuidwolde"]) == 1
    sync.sync(hall.db)
    held = _everything(hall)
    assert "Zuiderveen" in held and "Ruinerwold" not in held


def test_issue18_conflicts_of_residents_elsewhere_stay_off_the_laptop(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    other = laptops.joined(tmp_path, "other", hub.url, hub.database, real_clock)
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    roel = _person(desk, "Roel", "Ruinerwold", "Ruinen")
    sync.sync(desk.db)
    sync.sync(other.db)
    for laptop, phone in ((desk, "0611111111"), (other, "0622222222")):
        for person in (zeger, roel):
            row = residents.get_resident(laptop.db, None, person, audited=False)
            data = PersonalData(row.given_name, row.family_prefix, row.family_name, row.birth_year, phone=phone)
            residents.update_resident(laptop.db, laptop.worker_id, person, data, row.area_id, row.consent_register)
        sync.sync(laptop.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    sync.sync(ruinen.db)  # (Roel's conflict comes once he is held)
    with ruinen.db.reading() as session:
        rows = list(session.exec(sqlmodel.select(HubConflict)).all())
    assert {row.row_id for row in rows} == {roel}
    assert "0622222222" in _everything(ruinen)  # (the check can see the values kept in a conflict)


def test_issue18_a_laptop_restored_from_a_backup_holds_its_areas_again(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    """The backup is an older state: a resident who came in since is missing from it, one who
    left since is still in it. Going on as a new device, it says what it holds; the hub then
    sends the one whole and has the other dropped."""
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    roel = _person(desk, "Roel", "Ruinerwold", "Ruinen")
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    _person(ruinen, "Zoë", "Zelfgemaakt", "Zuidwolde")  # its own caseload, under its old device id
    sync.sync(ruinen.db)
    taken = backup.make_backup(ruinen.db)
    _move(desk, zeger, "Ruinen")
    _move(desk, roel, "Zuidwolde")
    sync.sync(desk.db)
    sync.sync(ruinen.db)
    held = _everything(ruinen)
    assert "Zuiderveen" in held and "Ruinerwold" not in held
    ruinen.db.close()
    ruinen = vault.restore(tmp_path / "ruinen.db", taken, "Sanne Kuiper", PASS, real_clock)
    held = _everything(ruinen)
    assert "Zuiderveen" not in held and "Ruinerwold" in held  # (the backup's state)
    assert sync.sync(ruinen.db).copied
    held = _everything(ruinen)
    assert "Verhaal Zuiderveen" in held and "Ruinerwold" not in held
    assert "Verhaal Zelfgemaakt" in held  # (still its own caseload as a new device)


def test_issue18_the_hub_refuses_a_confirmation_it_cannot_read(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, [])
    sync.sync(ruinen.db)
    with laptops.as_laptop(hub.url, ruinen) as client:
        for body in (
            {"erbij": "niet-een-lijst"},
            {"eraf": [str(uuid.uuid4())] * (scope.DROP_PAGE + 1)},
            {"bezit": ["geen-id"], "opnieuw": True},
            ["erbij"],
        ):
            answer = client.post("/v1/scope", json=body)
            assert answer.status_code == 400 and answer.json()["fout"] == "De hub kon dit verzoek niet lezen."


def test_issue18_a_laptop_cannot_claim_a_resident_outside_its_areas(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    """A worker with Python and the laptop's token says it took in a Zuidwolde resident (his id
    is in the audit trail every laptop has): the hub does not believe it and sends nothing."""
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    with laptops.as_laptop(hub.url, ruinen) as client:
        said = client.post("/v1/scope", json={"erbij": [str(zeger)], "eraf": []}).json()
        assert said["eraf"] == [str(zeger)]  # (drop him: not yours)
        said = client.post("/v1/scope", json={"bezit": [str(zeger)], "opnieuw": False}).json()
        assert said["eraf"] == [str(zeger)]
        pulled = client.get("/v1/pull", params={"after": 0, "limit": 5000}).text
    assert "Zuiderveen" not in pulled
    engine = hub_engine(hub.database)
    try:
        assert scope.holds_count(engine, ruinen.db.device_id) == 0
    finally:
        engine.dispose()


def test_issue18_a_resident_merged_into_one_the_laptop_holds_comes_whole(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    """Zeger (Zuidwolde) turns out to be Roel (Ruinen): everything of Zeger's moves onto Roel,
    a signal pointing at its referral and its meldcode steps included. The laptop for Ruinen
    never had those rows: Roel comes whole again, in an order its foreign keys take."""
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    roel = _person(desk, "Roel", "Ruinerwold", "Ruinen")
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    unsafe = signals.add_signal(desk.db, desk.worker_id, zeger, SignalData("domestic_violence", description="Thuis"))
    signals.record_meldcode_step(desk.db, desk.worker_id, unsafe.id, 1, date(2026, 11, 3), note="Stap Zuiderveen")
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    merge_residents.merge(desk.db, desk.worker_id, roel, zeger)
    sync.sync(desk.db)
    sync.sync(ruinen.db)
    held = _everything(ruinen)
    assert "Verwijzing Zuiderveen" in held and "Schulden Zuiderveen" in held and "Stap Zuiderveen" in held
    sync.sync(ruinen.db)  # and on: nothing stuck
    assert sync.status(ruinen.db).waiting == 0


def _failing_scope_posts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub never hears the laptop's next confirmation: the network goes at that moment."""
    real = sync.hub_call

    def call(client: httpx.Client, method: str, path: str, **kwargs: object) -> object:
        if method == "POST" and path == "/v1/scope":
            raise sync.SyncError("De hub is niet bereikbaar.", offline=True)
        return real(client, method, path, **kwargs)

    monkeypatch.setattr(sync, "hub_call", call)


@pytest.mark.parametrize(("start", "then"), [("Ruinen", "Zuidwolde"), ("Zuidwolde", "Ruinen")])
def test_issue18_a_lost_confirmation_is_sent_again(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, start: str, then: str
) -> None:
    """He leaves (or comes in) and the hub does not hear that the laptop dropped (took in) him;
    then he goes back: he comes back whole (leaves) all the same."""
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    piet = _person(desk, "Piet", "Pietersen", start)
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    _move(desk, piet, then)
    sync.sync(desk.db)
    with monkeypatch.context() as patched:
        _failing_scope_posts(patched)
        with pytest.raises(sync.SyncError):
            sync.sync(ruinen.db)
    assert ("Verhaal Pietersen" in _everything(ruinen)) == (then == "Ruinen")  # done; the hub did not hear it
    _move(desk, piet, start)
    sync.sync(desk.db)
    sync.sync(ruinen.db)
    assert ("Verhaal Pietersen" in _everything(ruinen)) == (start == "Ruinen")


def test_issue18_anonymous_records_of_other_areas_stay_off_the_laptop(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    desk = laptops.joined(tmp_path, "desk", hub.url, hub.database, real_clock)
    for area, word in (("Zuidwolde", "AnoniemZuid"), ("Ruinen", "AnoniemRuinen")):
        signals.add_signal(desk.db, desk.worker_id, None, SignalData("debts", subject=word), _area(desk, area))
    sync.sync(desk.db)
    ruinen = _scoped(tmp_path, "ruinen", hub, real_clock, ["Ruinen"])
    sync.sync(ruinen.db)
    held = _everything(ruinen)
    assert "AnoniemRuinen" in held and "AnoniemZuid" not in held
