"""What wijkwerk wrote into the export folder, and clearing it up.

Exports are plaintext (a report for the municipality, a resident's inzage): they belong on
the laptop only as long as needed. Only files wijkwerk names itself are listed or removed,
so a folder a coordinator chose (with other files in it) is safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# The names wijkwerk gives its exports (report_files.default_name, inzage_document.write).
PATTERNS = ("rapportage-*", "inzage-*")


@dataclass(frozen=True)
class ExportFile:
    path: Path
    size: int
    written: datetime


def list_exports(folder: Path) -> list[ExportFile]:
    """Newest first."""
    if not folder.is_dir():
        return []
    found = {p for pattern in PATTERNS for p in folder.glob(pattern) if p.is_file()}
    files = [ExportFile(p, p.stat().st_size, datetime.fromtimestamp(p.stat().st_mtime, UTC)) for p in found]
    return sorted(files, key=lambda f: (f.written, f.path.name), reverse=True)


def remove(files: list[Path]) -> int:
    """Remove these exports (only names wijkwerk gives its files); how many went."""
    gone = 0
    for path in files:
        if any(path.match(pattern) for pattern in PATTERNS):
            path.unlink(missing_ok=True)
            gone += 1
    return gone
