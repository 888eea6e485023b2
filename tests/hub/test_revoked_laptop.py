"""A lost or stolen laptop (issue 18): revoked at the hub, it receives nothing, its pushes are
refused, and when it reaches the hub again it wipes its data, but only on the hub's proof:
someone between the laptop and the hub, even one who reads its token, cannot make a laptop
wipe itself."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.ui.helpers import settle
from wijkwerk_tui import cli_hub
from wijkwerk_tui.domain import revocation
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.ops import backup, wipe
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import residents
from wijkwerk_tui.ui.app import make_app


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _revoke(hub: Hub, laptop: Unlocked) -> None:
    engine = hub_engine(hub.database)
    try:
        assert devices.revoke(engine, laptop.db.device_id, datetime.now(UTC))
    finally:
        engine.dispose()


def _with_data(tmp_path: Path, hub: Hub, clock: FakeClock) -> tuple[Unlocked, list[str]]:
    """A joined laptop with a resident, a backup and an inzage export, and another
    organisation's database in the same folder (which must stay)."""
    laptop = laptops.joined(tmp_path, "ruinen", hub.url, hub.database, clock)
    residents.add_resident(laptop.db, laptop.worker_id, PersonalData("Kees", "", "Wolterinkx", 1939), None)
    sync.sync(laptop.db)
    made = backup.make_backup(laptop.db)
    made.with_name("ruinen-20260101-000000.partial").write_bytes(made.read_bytes())  # one cut off
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "inzage-wolterinkx.txt").write_text("Kees Wolterinkx", encoding="utf-8")
    (exports / "boodschappenlijst.txt").write_text("niet van wijkwerk", encoding="utf-8")
    other = laptops.laptop(tmp_path, "ruinen.db2", clock)
    backup.make_backup(other.db)
    other.db.close()
    others = [name for name in _left(tmp_path) if "ruinen.db2" in name] + ["exports/boodschappenlijst.txt"]
    return laptop, sorted(others)


def _left(tmp_path: Path, wal_too: bool = True) -> list[str]:
    found = (str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    return sorted(name for name in found if wal_too or not name.endswith(("-wal", "-shm")))


def _only_others(tmp_path: Path, others: list[str]) -> None:
    assert len(others) >= 4  # the other database, its key file, its backup, its manifest ...
    assert _left(tmp_path) == others


def test_issue18_a_revoked_laptop_receives_nothing_and_its_pushes_are_refused(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    _revoke(hub, a)
    residents.add_resident(b.db, b.worker_id, PersonalData("Jan", "", "Smit", 1960), None)
    sync.sync(b.db)
    with laptops.as_laptop(hub.url, a) as client:
        for method, path in (("GET", "/v1/pull?after=0"), ("POST", "/v1/push"), ("POST", "/v1/epoch")):
            answer = client.request(method, path, json={"changes": []})
            assert answer.status_code == 410, path
            assert "changes" not in answer.json() and answer.json()["code"] == revocation.CODE


def test_issue18_a_revoked_laptop_wipes_itself_at_its_next_sync(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, others = _with_data(tmp_path, hub, real_clock)
    monkeypatch.setenv("WIJKWERK_EXPORTS", str(tmp_path / "exports"))
    assert len(wipe.files_of(laptop.db.path)) >= 5  # database, WAL, keys, register, backup ...
    _revoke(hub, laptop)

    said = cli_hub.run_sync(argparse.Namespace(), lambda _args: (laptop, ""))

    assert said == 3
    _only_others(tmp_path, others)


async def test_issue18_the_app_wipes_a_revoked_laptop_and_ends(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, others = _with_data(tmp_path, hub, real_clock)
    monkeypatch.setenv("WIJKWERK_EXPORTS", str(tmp_path / "exports"))
    _revoke(hub, laptop)
    app = make_app(db=laptop.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at login: refused, with the hub's proof
        assert app.return_code == 3
        assert "gewist" in str(app._exit_renderables)
        _only_others(tmp_path, others)
    _only_others(tmp_path, others)  # (nothing written back on the way out: no key file again)


@pytest.mark.parametrize("keyed_with", ["token-hash", "token", "other-key", "wipe-key"])
def test_issue18_only_the_hubs_proof_wipes(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, keyed_with: str
) -> None:
    # Someone between the laptop and the hub answers "revoked". He sees the token (it goes with
    # every request), never the wipe key (handed out once, at the join): without the proof made
    # with it the laptop only reports a refusal and keeps everything.
    laptop, others = _with_data(tmp_path, hub, real_clock)
    monkeypatch.setenv("WIJKWERK_EXPORTS", str(tmp_path / "exports"))
    token = sync.settings.get(laptop.db, sync.HUB_TOKEN)
    keys = {
        "token-hash": revocation.secret_hash(token),
        "token": token,
        "other-key": "een-andere-sleutel",
        "wipe-key": sync.settings.get(laptop.db, sync.WIPE_KEY),
    }
    assert keys["wipe-key"]  # (handed out at the join)
    shown = revocation.proof(keys[keyed_with], laptop.db.device_id)
    forged = keyed_with != "wipe-key"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(410, json={"fout": "ontkoppeld", "code": revocation.CODE, "bewijs": shown})

    def fake_hub(url: str, token: str | None = None, epoch: str = "") -> httpx.Client:
        return httpx.Client(base_url=url, transport=httpx.MockTransport(answer))

    monkeypatch.setattr(sync, "hub_client", fake_hub)
    before = _left(tmp_path, wal_too=False)
    said = cli_hub.run_sync(argparse.Namespace(), lambda _args: (laptop, "")) if not forged else None
    if forged:
        with pytest.raises(sync.SyncError) as refused:
            cli_hub.run_sync(argparse.Namespace(), lambda _args: (laptop, ""))
        assert not isinstance(refused.value, sync.LaptopRevoked)
        assert _left(tmp_path, wal_too=False) == before
    else:
        assert said == 3
        _only_others(tmp_path, others)


@given(st.text(min_size=1), st.uuids(), st.text(min_size=1), st.uuids(), st.text())
def test_issue18_a_proof_holds_for_its_own_key_and_laptop_only(
    key: str, device: object, other_key: str, other_device: object, garbage: str
) -> None:
    shown = revocation.proof(key, str(device))
    assert revocation.holds(shown, key, str(device))
    if other_key != key:
        assert not revocation.holds(shown, other_key, str(device))
    if other_device != device:
        assert not revocation.holds(shown, key, str(other_device))
    assert not revocation.holds(shown, "", str(device))  # joined before wipe keys: never
    assert not revocation.holds(shown[:-1] + ("0" if shown[-1] != "0" else "1"), key, str(device))
    assert revocation.holds(garbage, key, str(device)) == (garbage == shown)  # (any text: no error)
