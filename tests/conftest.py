"""Shared fixtures: real throwaway databases in tmp_path, and a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.ops.demo_data import build_demo

# The period report's hand-computed office, used by the report and frozen-report tests.
pytest_plugins = ["tests.queries.report_office"]

# Monday 23 November 2026, 10:00 in the Netherlands.
FROZEN_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def frozen_clock() -> datetime:
    return FROZEN_NOW


@pytest.fixture(autouse=True)
def cheap_kdf() -> Iterator[None]:
    """Argon2id at its real cost takes ~0.1 s per call; tests use a cheap setting.

    Every slot and hash records its own cost, so this changes speed, not behaviour.
    """
    from wijkwerk_tui.crypto import kdf

    kdf.use_params(kdf.KdfParams(time_cost=1, memory_kib=64, parallelism=1))
    yield
    kdf.use_params(kdf.DEFAULT_PARAMS)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "test.db", frozen_clock)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo database built once per test run; copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path, frozen_clock)
    build_demo(database, residents=80, seed=7)
    database.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    import shutil

    copy = tmp_path / "demo.db"
    shutil.copy(demo_file, copy)
    database = open_database(copy, frozen_clock)
    yield database
    database.close()


PASS = "correct horse battery"


@dataclass
class FakeClock:
    """A clock the test moves by hand (idle lock, login delays, daily backups)."""

    now: datetime = FROZEN_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def setup_db(tmp_path: Path, clock: FakeClock) -> Iterator[tuple]:
    """An encrypted database set up the way the first-run screen does it."""
    from wijkwerk_tui.security import vault

    path = tmp_path / "wijkwerk.db"
    session, code = vault.setup(path, "Welzijn De Wolden", ["Ruinen", "Zuidwolde"], "Sanne Kuiper", PASS, PASS, clock)
    yield session, code, path
    session.db.close()
