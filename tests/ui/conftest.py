"""Fixtures the pilot tests share: an office with workers, areas and partners."""

from __future__ import annotations

import pytest

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.store import areas, workers


@pytest.fixture
def office(db: Database):
    worker = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
    for name in ("Zuidwolde", "Ruinen", "Ruinerwold", "de Wijk", "Echten"):
        areas.add_area(db, worker.id, name)
    return db, worker
