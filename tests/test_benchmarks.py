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
    "search_floor_ms",
    "search_ratio",
    "search_query_p95_ms",
    "open_p95_ms",
    "open_floor_ms",
    "open_ratio",
    "save_p95_ms",
    "report_year_s",
    "report_sql_s",
    "report_ratio",
    "backup_key_p50_ms",
    "backup_key_p95_ms",
    "backup_s",
    "inzage_s",
    "peak_rss_mb",
    "residents",
    "history_rows",
]
RATIOS = {  # ratio: (figure, floor)
    "startup_ratio": ("startup_s", "bare_textual_s"),
    "search_ratio": ("search_p95_ms", "search_floor_ms"),
    "open_ratio": ("open_p95_ms", "open_floor_ms"),
    "report_ratio": ("report_year_s", "report_sql_s"),
}


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
    for ratio, (figure, floor) in RATIOS.items():  # figures are rounded before they are written
        assert abs(result[ratio] - result[figure] / result[floor]) <= 0.1 * result[ratio] + 0.01, ratio
    # run.py checks its SQL's ladder figures against the app's report and fails when they differ.
    markdown = table.read_text()
    for key in ("startup_ratio", "search_ratio", "open_ratio", "report_ratio", "backup_key_p95_ms", "peak_rss_mb"):
        assert f"| `{key}` |" in markdown and "≤" in markdown.split(f"| `{key}` |")[1].split("\n")[0], key
