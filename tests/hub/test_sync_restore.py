"""A laptop restored from a backup, or copied to another disk: the hub notices (the device's
epoch), the laptop goes on as a new device, and nothing doubles or gets lost."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.dumps import canonical
from tests.hub.hub_process import Hub
from wijkwerk_tui.config import keyfile_path
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import ladders, residents

NAME = "Sanne Kuiper"


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _hub_rows(hub: Hub, query: str) -> list[tuple]:
    engine = create_engine(hub.database)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def _same_as_hub(hub: Hub, *sessions: Unlocked) -> None:
    engine = create_engine(hub.database)
    try:
        expected = canonical(engine)
    finally:
        engine.dispose()
    for session in sessions:
        assert canonical(session.db.engine) == expected


def _family_names(session: Unlocked) -> list[str]:
    return sorted(r.family_name for r in residents_of(session))


def residents_of(session: Unlocked) -> list:
    from sqlmodel import col, select

    from wijkwerk_tui.db.tables import Resident

    with session.db.reading() as reading:
        return list(reading.exec(select(Resident).where(col(Resident.deleted_at).is_(None))))


def test_issue17_a_laptop_restored_from_a_backup_gets_back_what_it_sent_once(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    anna = residents.add_resident(a.db, a.worker_id, PersonalData("Anna", "", "Vries", 1950), None)
    sync.sync(a.db)
    old_id = a.db.device_id
    taken = backup.make_backup(a.db)
    # After the backup: sent to the hub, then the laptop goes back to the backup.
    ladders.record_step(a.db, a.worker_id, anna.id, Ladder.PARTICIPATION, 3, date(2026, 11, 2))
    residents.add_resident(a.db, a.worker_id, PersonalData("Bram", "", "Smit", 1961), None)
    sync.sync(a.db)
    # Made after that sync and never sent: gone with the restore (the coordinator chose that).
    ladders.record_step(a.db, a.worker_id, anna.id, Ladder.PARTICIPATION, 5, date(2026, 11, 3))
    a.db.close()
    a = vault.restore(tmp_path / "a.db", taken, NAME, PASS, real_clock)
    assert a.db.device_id == old_id and _family_names(a) == ["Vries"]

    result = sync.sync(a.db)
    assert result.copied
    assert a.db.device_id != old_id
    assert [s.step for s in ladders.history(a.db, anna.id, Ladder.PARTICIPATION)] == [3]
    assert _family_names(a) == ["Smit", "Vries"]  # Bram came back, once
    assert sync.sync(a.db).copied is False  # from now on the new id is this laptop's
    _same_as_hub(hub, a)
    sync.sync(b.db)  # (b has its own "Ruinen" and "Sanne Kuiper": its dump differs by those ids)
    assert _family_names(b) == ["Smit", "Vries"]
    assert [s.step for s in ladders.history(b.db, anna.id, Ladder.PARTICIPATION)] == [3]
    assert _hub_rows(hub, "SELECT count(*) FROM resident") == [(2,)]
    assert _hub_rows(hub, f"SELECT count(*) FROM hubdevice WHERE copied_from = '{old_id}'") == [(1,)]


def _phone(session: Unlocked, piet: uuid.UUID, number: str) -> None:
    data = PersonalData("Piet", "", "Bakker", 1944, phone=number)
    residents.update_resident(session.db, session.worker_id, piet, data, None, None)


def _copy_of(session: Unlocked, folder: Path, clock: FakeClock) -> tuple[Unlocked, Unlocked]:
    """The laptop's disk copied (database and key file): both copies open."""
    path = session.db.path
    session.db.close()
    folder.mkdir()
    shutil.copyfile(path, folder / path.name)
    shutil.copyfile(keyfile_path(path), keyfile_path(folder / path.name))
    return vault.login(path, NAME, PASS, clock), vault.login(folder / path.name, NAME, PASS, clock)


