"""User text on screen is always literal: `[b]Piet[/b]` shows as typed and does nothing."""

from __future__ import annotations

from datetime import date

from rich.console import JustifyMethod
from rich.text import Text

from wijkwerk_tui.domain.dates import format_date


def plain(value: object, style: str = "", justify: JustifyMethod | None = None) -> Text:
    """A Text that Textual will not parse as markup."""
    return Text("" if value is None else str(value), style=style, justify=justify)


def day(value: date | None) -> Text:
    return Text(format_date(value))


# Said with every export: the file leaves the encrypted database.
NOT_ENCRYPTED = "Let op: exportbestanden zijn niet versleuteld. Bewaar ze niet langer dan nodig."

ARROWS = {"up": "↑", "down": "↓", "same": "=", "new": "•"}
