"""The import's fixtures: files made by `make_fixtures` once per run, and a coordinator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importing.make_fixtures import Expected, make_all
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.store import workers


@pytest.fixture(scope="session")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Expected]]:
    return make_all(tmp_path_factory.mktemp("import-fixtures"))


@pytest.fixture
def boss(db: Database) -> Worker:
    return workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
