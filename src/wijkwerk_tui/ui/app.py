"""The Textual app and the one factory that builds it for main, tests, screenshots and benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from wijkwerk_tui.store.engine import Database, open_database, system_clock
from wijkwerk_tui.ui.safe_errors import safe_report
from wijkwerk_tui.ui.screens.help import HelpScreen, screen_keys
from wijkwerk_tui.ui.screens.start import StartScreen


class WijkwerkApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Wijkwerk"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Stoppen", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Opdrachten", id="app.palette", show=False, priority=True),
    ]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    def get_default_screen(self) -> Screen:
        return StartScreen()

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        self.push_screen(HelpScreen(str(screen.title or self.title), screen_keys(screen)))

    def _handle_exception(self, error: Exception) -> None:
        # Replaces Textual's crash report, which prints locals (residents' data).
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.bell()
        self._exit_renderables.append(safe_report(error))
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        self.db.close()


def make_app(
    db_path: Path | str | None = None,
    *,
    db: Database | None = None,
    now: datetime | Callable[[], datetime] | None = None,
) -> WijkwerkApp:
    """Build the app on a database file (or an open Database) with an optional frozen clock."""
    if now is None:
        clock = system_clock
    elif isinstance(now, datetime):
        frozen = now if now.tzinfo else now.replace(tzinfo=UTC)
        clock = lambda: frozen  # noqa: E731
    else:
        clock = now
    if db is None:
        if db_path is None:
            raise ValueError("db_path or db is required")
        db = open_database(db_path, clock)
    return WijkwerkApp(db)
