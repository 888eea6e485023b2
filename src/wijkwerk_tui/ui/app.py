"""The Textual app and the one factory that builds it for main, tests, screenshots and benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import uuid

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from wijkwerk_tui.store import workers
from wijkwerk_tui.ui.commands import WijkwerkCommands

from wijkwerk_tui.store.engine import Database, open_database, system_clock
from wijkwerk_tui.ui.safe_errors import safe_report
from wijkwerk_tui.ui.screens.help import HelpScreen, screen_keys
from wijkwerk_tui.ui.screens.start import StartScreen


class WijkwerkApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Wijkwerk"
    COMMANDS = {WijkwerkCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Stoppen", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("slash", "residents", "Zoeken", id="app.residents", key_display="/"),
        Binding("n", "intake", "Intake", id="app.intake"),
        Binding("o", "overviews", "Overzicht", id="app.overviews"),
        Binding("k", "partners", "Kaart", id="app.partners"),
        Binding("ctrl+p", "command_palette", "Opdrachten", id="app.palette", show=False, priority=True),
    ]

    def __init__(self, db: Database, worker_id: uuid.UUID | None = None, worker_name: str = "") -> None:
        super().__init__()
        self.db = db
        self.worker_id = worker_id
        self.worker_name = worker_name

    def get_default_screen(self) -> Screen:
        return StartScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self._offer_draft)

    def _offer_draft(self) -> None:
        """After a crash, a kill or a power cut: offer the intake that was being typed."""
        from wijkwerk_tui.store import drafts
        from wijkwerk_tui.ui.screens.confirm import ConfirmDialog
        from wijkwerk_tui.ui.screens.intake import DRAFT, IntakeScreen

        draft = drafts.load(self.db, self.worker_id, DRAFT)
        if not draft:
            return

        def answered(resume: bool | None) -> None:
            if resume:
                self.push_screen(IntakeScreen(draft))
            else:
                drafts.clear(self.db, self.worker_id, DRAFT)

        self.push_screen(ConfirmDialog("Er is een intake die nog niet is opgeslagen. Verder gaan met die intake?",
                                       yes="Verder (j)", no="Weggooien (n)"), answered)

    def action_intake(self) -> None:
        from wijkwerk_tui.ui.screens.intake import IntakeScreen

        if not isinstance(self.screen, IntakeScreen):
            self.push_screen(IntakeScreen())

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="Zoek een opdracht of een inwoner…"))

    # -- navigation -------------------------------------------------------------
    def _show_only(self, screen_type: type[Screen], make: Callable[[], Screen]) -> None:
        """Go to a top-level screen: reuse it if it is already on the stack."""
        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, screen_type):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        self.push_screen(make())

    def action_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_residents(self) -> None:
        from wijkwerk_tui.ui.screens.residents import ResidentsScreen

        self._show_only(ResidentsScreen, ResidentsScreen)
        self.call_after_refresh(self.screen.action_focus_search)  # type: ignore[attr-defined]

    def action_overviews(self) -> None:
        from wijkwerk_tui.ui.screens.overviews import OverviewsScreen

        self._show_only(OverviewsScreen, OverviewsScreen)

    def action_partners(self) -> None:
        from wijkwerk_tui.ui.screens.partners import PartnersScreen

        self._show_only(PartnersScreen, PartnersScreen)

    def open_resident(self, resident_id: uuid.UUID) -> None:
        from wijkwerk_tui.ui.screens.resident import ResidentScreen

        self.push_screen(ResidentScreen(resident_id))

    def action_new_resident(self) -> None:
        from wijkwerk_tui.ui.screens.resident_form import ResidentForm

        form = ResidentForm()
        self.push_screen(form, lambda saved: self.open_resident(form.saved_id) if saved and form.saved_id else None)

    def action_anonymous_signal(self) -> None:
        from wijkwerk_tui.ui.screens.signal_form import SignalForm

        self.push_screen(SignalForm(None))

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
    worker = workers.default_worker(db)
    return WijkwerkApp(db, worker.id if worker else None, worker.name if worker else "")
