"""One throwaway PostgreSQL cluster per test run (a Unix socket only), a database per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.postgres import cluster, new_database


@pytest.fixture(scope="session")
def pg_socket() -> Iterator[Path]:
    with cluster() as socket:
        yield socket


@pytest.fixture
def pg_url(pg_socket: Path) -> str:
    return new_database(pg_socket)
