"""The app tells a sync running in another process that a worker reads, and the sync rests
as long as it worked meanwhile (db.in_use); without a reader it keeps its full speed."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from tests.conftest import frozen_clock
from wijkwerk_tui.db import in_use
from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.db.in_use import InUseMark, Pace, mark_path
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.services import resident_file
from wijkwerk_tui.store import residents


def _age(path: Path, seconds: float) -> None:
    """The mark as if touched `seconds` ago (negative: a clock set back since)."""
    moment = time.time() - seconds
    os.utime(mark_path(path), (moment, moment))


def test_issue17_a_fresh_mark_means_in_use_an_old_or_future_one_does_not(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    assert not in_use.in_use(db)  # no mark yet: nobody reads
    InUseMark(db).touch()
    assert in_use.in_use(db)
    assert os.stat(mark_path(db)).st_size == 0  # (nothing but its time)
    _age(db, in_use.FRESH_S + 0.5)
    assert not in_use.in_use(db)
    _age(db, -(in_use.FRESH_S + 60))  # the clock was set back an hour: the mark is "ahead"
    assert not in_use.in_use(db)  # (a sync never rests for a reader who is not there)


def test_issue17_the_mark_is_touched_at_most_every_touch_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "w.db"
    now = [100.0]
    monkeypatch.setattr(in_use.time, "monotonic", lambda: now[0])
    mark = InUseMark(db)
    mark.touch()
    _age(db, 30)
    mark.touch()  # a keystroke later: no file system call
    assert not in_use.in_use(db)
    now[0] += in_use.TOUCH_S
    mark.touch()
    assert in_use.in_use(db)


def test_issue17_a_mark_that_cannot_be_written_leaves_the_sync_at_full_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(in_use.os, "open", full)  # (a full disk, a read-only folder)
    InUseMark(tmp_path / "w.db").touch()  # no error
    assert not in_use.in_use(tmp_path / "w.db")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """in_use's monotonic clock, moved on by its sleeps."""
    now = [50.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(in_use.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(in_use.time, "sleep", sleep)
    return now


def test_issue17_pace_rests_in_proportion_to_the_step_only_while_in_use(tmp_path: Path, clock: list[float]) -> None:
    db = tmp_path / "w.db"
    pace = Pace(db)
    clock[0] += 0.04
    assert pace.step() is False  # nobody reads: no rest
    assert (pace.rested, pace.rests) == (0.0, 0)
    InUseMark(db).touch()
    clock[0] += 0.03
    pace.step()
    assert pace.rested == pytest.approx(0.03 * in_use.REST_FACTOR)
    pace.restart()  # (waiting for the hub)
    clock[0] += 0.01
    pace.step()
    assert pace.rested == pytest.approx(0.04 * in_use.REST_FACTOR)
    clock[0] += 5.0  # a long step (a slow disk): a short rest, the worker reads again soon
    pace.step()
    assert pace.rested == pytest.approx(0.04 * in_use.REST_FACTOR + in_use.REST_MAX_S)
    assert pace.rests == 3


def test_issue17_a_save_waiting_during_a_rest_cuts_it_short(tmp_path: Path, clock: list[float]) -> None:
    """A rest inside a page holds the write lock: a save must not wait for all of it."""
    db = tmp_path / "w.db"
    InUseMark(db).touch()
    pace = Pace(db)
    asked: list[bool] = []

    def waits() -> bool:  # a writer starts waiting at the fourth look
        asked.append(len(asked) >= 3)
        return asked[-1]

    clock[0] += 0.08
    assert pace.step(interrupt=waits) is True
    assert pace.rested == pytest.approx(3 * in_use.SLICE_S)


@pytest.mark.parametrize("waits_from", [0, 2, None])
def test_issue17_the_syncs_give_way_says_yes_as_soon_as_a_writer_waits(
    tmp_path: Path, clock: list[float], waits_from: int | None
) -> None:
    from wijkwerk_tui.services import sync

    class Db:
        looks = 0

        def writers_waiting(self) -> bool:
            self.looks += 1
            return waits_from is not None and self.looks > waits_from

    InUseMark(tmp_path / "w.db").touch()
    pace = Pace(tmp_path / "w.db")
    clock[0] += 0.05
    said = sync._give_way(Db(), pace)  # type: ignore[arg-type]
    assert said is (waits_from is not None)
    if waits_from == 0:
        assert pace.rests == 0  # a writer already waits: commit at once, no rest
    elif waits_from is None:
        assert pace.rested == pytest.approx(0.05 * in_use.REST_FACTOR)


def test_issue17_searching_and_opening_a_file_mark_the_file_only_while_a_sync_runs_elsewhere(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "w.db", frozen_clock)
    try:
        anna = residents.add_resident(db, None, PersonalData("Anna", "", "Vries", 1950), None)
        search_residents(db, "vries")
        resident_file.load(db, None, anna.id)
        assert not in_use.in_use(db.path)  # no sync: no mark, the next sync runs at full speed
        with db.syncing_elsewhere():
            search_residents(db, "vries")
            assert in_use.in_use(db.path)
            _age(db.path, in_use.FRESH_S + 1)
            db._in_use = InUseMark(db.path)  # (past its TOUCH_S)
            resident_file.load(db, None, anna.id)
            assert in_use.in_use(db.path)
    finally:
        db.close()
