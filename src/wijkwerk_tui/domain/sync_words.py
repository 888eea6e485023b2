"""Where the sync stands, in the words the start screen shows."""

from __future__ import annotations

from datetime import datetime

from wijkwerk_tui.domain.dates import format_time
from wijkwerk_tui.domain.text import counted


def sync_line(joined: bool, waiting: int, last: datetime | None, offline: datetime | None) -> str:
    """'Gesynchroniseerd 10:42 · 3 wijzigingen wachten' or 'Offline sinds 09:15' ('' alone)."""
    if not joined:
        return ""
    if offline is not None:
        text = f"Offline sinds {format_time(offline)}"
    elif last is not None:
        text = f"Gesynchroniseerd {format_time(last)}"
    else:
        text = "Nog niet gesynchroniseerd"
    if waiting:
        text += f" · {counted(waiting, 'wijziging wacht', 'wijzigingen wachten')}"
    return text
