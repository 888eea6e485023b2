"""Halls without any network (issue 18): `sync --to-file` / `--from-file` carry a hall laptop's
changes on a USB stick to a coordinator's laptop with network, which hands them to the hub and
writes the answer; the hall takes the answer in. Sealed, signed, idempotent, safe to kill.
Against a real PostgreSQL and a real hub process."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.dumps import canonical
from tests.hub.hub_process import Hub
from tests.hub.test_worker_keys import PIET, PIET_PASS, _relogin, _sync
from tests.hub.test_worker_keys import office as office  # the fixture: two laptops, the key pinned
from tests.hub.test_worker_keys import real_clock as real_clock
from wijkwerk_tui.crypto import envelope, worker_key
from wijkwerk_tui.db.sync_lock import one_sync
from wijkwerk_tui.db.sync_tables import Outbox
from wijkwerk_tui.domain.accounts import WORKER
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import bundles, vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import bundles as carried
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import contacts, ladders, residents, settings, workers
from wijkwerk_tui.store.contacts import ContactData

KILLS = 6


def _waiting_ids(laptop: Unlocked) -> set[uuid.UUID]:
    with laptop.db.reading() as session:
        return set(session.exec(select(Outbox.change_id)))


def _all_names(laptop: Unlocked) -> set[str]:
    from wijkwerk_tui.db.tables import Resident

    with laptop.db.reading() as session:
        return set(session.exec(select(Resident.family_name)))


def _held(laptop: Unlocked) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """What both sides must hold alike (each keeps its own ids of the areas and accounts they
    both made at setup, aliases of the hub's: those rows differ by design)."""
    from wijkwerk_tui.db.tables import LadderStep, Resident

    with laptop.db.reading() as session:
        people = session.exec(select(Resident.id, Resident.given_name, Resident.family_name, Resident.birth_year))
        steps = session.exec(select(LadderStep.id, LadderStep.resident_id, LadderStep.step, LadderStep.measured_on))
        return sorted(tuple(row) for row in people), sorted(tuple(row) for row in steps)


def _hub_changes(hub: Hub) -> int:
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM hubchange")).scalar() or 0)
    finally:
        engine.dispose()


def _hall_works(hall: Unlocked) -> uuid.UUID:
    kees = residents.add_resident(hall.db, hall.worker_id, PersonalData("Kees", "", "Wolters", 1939), None)
    ladders.record_step(hall.db, hall.worker_id, kees.id, Ladder.PARTICIPATION, 4, date(2026, 11, 30))
    return kees.id


def test_a_round_trip_on_a_stick_brings_both_sides_level_and_twice_changes_nothing(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    desk, hall = office  # the desk has network; the hall has none from here on
    kees = _hall_works(hall)
    residents.add_resident(desk.db, desk.worker_id, PersonalData("Anna", "de", "Vries", 1950), None)
    _sync(desk)
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = stick / "ruinen.wijkwerk"
    sent = _waiting_ids(hall)
    assert bundles.write_outgoing(hall, PASS, bundle) == len(sent)
    # A finder of the stick reads nothing: no name, not the device token.
    raw = bundle.read_bytes()
    assert b"Wolters" not in raw and settings.get(hall.db, sync.HUB_TOKEN).encode() not in raw
    assert sent <= _waiting_ids(hall)  # still queued until the answer is in

    relayed = bundles.read_file(desk, PASS, bundle)
    assert isinstance(relayed, bundles.Relayed) and relayed.answer == stick / "ruinen-antwoord.wijkwerk"
    at_hub = _hub_changes(hub)
    assert bundles.read_file(desk, PASS, bundle)  # handed in twice: the hub knows every change
    assert _hub_changes(hub) == at_hub
    _sync(desk)
    assert "Wolters" in _all_names(desk)

    with one_sync(Path(hall.db.path)), pytest.raises(sync.SyncError) as busy:  # the app's sync, say
        bundles.read_file(hall, PASS, relayed.answer)
    assert "Er loopt al een synchronisatie" in busy.value.message and sent <= _waiting_ids(hall)
    result = bundles.read_file(hall, PASS, relayed.answer)
    assert isinstance(result, sync.SyncResult) and result.pushed == len(sent)
    assert not (sent & _waiting_ids(hall))  # what the hub took left the outbox
    assert {"Vries", "Wolters"} <= _all_names(hall)
    assert [s.step for s in ladders.history(hall.db, kees, Ladder.PARTICIPATION)] == [4]
    before = canonical(hall.db.engine)
    again = bundles.read_file(hall, PASS, relayed.answer)  # the same answer again
    assert isinstance(again, sync.SyncResult) and (again.pushed, again.pulled) == (0, 0)
    after = canonical(hall.db.engine)
    after.pop("auditevent"), before.pop("auditevent")  # (the second reading is audited too)
    assert after == before
    # Once the network is back the hall is level with the hub: nothing doubled, nothing lost.
    _sync(hall)
    _sync(desk)
    assert _held(hall) == _held(desk)


def test_a_finder_or_forger_gets_nowhere(office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path) -> None:
    desk, hall = office
    _hall_works(hall)
    bundle = tmp_path / "ruinen.wijkwerk"
    bundles.write_outgoing(hall, PASS, bundle)
    genuine = bundle.read_bytes()
    said = json.loads(genuine)
    at_hub = _hub_changes(hub)

    def refused(data: bytes, who: Unlocked = desk) -> str:
        tried = tmp_path / "tried.wijkwerk"
        tried.write_bytes(data)
        with pytest.raises(carried.BundleError) as error:
            bundles.read_file(who, PASS, tried)
        return error.value.message

    box = bytearray(genuine)
    at = genuine.index(b'"box": "') + 20
    box[at] = ord("A") if box[at] != ord("A") else ord("B")  # one byte of the content
    assert "veranderd" in refused(bytes(box))
    # A stranger's key pair, sealing to the coordinators' public keys (which anyone can read):
    stranger = worker_key.new_worker_key()
    forged = envelope.seal(json.dumps({"kind": carried.OUT}).encode(), carried.OUT, list(said["to"]), stranger)
    assert "veranderd" in refused(forged)
    # Re-signed by the stranger over the genuine content he cannot read: still not his.
    said_forged = dict(said, **{"from": stranger.public})
    said_forged["sig"] = stranger.sign(envelope._signed_bytes(said_forged))
    assert "veranderd" in refused(json.dumps(said_forged).encode())
    # Another honoured account named as its sender, without his signature: refused too.
    vault.add_account(desk, PIET, WORKER, PIET_PASS, PIET_PASS)
    someone = next(w.public_key for w in workers.list_workers(desk.db) if w.name == PIET)
    assert "veranderd" in refused(json.dumps(dict(said, **{"from": someone})).encode())
    assert "geen bundel" not in refused(b"not json at all") and "veranderd" in refused(b"{}")
    assert _hub_changes(hub) == at_hub  # nothing of it reached the hub
    # A worker who is not a coordinator cannot open it.
    piet = _relogin(desk, PIET, PIET_PASS, FakeClock(datetime.now(UTC)))
    tried = tmp_path / "tried.wijkwerk"
    tried.write_bytes(genuine)
    with pytest.raises(carried.BundleError) as error:
        bundles.read_file(piet, PIET_PASS, tried)
    assert "Alleen een coördinator" in error.value.message
    piet.db.close()
    # A folder given for the file (`--to-file E:/`): said so, nothing written or queued away.
    with pytest.raises(carried.BundleError) as error:
        bundles.write_outgoing(hall, PASS, tmp_path)
    assert "geen map" in error.value.message


def test_an_answer_for_another_laptop_or_altered_is_refused(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    desk, hall = office
    _hall_works(hall)
    bundle = tmp_path / "ruinen.wijkwerk"
    bundles.write_outgoing(hall, PASS, bundle)
    answer = bundles.read_file(desk, PASS, bundle)
    assert isinstance(answer, bundles.Relayed)
    # The desk itself is not the laptop it was written for.
    with pytest.raises(carried.BundleError) as error:
        bundles.read_file(desk, PASS, answer.answer)
    assert "hoort niet bij" in error.value.message
    data = bytearray(answer.answer.read_bytes())
    at = bytes(data).index(b'"box": "') + 30
    data[at] = ord("A") if data[at] != ord("A") else ord("B")
    answer.answer.write_bytes(bytes(data))
    waiting = _waiting_ids(hall)
    with pytest.raises(carried.BundleError) as error:
        bundles.read_file(hall, PASS, answer.answer)
    assert "veranderd" in error.value.message
    assert _waiting_ids(hall) == waiting  # nothing taken in


def test_an_older_answer_taken_after_a_newer_one_takes_nothing_back(
    office: tuple[Unlocked, Unlocked], tmp_path: Path
) -> None:
    desk, hall = office
    anna = residents.add_resident(
        desk.db, desk.worker_id, PersonalData("Anna", "", "Vries", 1950, phone="0612345611"), None
    )
    _sync(desk)
    answers = []
    for n, phone in enumerate(("0612345622", "0612345633")):
        bundle = tmp_path / f"{n}.wijkwerk"
        bundles.write_outgoing(hall, PASS, bundle)
        relayed = bundles.read_file(desk, PASS, bundle)
        assert isinstance(relayed, bundles.Relayed)
        answers.append(relayed.answer)
        data = PersonalData("Anna", "", "Vries", 1950, phone=phone)
        residents.update_resident(desk.db, desk.worker_id, anna.id, data, None, None)
        _sync(desk)
    bundle = tmp_path / "2.wijkwerk"
    bundles.write_outgoing(hall, PASS, bundle)
    newest = bundles.read_file(desk, PASS, bundle)
    assert isinstance(newest, bundles.Relayed)
    bundles.read_file(hall, PASS, newest.answer)
    assert residents.get_resident(hall.db, None, anna.id, audited=False).phone == "0612345633"
    for older in answers:  # (found on the stick later)
        bundles.read_file(hall, PASS, older)
    assert residents.get_resident(hall.db, None, anna.id, audited=False).phone == "0612345633"


def _round_trip(desk: Unlocked, hall: Unlocked, folder: Path, name: str) -> bundles.Relayed:
    bundle = folder / f"{name}.wijkwerk"
    bundles.write_outgoing(hall, PASS, bundle)
    relayed = bundles.read_file(desk, PASS, bundle)
    assert isinstance(relayed, bundles.Relayed)
    return relayed


def test_a_hall_restored_from_a_backup_is_noticed_by_stick_too(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    """Its copy shows an epoch the hub has passed: refused, nothing taken, and it is told what to
    do (the restore's own sync over the network goes on as a new device, test_sync_restore)."""
    desk, hall = office
    taken = backup.make_backup(hall.db)
    for n in range(2):
        bundles.read_file(hall, PASS, _round_trip(desk, hall, tmp_path, f"trip{n}").answer)
    path = Path(hall.db.path)
    hall.db.close()
    copy = vault.restore(path, taken, "Sanne Kuiper", PASS, FakeClock(datetime.now(UTC)))
    _hall_works(copy)
    at_hub, waiting = _hub_changes(hub), _waiting_ids(copy)
    relayed = _round_trip(desk, copy, tmp_path, "copy")
    assert relayed.refused and relayed.changes == 0
    with pytest.raises(carried.BundleError) as refused:
        bundles.read_file(copy, PASS, relayed.answer)
    assert "teruggezet uit een back-up" in refused.value.message
    assert _hub_changes(hub) == at_hub and waiting <= _waiting_ids(copy)  # nothing lost, nothing taken
    copy.db.close()


def test_a_token_due_for_rotation_is_rotated_by_stick(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    """A worker switched off at the hall could have read its device token: the stick brings a
    new one, and once the hall has shown it the old one opens nothing."""
    desk, hall = office
    with hall.db.transaction() as session:
        settings.put(session, settings.ROTATE_TOKEN, "1")  # (as taking his slot away marks it)
    old = settings.get(hall.db, sync.HUB_TOKEN)
    bundles.read_file(hall, PASS, _round_trip(desk, hall, tmp_path, "rotate").answer)
    new = settings.get(hall.db, sync.HUB_TOKEN)
    assert new and new != old and settings.get(hall.db, settings.ROTATE_TOKEN) == ""
    bundles.read_file(hall, PASS, _round_trip(desk, hall, tmp_path, "again").answer)  # shows the new token
    with sync.hub_client(hub.url, old, settings.get(hall.db, sync.HUB_EPOCH)) as client, pytest.raises(sync.SyncError):
        sync.hub_call(client, "GET", "/v1/hello")


def test_an_answer_removes_only_what_its_bundle_carried(office: tuple[Unlocked, Unlocked], tmp_path: Path) -> None:
    """Even an answer that names more (a coordinator's faulty or hostile relay) leaves the work
    queued after the bundle was written."""
    _desk, hall = office
    _hall_works(hall)
    bundle = tmp_path / "hal.wijkwerk"
    bundles.write_outgoing(hall, PASS, bundle)
    noted = bundles._kept(hall.db)
    residents.add_resident(hall.db, hall.worker_id, PersonalData("Jan", "", "Later", 1960), None)
    later = _waiting_ids(hall)
    answer = {"kind": carried.BACK, "for": "x", "device": hall.db.device_id, "schema": carried.migrate.HEAD}
    answer["acknowledged"] = [str(i) for i in later]
    (entry,) = noted.values()
    carried.take_answer(hall.db, answer, carried.Written(int(entry["seq"]), str(entry["epoch"])))
    left = _waiting_ids(hall) & later  # (taking it in is audited: one line more)
    assert left and left < later  # what the bundle carried went; Jan's insert (and later lines) stayed
    with hall.db.reading() as session:
        queued = list(session.exec(select(Outbox).where(Outbox.change_id.in_(left))))  # type: ignore[attr-defined]
    assert any(e.table_name == "resident" for e in queued)
    # A malformed change in an answer: a Dutch refusal, nothing removed.
    answer["changes"] = [{"seq": 10**9}]
    with pytest.raises(carried.BundleError) as refused:
        carried.take_answer(hall.db, answer, carried.Written(10**9, ""))
    assert "beschadigd" in refused.value.message and left <= _waiting_ids(hall)


def _cli(db_path: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WIJKWERK_USER": "Sanne Kuiper", "WIJKWERK_PASSPHRASE": PASS}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    return subprocess.Popen(
        [sys.executable, "-m", "wijkwerk_tui", "--db", str(db_path), "sync", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_round_trip_with_kill_9_in_the_middle_loses_and_doubles_nothing(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    """The command line on both sides, killed at random moments while it hands the bundle in
    and while the hall takes the answer; run again to the end, both sides are level."""
    desk, hall = office
    for n in range(30):
        residents.add_resident(hall.db, hall.worker_id, PersonalData(f"Naam{n}", "", "Jansen", 1950), None)
    residents.add_resident(desk.db, desk.worker_id, PersonalData("Anna", "de", "Vries", 1950), None)
    _sync(desk)
    desk_path, hall_path = Path(desk.db.path), Path(hall.db.path)
    desk.db.close()
    hall.db.close()
    bundle, answer = tmp_path / "hal.wijkwerk", tmp_path / "hal-antwoord.wijkwerk"
    out, _err = _cli(hall_path, "--to-file", str(bundle)).communicate(timeout=120)
    assert "wijzigingen in" in out.decode() and "versleuteld voor de coördinatoren" in out.decode()
    seed = int.from_bytes(os.urandom(4))
    rng, killed = random.Random(seed), 0
    print(f"seed {seed}")
    said = {"desk": "Doorgegeven aan de hub: ", "hall": "Gesynchroniseerd: "}
    for side, path, target in [("desk", desk_path, bundle), ("hall", hall_path, answer)]:
        for attempt in range(KILLS):
            # (the last moment is early if none has landed yet: on a fast machine every run
            # could end before its moment, and the test would then prove nothing)
            late = killed or attempt < KILLS - 1
            child = _cli(path, "--from-file", str(target))
            try:
                child.wait(rng.uniform(0.5, 4.0) if late else rng.uniform(0.05, 0.3))
            except subprocess.TimeoutExpired:
                killed += 1
                child.kill()
                child.wait()
        child = _cli(path, "--from-file", str(target))
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, f"{side}: {err.decode()}"
        assert said[side] in out.decode(), out.decode()
    assert killed  # (a run that ends before its moment is not killed: 12 moments, some land)
    hall = vault.login(hall_path, "Sanne Kuiper", PASS, FakeClock(datetime.now(UTC)))
    desk = vault.login(desk_path, "Sanne Kuiper", PASS, FakeClock(datetime.now(UTC)))
    assert {"Jansen", "Vries"} <= _all_names(hall)
    _sync(hall)
    _sync(desk)
    assert _held(hall) == _held(desk)
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        doubles = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT row_id FROM hubchange WHERE kind = 'insert' "
                "GROUP BY row_id HAVING count(*) > 1) d"
            )
        ).scalar()
    engine.dispose()
    assert doubles == 0
    assert len(_residents_named(hall, "Jansen")) == 30
    hall.db.close()
    desk.db.close()


def _residents_named(laptop: Unlocked, family: str) -> list[str]:
    from wijkwerk_tui.db.tables import Resident

    with laptop.db.reading() as session:
        return list(session.exec(select(Resident.given_name).where(Resident.family_name == family)))


def _by_stick(desk: Unlocked, hall: Unlocked, stick: Path) -> None:
    bundle = stick / "ruinen.wijkwerk"
    bundles.write_outgoing(hall, PASS, bundle)
    relayed = bundles.read_file(desk, PASS, bundle)
    assert isinstance(relayed, bundles.Relayed)
    assert isinstance(bundles.read_file(hall, PASS, relayed.answer), sync.SyncResult)


def test_a_hall_with_areas_takes_in_and_drops_residents_by_stick_too(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    from tests.hub.test_laptop_scope import _everything, _move, _person
    from wijkwerk_tui.hub import scope
    from wijkwerk_tui.hub.serve import hub_engine

    desk, hall = office
    _person(desk, "Roel", "Ruinerwold", "Ruinen")
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    zus = _person(desk, "Zus", "Zandstra", "Zuidwolde")
    _sync(desk)
    _sync(hall)  # (it holds the whole organisation, then loses its network)
    engine = hub_engine(hub.database)
    try:
        assert scope.set_areas(engine, hall.db.device_id, ["Ruinen"])
        stick = tmp_path / "stick"
        stick.mkdir()
        bundle = stick / "ruinen.wijkwerk"
        bundles.write_outgoing(hall, PASS, bundle)
        relayed = bundles.read_file(desk, PASS, bundle)
        assert isinstance(relayed, bundles.Relayed)
        contacts.add_contact(  # meanwhile in the hall: a contact with Zus, not sent yet
            hall.db, hall.worker_id, zus, ContactData(date(2026, 11, 25), "walk_in", is_story=True, story="Net nog")
        )
        bundles.read_file(hall, PASS, relayed.answer)
        held = _everything(hall)
        assert "Zuiderveen" not in held and "Ruinerwold" in held
        assert "Net nog" in held  # Zus stays: what waits for her would be lost
        _by_stick(desk, hall, stick)  # (it goes up; she is on the hall's own caseload now)
        _sync(desk)
        assert "Net nog" in _everything(desk) and "Net nog" in _everything(hall)
        assert scope.holds_count(engine, hall.db.device_id) == 2  # Roel and Zus: Zeger's drop confirmed
        _move(desk, zeger, "Ruinen")
        _sync(desk)
        _by_stick(desk, hall, stick)
        assert "Verhaal Zuiderveen" in _everything(hall)  # he came whole
        _by_stick(desk, hall, stick)  # (this bundle confirms he came)
        assert scope.holds_count(engine, hall.db.device_id) == 3
    finally:
        engine.dispose()


def test_an_older_answer_brings_no_resident_back_as_he_was(
    office: tuple[Unlocked, Unlocked], hub: Hub, tmp_path: Path
) -> None:
    """Rows sent whole stand as they were at the hub: an older answer read after a newer one
    must not put them back (a phone number changed since would be lost here)."""
    from tests.hub.test_laptop_scope import _move, _person

    desk, hall = office
    zeger = _person(desk, "Zeger", "Zuiderveen", "Zuidwolde")
    _sync(desk)
    _sync(hall)
    assert laptops.give_areas(hub.database, hall, ["Ruinen"])
    stick = tmp_path / "stick"
    stick.mkdir()
    _by_stick(desk, hall, stick)  # (Zeger leaves the hall)
    _move(desk, zeger, "Ruinen")
    _sync(desk)
    older = _round_trip(desk, hall, stick, "a")
    row = residents.get_resident(desk.db, None, zeger, audited=False)
    residents.update_resident(
        desk.db,
        desk.worker_id,
        zeger,
        PersonalData(row.given_name, row.family_prefix, row.family_name, row.birth_year, phone="0611111111"),
        row.area_id,
        row.consent_register,
    )
    _sync(desk)
    newer = _round_trip(desk, hall, stick, "b")
    bundles.read_file(hall, PASS, newer.answer)
    assert residents.get_resident(hall.db, None, zeger, audited=False).phone == "0611111111"
    bundles.read_file(hall, PASS, older.answer)
    assert residents.get_resident(hall.db, None, zeger, audited=False).phone == "0611111111"
