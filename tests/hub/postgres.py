"""A throwaway PostgreSQL cluster for the tests that need the organisation's hub.

Started from the machine's PostgreSQL binaries (initdb, pg_ctl) in a fresh temporary folder,
listening only on a Unix socket in that folder (no TCP port at all), trust authentication,
and removed again afterwards. As root, the cluster runs as the `postgres` user (PostgreSQL
refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


def _binary(name: str) -> str:
    for folder in BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return found


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def cluster() -> Iterator[Path]:
    """A running cluster; yields the folder of its Unix socket."""
    base = Path(tempfile.mkdtemp(prefix="wijkwerk-pg-"))
    data, socket = base / "data", base / "socket"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(socket, "postgres")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True, "timeout": 120}
    subprocess.run(
        _as_owner([_binary("initdb"), "-D", str(data), "-U", "wijkwerk", "--auth=trust", "-E", "UTF8"]), **quiet
    )
    options = f"-c listen_addresses='' -k {socket} -c fsync=off -c full_page_writes=off"
    subprocess.run(
        _as_owner([_binary("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(base / "log"), "start"]), **quiet
    )
    try:
        yield socket
    finally:
        subprocess.run(
            _as_owner([_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(base, ignore_errors=True)


def new_database(socket: Path) -> str:
    """An empty database in the cluster; its SQLAlchemy URL (psycopg 3, over the socket)."""
    import psycopg

    name = f"t{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"host={socket} user=wijkwerk dbname=postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://wijkwerk@/{name}?host={socket}"
