"""Two app instances in real terminals (tmux 80x24) on two laptops' databases and one hub: a
ladder step recorded on one shows on the other after a sync (F5) on both."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import PASS, FakeClock
from tests.hub.hub_process import Hub
from tests.ui.test_terminal import Terminal, pytestmark  # noqa: F401 - the same tmux requirement
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import ladders, residents


def _laptop(tmp_path: Path, name: str, hub: Hub) -> tuple[Path, uuid.UUID | None]:
    path = tmp_path / name / "wijkwerk.db"
    path.parent.mkdir()
    session, _code = vault.setup(
        path, "Welzijn De Wolden", ["Ruinen"], "Sanne Kuiper", PASS, PASS, FakeClock(datetime.now(UTC))
    )
    engine = hub_engine(hub.database)
    code = devices.make_invite(engine, name, datetime.now(UTC))
    engine.dispose()
    sync.join(session.db, session.worker_id, hub.url, code, name)
    kees = None
    if name == "ruinen":
        kees = residents.add_resident(session.db, session.worker_id, PersonalData("Kees", "", "Wolters", 1939), None).id
    sync.sync(session.db)
    session.db.close()
    return path, kees


def _login(terminal: Terminal) -> None:
    terminal.wait_for("Inloggen")
    time.sleep(0.5)  # the first frame is drawn before focus lands in the name field
    terminal.type("Sanne Kuiper")
    terminal.keys("Enter")
    terminal.type(PASS)
    terminal.keys("Enter")
    terminal.wait_for("Gesynchroniseerd", timeout=30)  # the sync at login


def test_issue17_a_step_recorded_in_one_terminal_shows_in_the_other_after_f5(tmp_path: Path, hub: Hub) -> None:
    first, kees = _laptop(tmp_path, "ruinen", hub)
    second, _ = _laptop(tmp_path, "zuidwolde", hub)
    assert kees is not None
    one, two = Terminal(first), Terminal(second)
    try:
        _login(one)
        _login(two)
        one.keys("/")
        one.type("Wolters")
        one.keys("Enter")
        one.wait_for("Kees Wolters")
        one.keys("p")
        one.wait_for("Participatieladder")
        one.keys("4")
        one.wait_for("Gekozen: trede 4")  # (the form took the step before Ctrl+S is sent)
        one.keys("C-s")
        one.wait_for("▶ nu 4", timeout=40)
        one.keys("F5")
        one.wait_for("verstuurd", timeout=30)  # the step and its audit entry
        two.keys("F5")
        two.wait_for("ontvangen", timeout=30)  # the notice wraps after "1"
        two.keys("/")
        two.type("Wolters")
        two.keys("Enter")
        shown = two.wait_for("▶ nu 4")
        assert "Kees Wolters" in shown
    finally:
        one.close()
        two.close()
    # What the terminals showed is what both databases hold.
    for path in (first, second):
        session = vault.login(path, "Sanne Kuiper", PASS)
        assert [s.step for s in ladders.history(session.db, kees, Ladder.PARTICIPATION)] == [4]
        session.db.close()
