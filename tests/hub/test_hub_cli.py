"""`wijkwerk hub invite | devices | revoke` on the server, against the hub's PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
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
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and all("Dorpshuis Ruinen" in line and "actief" in line for line in listed)
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
