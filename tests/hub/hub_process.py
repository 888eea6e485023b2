"""A hub process on 127.0.0.1 (a free port), on a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Hub:
    url: str
    database: str
    process: subprocess.Popen[bytes]


@contextmanager
def running_hub(database: str, port: int | None = None) -> Iterator[Hub]:
    port = port or free_port()
    env = {**os.environ, "WIJKWERK_HUB_DATABASE": database}
    process = subprocess.Popen(
        [sys.executable, "-m", "wijkwerk_tui", "hub", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url, process)
        yield Hub(url, database, process)
    finally:
        process.kill()
        process.wait()


def _wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise AssertionError(f"the hub process stopped: {error[-2000:]}")
        try:
            httpx.get(url + "/v1/hello", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)  # polling a process we cannot get an event from
    raise AssertionError("the hub did not answer within 60 s")
