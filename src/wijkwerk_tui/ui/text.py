"""User text on screen is always literal: `[b]Piet[/b]` shows as typed and does nothing."""

from __future__ import annotations

from rich.text import Text

from wijkwerk_tui.domain.dates import format_date


def plain(value: object, style: str = "", justify: str | None = None) -> Text:
    """A Text that Textual will not parse as markup."""
    return Text("" if value is None else str(value), style=style, justify=justify)  # type: ignore[arg-type]


def day(value: object) -> Text:
    return Text(format_date(value))  # type: ignore[arg-type]


ARROWS = {"up": "↑", "down": "↓", "same": "=", "new": "•"}
