"""Writers of one file take turns (db.write_turn): a second writer goes in only once the first
lets go, and one that cannot get the turn in time goes on to SQLite's own lock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from wijkwerk_tui.db.write_turn import write_turn

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_issue17_a_second_writer_goes_in_only_after_the_first_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    order: list[str] = []
    trying = threading.Event()

    def second() -> None:
        trying.set()
        with write_turn(path, timeout_s=5):
            order.append("second in")

    other = threading.Thread(target=second)
    with write_turn(path, timeout_s=5):
        other.start()
        assert trying.wait(5)
        time.sleep(0.05)  # (the turn held a while, with the other writer trying meanwhile)
        order.append("first out")
    other.join(5)
    assert order == ["first out", "second in"]


def test_issue17_a_writer_that_waits_too_long_goes_on_to_sqlites_lock(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with write_turn(path, timeout_s=5):
        entered = False
        with write_turn(path, timeout_s=0.01):  # (the same thread: the first never lets go)
            entered = True
        assert entered
    assert (tmp_path / "w.db.write-turn").stat().st_mode & 0o777 == 0o600


def test_issue17_a_unit_of_work_takes_the_turn_before_it_writes(tmp_path: Path) -> None:
    from wijkwerk_tui.db.engine import open_database
    from wijkwerk_tui.store import audit

    db = open_database(tmp_path / "w.db", lambda: START)
    audit.log(db, None, "login")  # (warm: the save itself takes a few milliseconds)
    order: list[str] = []
    trying = threading.Event()

    def save() -> None:
        trying.set()
        audit.log(db, None, "login")  # one transaction
        order.append("saved")

    other = threading.Thread(target=save)
    try:
        with write_turn(db.path, timeout_s=5):  # (as another process holds it)
            other.start()
            assert trying.wait(5)
            time.sleep(0.2)
            order.append("turn given back")
        other.join(5)
    finally:
        db.close()
    assert order == ["turn given back", "saved"]


def test_issue17_the_holder_hears_that_another_writer_waits(tmp_path: Path) -> None:
    """The sync, holding the turn, asks `others_waiting` between changes: yes only while a
    writer waits for the turn, in another thread or process."""
    from wijkwerk_tui.db.write_turn import others_waiting

    path = tmp_path / "w.db"
    waiting = threading.Event()
    inside = threading.Event()

    def second() -> None:
        waiting.set()
        with write_turn(path, timeout_s=5):
            inside.set()

    with write_turn(path, timeout_s=5):
        assert not others_waiting(path)
        other = threading.Thread(target=second)
        other.start()
        assert waiting.wait(5)
        deadline = time.monotonic() + 5
        while not others_waiting(path) and time.monotonic() < deadline:
            time.sleep(0.001)  # (the other thread gets to its wait)
        assert others_waiting(path)
        assert not inside.is_set()
    assert inside.wait(5)
    other.join(5)
    assert not others_waiting(path)  # (in, and out again)
