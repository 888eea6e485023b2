"""The real app in a real terminal (tmux at 80x24): an intake typed with send-keys is in the
database afterwards, and after `kill -9` mid-intake the restart offers the draft."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.security.demo import DEMO_PASSPHRASE
from wijkwerk_tui.security.keyfile import KeyFile, keyfile_path

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed here (CI installs it and runs these)",
)


class Terminal:
    def __init__(self, db: Path) -> None:
        self.name = f"wijkwerk-{uuid.uuid4().hex[:8]}"
        command = f"exec {shlex.quote(sys.executable)} -m wijkwerk_tui --db {shlex.quote(str(db))}"
        env = {**os.environ, "TERM": "xterm-256color"}
        # A server of its own (-L): on the shared default server, the previous test's last
        # session closing made the server exit while this one connected ("server exited
        # unexpectedly", a red CI run).
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", command], check=True, env=env
        )

    @property
    def tmux(self) -> list[str]:
        return ["tmux", "-L", self.name]

    def screen(self) -> str:
        result = subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True)
        return result.stdout

    def wait_for(self, needle: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if needle in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} did not appear; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = [*self.tmux, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys]
        subprocess.run(args, check=True)
        time.sleep(0.15)

    def type(self, value: str) -> None:
        self.keys(value, literal=True)

    def pid(self) -> int:
        out = subprocess.run(
            [*self.tmux, "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.strip())

    def login(self, db: Path) -> None:
        """The demo login screen: the demo coordinator's name, Enter, the demo passphrase, Enter."""
        self.wait_for("Inloggen")
        assert "DEMO" in self.screen()
        time.sleep(0.5)  # the first frame is drawn before focus lands in the name field
        self.type(KeyFile.load(keyfile_path(db)).demo_user)
        self.keys("Enter")
        self.type(DEMO_PASSPHRASE)
        self.keys("Enter")

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "terminal.db"
    subprocess.run(
        [sys.executable, "-m", "wijkwerk_tui", "--db", str(path), "demo", "--no-run", "--residents", "30"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


def _resident(path: Path, family: str) -> tuple | None:
    keyfile = KeyFile.load(keyfile_path(path))
    db = open_database(path, key=keyfile.slots[0].open(DEMO_PASSPHRASE))
    try:
        with db.reading() as session:
            return session.execute(
                text(
                    "SELECT r.given_name, r.birth_year, a.name, r.participation_step, r.support_step,"
                    " (SELECT COUNT(*) FROM signal s WHERE s.resident_id = r.id)"
                    " FROM resident r JOIN area a ON a.id = r.area_id WHERE r.family_name = :f"
                ),
                {"f": family},
            ).first()
    finally:
        db.close()


def test_intake_typed_in_a_real_terminal_is_saved(demo_path: Path) -> None:
    term = Terminal(demo_path)
    try:
        term.login(demo_path)
        term.wait_for("Vandaag te doen")
        term.keys("n")
        term.wait_for("Snelle intake")
        term.type("Tinus Terminaltest")
        term.keys("Tab")
        term.type("1958")
        term.keys("Tab")
        term.type("ruin")
        term.keys("Tab", "Tab")
        term.type("23ed")
        term.keys("Tab")
        term.type("Via tmux ingevoerd")
        term.keys("Tab", "Tab")
        term.type("j")
        term.keys("C-s")
        term.wait_for("Opgeslagen: Tinus Terminaltest")
        # Lock: nothing of the intake shows; the passphrase brings it back.
        term.type("Half")
        term.keys("C-l")
        locked = term.wait_for("Vergrendeld")
        assert "Snelle intake" not in locked and "Half" not in locked
        term.type(DEMO_PASSPHRASE)
        term.keys("Enter")
        assert "Half" in term.wait_for("Snelle intake")
    finally:
        term.close()
    assert _resident(demo_path, "Terminaltest") == ("Tinus", 1958, "Ruinen", 2, 3, 2)


def test_kill_mid_intake_then_restart_offers_the_draft(demo_path: Path) -> None:
    term = Terminal(demo_path)
    try:
        term.login(demo_path)
        term.wait_for("Vandaag te doen")
        term.keys("n")
        term.wait_for("Snelle intake")
        term.type("Klaasje Killtest")
        term.keys("Tab")
        term.type("1944")
        time.sleep(0.5)
        os.kill(term.pid(), signal.SIGKILL)
    finally:
        term.close()
    again = Terminal(demo_path)
    try:
        again.login(demo_path)
        again.wait_for("nog niet is opgeslagen")
        again.keys("j")
        shown = again.wait_for("Klaasje Killtest")
        assert "1944" in shown
        assert _resident(demo_path, "Killtest") is None  # a draft, not a record
    finally:
        again.close()


def test_hardening_07_a_paste_with_escape_bytes_fires_no_key_in_a_real_terminal(
    demo_path: Path, tmp_path: Path
) -> None:
    """tmux sends a real bracketed paste; before the guard, `Jan<ESC><Ctrl+Q>` quit the app
    and `<ESC><Ctrl+S>` saved the form."""
    term = Terminal(demo_path)
    try:
        term.login(demo_path)
        term.wait_for("Vandaag te doen")
        term.keys("n")
        term.wait_for("Snelle intake")
        for payload in ("Jan\x1b\x11", "Piet\x1b\x13", "\x1b\x1bx"):
            clip = tmp_path / "clip"
            clip.write_bytes(payload.encode())
            subprocess.run([*term.tmux, "load-buffer", "-b", "clip", str(clip)], check=True)
            subprocess.run([*term.tmux, "paste-buffer", "-p", "-b", "clip", "-t", term.name], check=True)
            time.sleep(0.5)
        shown = term.wait_for("Snelle intake")  # still running, still the intake, nothing saved
        assert re.search(r"Jan Piet +x", shown) and "Opgeslagen" not in shown and "niet opslaan" not in shown
        assert subprocess.run([*term.tmux, "has-session", "-t", term.name], capture_output=True).returncode == 0
    finally:
        term.close()
    assert _resident(demo_path, "Piet") is None


def test_issue14_01_a_referral_made_in_the_intake_in_a_real_terminal(demo_path: Path) -> None:
    term = Terminal(demo_path)
    try:
        term.login(demo_path)
        term.wait_for("Vandaag te doen")
        term.keys("n")
        term.wait_for("Snelle intake")
        term.type("Rinske Referraltest")
        term.keys("Tab")
        term.type("1979")
        term.keys("Tab")
        term.type("ruin")
        term.keys("Tab")
        term.type("h")  # huisbezoek, one letter, which moves on
        term.type("23s")  # both ladders, signal: schulden
        term.keys("Tab", "Tab")
        term.type("schuld")
        assert "Schuldhulpverlening gemeente" in term.wait_for("Schuldhulpverlening")  # the match, in view
        term.keys("Tab")  # the sharing question
        term.type("j")
        term.keys("Tab")
        term.type("j")
        term.keys("C-s")
        assert "doorverwijzing" in term.wait_for("Opgeslagen: Rinske Referraltest")
    finally:
        term.close()
    keyfile = KeyFile.load(keyfile_path(demo_path))
    db = open_database(demo_path, key=keyfile.slots[0].open(DEMO_PASSPHRASE))
    try:
        with db.reading() as session:
            row = session.execute(
                text(
                    "SELECT p.name, f.consent_share, f.status, c.kind FROM referral f"
                    " JOIN resident r ON r.id = f.resident_id JOIN partner p ON p.id = f.partner_id"
                    " JOIN contact c ON c.resident_id = r.id WHERE r.family_name = 'Referraltest'"
                )
            ).one()
    finally:
        db.close()
    assert tuple(row) == ("Schuldhulpverlening gemeente", 1, "proposed", "home_visit")


def test_keys_typed_in_one_burst_land_in_the_field_they_were_meant_for(demo_path: Path) -> None:
    """Tab and Enter move the focus before the next key is handed out: a name, Enter and a
    passphrase arriving together never put the passphrase in the name field (in clear)."""
    term = Terminal(demo_path)
    try:
        term.wait_for("Inloggen")
        time.sleep(0.5)  # the first frame is drawn before focus lands in the name field
        user = KeyFile.load(keyfile_path(demo_path)).demo_user
        term.type(f"{user}\r{DEMO_PASSPHRASE}\r")
        term.wait_for("Vandaag te doen")
        term.keys("n")
        term.wait_for("Snelle intake")
        # Also through the fields that move on by themselves after one key (kind, both steps).
        term.type("Snel Typer\t1950\truin\th32se\tnotitie snel")
        shown = term.wait_for("notitie snel")
        assert re.search(r"Naam +Snel Typer\n", shown) and re.search(r"Geboortejaar +1950", shown), shown
        assert re.search(r"Participatie 1-6 +3\n", shown) and re.search(r"Verantw. 1-5 +2\n", shown), shown
        assert "s☒schulden" in shown and "e☒eenzaam" in shown and "l☒" not in shown, shown
        assert re.search(r"Notitie +notitie snel", shown), shown
    finally:
        term.close()
