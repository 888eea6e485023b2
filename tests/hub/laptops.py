"""Laptops for the hub tests: a fresh encrypted database, joined to a hub with a new code."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.conftest import PASS, FakeClock
from wijkwerk_tui.hub import devices
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import sync


def laptop(tmp_path: Path, name: str, clock: FakeClock, organisation: str = "Welzijn De Wolden") -> Unlocked:
    session, _code = vault.setup(
        tmp_path / f"{name}.db", organisation, ["Ruinen", "Zuidwolde"], "Sanne Kuiper", PASS, PASS, clock
    )
    return session


def invite(database: str) -> str:
    engine = hub_engine(database)
    try:
        return devices.make_invite(engine, "test", datetime.now(UTC))
    finally:
        engine.dispose()


def joined(
    tmp_path: Path, name: str, url: str, database: str, clock: FakeClock, organisation: str = "Welzijn De Wolden"
) -> Unlocked:
    session = laptop(tmp_path, name, clock, organisation)
    sync.join(session.db, session.worker_id, url, invite(database), name)
    return session


def as_laptop(url: str, session: Unlocked) -> httpx.Client:
    """A client speaking for this laptop (its token and epoch), to send what the app would not."""
    get = sync.settings.get
    return sync.hub_client(url, get(session.db, sync.HUB_TOKEN), get(session.db, sync.HUB_EPOCH) or "")


def give_areas(database: str, laptop: Unlocked, areas: list[str]) -> bool:
    """`wijkwerk hub areas` for this laptop (hub.scope)."""
    from wijkwerk_tui.hub import scope

    engine = hub_engine(database)
    try:
        return scope.set_areas(engine, laptop.db.device_id, areas)
    finally:
        engine.dispose()
