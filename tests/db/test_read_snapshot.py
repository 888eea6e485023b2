"""While a sync runs in another process, searches share one read snapshot for a moment
(db.read_snapshot); outside a sync, and after this process's own writes, they see everything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import frozen_clock
from wijkwerk_tui.db import read_snapshot
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import residents, settings


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """The app's database, and the same file as the sync process has it."""
    app = open_database(tmp_path / "s.db", frozen_clock)
    other = open_database(tmp_path / "s.db", frozen_clock)
    yield app, other
    app.close()
    other.close()


def _names(db: Database) -> set[str]:
    return {row.name for row in search_residents(db, "vries")}


def _add(db: Database, given: str) -> None:
    residents.add_resident(db, None, PersonalData(given, "de", "Vries", 1950), None)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(read_snapshot.time, "monotonic", lambda: now[0])
    return now


def test_issue17_outside_a_sync_a_search_sees_another_writers_commit_at_once(two, clock) -> None:
    app, other = two
    _add(other, "Anna")
    assert _names(app) == {"Anna de Vries"}
    _add(other, "Bert")
    assert _names(app) == {"Anna de Vries", "Bert de Vries"}


def test_issue17_during_a_sync_searches_share_a_snapshot_for_a_moment(two, clock) -> None:
    app, other = two
    _add(other, "Anna")
    with app.syncing_elsewhere():
        assert _names(app) == {"Anna de Vries"}
        _add(other, "Bert")  # the sync process commits a page
        assert _names(app) == {"Anna de Vries"}  # (as the file was a moment ago)
        clock[0] += read_snapshot.HOLD_S + 0.1
        assert _names(app) == {"Anna de Vries", "Bert de Vries"}
        _add(other, "Cor")
    assert "Cor de Vries" in _names(app)  # the sync ended: everything


def test_issue17_during_a_sync_this_processs_own_save_shows_at_once(two, clock) -> None:
    app, other = two
    with app.syncing_elsewhere():
        assert _names(app) == set()
        _add(other, "Bert")
        settings.set_value(app, "recent.x", "[]", bookkeeping=True)  # (a view's bookkeeping)
        assert _names(app) == set()
        _add(app, "Anna")  # typed in the app: the next search finds her, and the sync's Bert
        assert _names(app) == {"Anna de Vries", "Bert de Vries"}


def test_issue17_a_shared_snapshot_never_holds_back_the_checkpoint_after_the_sync(two, clock) -> None:
    app, other = two
    with app.syncing_elsewhere():
        _names(app)
        _add(other, "Bert")
        with other.engine.connect() as connection:  # the snapshot holds the WAL's old frames
            busy, _log, _moved = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        assert busy == 1
    with other.engine.connect() as connection:
        busy, log, _moved = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    assert (busy, log) == (0, 0)
    _add(app, "Anna")  # and an own write lets go at once, also during a sync
    with app.syncing_elsewhere():
        _names(app)
        _add(app, "Cor")
        with other.engine.connect() as connection:
            busy, log, _moved = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        assert (busy, log) == (0, 0)
