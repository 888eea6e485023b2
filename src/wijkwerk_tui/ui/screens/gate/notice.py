"""A message that stops the app from going on (a refused file, a damaged key file)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from wijkwerk_tui.ui.widgets.footer import Footer


class NoticeScreen(Screen[None]):
    DEFAULT_CSS = """
    NoticeScreen { align: center middle; }
    NoticeScreen > Vertical { width: 70; max-width: 100%; height: auto; border: thick $error; padding: 1 2; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.message))
            yield Static(Text("Ctrl+Q stopt.", style="bold"))
        yield Footer()