def test_issue17_two_copies_of_one_laptop_become_two_devices_and_their_edits_meet_as_a_conflict(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    piet = residents.add_resident(a.db, a.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    sync.sync(a.db)
    a, copy = _copy_of(a, tmp_path / "copy", real_clock)
    assert a.db.device_id == copy.db.device_id
    _phone(a, piet.id, "0612345678")
    _phone(copy, piet.id, "0687654321")

    first = sync.sync(a.db)
    assert (first.copied, first.conflicts) == (False, 0)
    second = sync.sync(copy.db)
    # Under one id the copy's edit would have overwritten the other's as "its own" silently.
    assert (second.copied, second.conflicts) == (True, 1)
    assert a.db.device_id != copy.db.device_id
    conflicts = _hub_rows(hub, "SELECT hub_value, their_value FROM hubconflict")
    assert [(json.loads(h), json.loads(t)) for h, t in conflicts] == [("0612345678", "0687654321")]
    assert sync.sync(a.db).copied is False  # the first copy keeps the id
    sync.sync(copy.db)
    _same_as_hub(hub, a, copy)


def test_issue17_a_stale_epoch_is_refused_before_anything_is_applied(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    stale = sync.settings.get(a.db, sync.HUB_EPOCH)
    sync.sync(a.db)  # a new epoch, used
    residents.add_resident(a.db, a.worker_id, PersonalData("Kees", "", "Wolters", 1970), None)
    body = {"changes": [sync.wire(e) for e in sync._pending(a.db)]}
    with sync.hub_client(hub.url, sync.settings.get(a.db, sync.HUB_TOKEN), stale or "") as client:
        answer = client.post("/v1/push", json=body)
    assert answer.status_code == 409 and answer.json()["code"] == "epoch"
    assert "teruggezet" in answer.json()["fout"]
    assert _hub_rows(hub, "SELECT count(*) FROM resident") == [(0,)]


def test_issue17_an_edit_after_a_restore_meets_the_edit_the_restore_took_away_as_a_conflict(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    piet = residents.add_resident(a.db, a.worker_id, PersonalData("Piet", "", "Bakker", 1944), None)
    sync.sync(a.db)
    taken = backup.make_backup(a.db)
    _phone(a, piet.id, "0611111111")
    sync.sync(a.db)
    a.db.close()
    a = vault.restore(tmp_path / "a.db", taken, NAME, PASS, real_clock)
    _phone(a, piet.id, "0622222222")
    result = sync.sync(a.db)
    # The second edit was made without knowing the first (the restore took it away): under the
    # old id the hub would count both as one laptop's and keep the last silently.
    assert (result.copied, result.conflicts) == (True, 1)
    conflicts = _hub_rows(hub, "SELECT hub_value, their_value FROM hubconflict")
    assert [(json.loads(h), json.loads(t)) for h, t in conflicts] == [("0611111111", "0622222222")]


def test_issue17_one_laptops_token_makes_only_a_few_new_devices_a_day(tmp_path: Path, hub: Hub) -> None:
    from wijkwerk_tui.hub import devices
    from wijkwerk_tui.hub.serve import hub_engine

    a = laptops.joined(tmp_path, "a", hub.url, hub.database, FakeClock(datetime.now(UTC)))
    token = sync.settings.get(a.db, sync.HUB_TOKEN)
    engine = hub_engine(hub.database)

    def rewound(token: str, at: datetime) -> str:
        """The hub sees this device show an older epoch: only then may its token make a new one."""
        with pytest.raises(devices.Rewound):
            devices.authenticate(engine, token, "een oude epoch", at)
        return token

    try:
        now = datetime.now(UTC)
        with pytest.raises(devices.NotAllowed, match="niet teruggezet"):  # (not rewound: no new device)
            devices.rejoin(engine, token, str(uuid.uuid4()), now)
        for _ in range(devices.COPIES_PER_DAY):  # restores and copies: each goes on as a new device
            token = devices.rejoin(engine, rewound(token, now), str(uuid.uuid4()), now)[0]  # (a copy of a copy)
        for first_or_last in (sync.settings.get(a.db, sync.HUB_TOKEN), token):
            with pytest.raises(devices.NotAllowed, match="te vaak"):
                devices.rejoin(engine, rewound(first_or_last, now), str(uuid.uuid4()), now)
        later = now + devices.COPY_WINDOW  # a day later: again
        devices.rejoin(engine, rewound(token, later), str(uuid.uuid4()), later)
        assert len(devices.devices(engine)) == 1 + devices.COPIES_PER_DAY + 1
    finally:
        engine.dispose()
