"""One throwaway PostgreSQL cluster per test run (a Unix socket only), a database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.hub_process import Hub, running_hub
from tests.hub.postgres import cluster, new_database


@pytest.fixture(scope="session")
def pg_socket() -> Iterator[Path]:
    with cluster() as socket:
        yield socket


@pytest.fixture
def pg_url(pg_socket: Path) -> str:
    return new_database(pg_socket)


@pytest.fixture
def hub(pg_url: str) -> Iterator[Hub]:
    """A hub process on 127.0.0.1 in front of this test's database."""
    with running_hub(pg_url) as process:
        yield process
