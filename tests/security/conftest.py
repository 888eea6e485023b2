"""An encrypted database set up the way the first-run screen does it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW
from wijkwerk_tui.security import vault

PASS = "correct horse battery"


@dataclass
class FakeClock:
    now: datetime = FROZEN_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def setup_db(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[vault.Unlocked, str, Path]]:
    path = tmp_path / "wijkwerk.db"
    session, code = vault.setup(path, "Welzijn De Wolden", ["Ruinen", "Zuidwolde"], "Sanne Kuiper", PASS, PASS, clock)
    yield session, code, path
    session.db.close()
