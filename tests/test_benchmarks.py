"""The benchmark command works (a smoke run at a small size). It never fails on a time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

KEYS = [
    "startup_ratio",
    "startup_s",
    "bare_textual_s",
    "search_p50_ms",
    "search_p95_ms",
    "search_query_p95_ms",
    "open_p95_ms",
    "save_p95_ms",
    "report_year_s",
    "inzage_s",
    "peak_rss_mb",
    "residents",
    "history_rows",
]


def test_benchmark_command_writes_every_figure(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    out, table = tmp_path / "b.json", tmp_path / "B.md"
    done = subprocess.run(
        [
            sys.executable,
            str(root / "benchmarks" / "run.py"),
            "--residents",
            "60",
            "--repeat",
            "2",
            "--out",
            str(out),
            "--cache",
            str(tmp_path / "cache"),
            "--markdown",
            str(table),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    for key in KEYS:
        assert isinstance(result[key], (int, float)) and result[key] > 0, key
    assert result["residents"] >= 60 and result["history_rows"] > 200  # the 200-row resident included
    assert "| `startup_ratio` |" in table.read_text()
