"""`wijkwerk hub invite | devices | revoke` on the server, against the hub's PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.security.test_account_trust import _forge
from wijkwerk_tui.cli import main
from wijkwerk_tui.ops import backup
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import sync


def test_issue17_a_coordinator_invites_lists_and_revokes_laptops_from_the_command_line(
    tmp_path: Path, hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert main(["hub", "devices"]) == 0
    assert "Nog geen laptop gekoppeld" in capsys.readouterr().out
    assert main(["hub", "invite", "--label", "Ruinen"]) == 0
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", capsys.readouterr().out)
    assert code is not None
    clock = FakeClock(datetime.now(UTC))
    laptop = laptops.laptop(tmp_path, "ruinen", clock)
    sync.join(laptop.db, laptop.worker_id, hub.url, code.group(0), "Dorpshuis Ruinen")
    sync.sync(laptop.db)
    taken = backup.make_backup(laptop.db)
    sync.sync(laptop.db)
    old_id = laptop.db.device_id
    laptop.db.close()
    laptop = vault.restore(tmp_path / "ruinen.db", taken, "Sanne Kuiper", PASS, clock)
    assert sync.sync(laptop.db).copied

    assert main(["hub", "devices"]) == 0
    *listed, key_line = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and all("Dorpshuis Ruinen" in line and "actief" in line for line in listed)
    assert key_line == "Sleutel van de organisatie: nog niet gemaakt (wijkwerk hub init)"
    [copy] = [line for line in listed if line.startswith(laptop.db.device_id)]
    assert f"(teruggezet of gekopieerd van {old_id})" in copy
    assert main(["hub", "revoke", laptop.db.device_id]) == 1  # no terminal to ask: nothing happens
    assert "--yes" in capsys.readouterr().err
    sync.sync(laptop.db)
    assert main(["hub", "revoke", laptop.db.device_id, "--yes"]) == 0
    assert "Laptop ontkoppeld" in capsys.readouterr().out
    with pytest.raises(sync.SyncError, match="ontkoppeld door een coördinator"):
        sync.sync(laptop.db)
    assert main(["hub", "revoke", laptop.db.device_id, "--yes"]) == 1  # not active any more


def test_issue18_hub_init_key_and_sign_on_the_command_line(
    tmp_path: Path, hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock(datetime.now(UTC))
    laptop = laptops.joined(tmp_path, "ruinen", hub.url, hub.database, clock)
    vault.add_account(laptop, "Piet de Boer", "worker", "groene-piet-op-de-fiets", "groene-piet-op-de-fiets")
    laptop.db.close()
    db = str(tmp_path / "ruinen.db")
    monkeypatch.setenv("WIJKWERK_USER", "Sanne Kuiper")
    monkeypatch.setenv("WIJKWERK_PASSPHRASE", PASS)
    assert main(["--db", db, "hub", "key"]) == 0
    assert "nog geen sleutel" in capsys.readouterr().out
    assert main(["--db", db, "hub", "init"]) == 0
    said = capsys.readouterr().out
    fingerprint = re.search(r"Vingerafdruk: ((?:[0-9a-f]{4} ){7}[0-9a-f]{4})", said)
    assert fingerprint is not None and f"wijkwerk hub accept-key '{fingerprint.group(1)}'" in said
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert main(["hub", "devices"]) == 0
    listed = capsys.readouterr().out
    assert f"{fingerprint.group(1)}  aangeboden, nog niet geaccepteerd  door Sanne Kuiper" in listed
    assert main(["hub", "accept-key", "0000 1111"]) == 1
    assert "Geen aangeboden sleutel" in capsys.readouterr().err
    assert main(["hub", "accept-key", fingerprint.group(1)]) == 0
    assert "Sleutel van Sanne Kuiper geaccepteerd" in capsys.readouterr().out
    assert main(["--db", db, "hub", "init"]) == 1  # shows every account, wants a "j" or --yes
    captured = capsys.readouterr()
    assert "Piet de Boer: medewerker, actief" in captured.out and "--yes" in captured.err
    assert main(["--db", db, "hub", "init", "--yes"]) == 0
    assert "Ondertekend: 2 accounts." in capsys.readouterr().out
    assert main(["--db", db, "hub", "key"]) == 0
    assert fingerprint.group(1) in capsys.readouterr().out
    assert main(["hub", "devices"]) == 0
    assert f"{fingerprint.group(1)}  geaccepteerd  door Sanne Kuiper" in capsys.readouterr().out
    assert main(["--db", db, "hub", "init"]) == 1
    assert "kent al een sleutel" in capsys.readouterr().err
    assert main(["--db", db, "hub", "sign"]) == 0
    assert "Alle accounts op deze laptop zijn ondertekend." in capsys.readouterr().out
    # Piet's row changed without the key: listed as it would be signed, signed only when confirmed.
    session = vault.login(Path(db), "Sanne Kuiper", PASS, clock)
    _forge(session.db, "Piet de Boer", role="coordinator")
    session.db.close()
    assert main(["--db", db, "hub", "sign"]) == 1  # no terminal to ask
    captured = capsys.readouterr()
    assert "Piet de Boer: coördinator, actief" in captured.out and "--yes" in captured.err
    assert main(["--db", db, "hub", "sign", "--yes"]) == 0
    assert "Ondertekend: 1 account." in capsys.readouterr().out
    # Jan, added on this laptop, logs in on another one once `wijkwerk sync` ran there.
    other = laptops.joined(tmp_path, "zuidwolde", hub.url, hub.database, clock)
    sync.sync(other.db)  # (as `wijkwerk hub join` does)
    other.db.close()
    db2 = tmp_path / "zuidwolde.db"
    session = vault.login(Path(db), "Sanne Kuiper", PASS, clock)  # (she holds the key here)
    vault.add_account(session, "Jan Mulder", "worker", "jan-fietst-naar-ruinen-toe", "jan-fietst-naar-ruinen-toe")
    session.db.close()
    assert main(["--db", db, "sync"]) == 0
    with pytest.raises(vault.LoginError, match="Onbekende naam"):
        vault.login(db2, "Jan Mulder", "jan-fietst-naar-ruinen-toe", clock)
    assert main(["--db", str(db2), "sync"]) == 0  # (Sanne's login before it gave Jan nothing yet)
    capsys.readouterr()
    vault.login(db2, "Jan Mulder", "jan-fietst-naar-ruinen-toe", clock).db.close()
