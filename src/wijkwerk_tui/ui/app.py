"""The Textual app and the one factory that builds it for main, tests, screenshots and benchmarks.

The app starts at a gate: first-run setup, or login. Once signed in it holds an
`Unlocked` session (the open database and the worker); the lock screen covers
everything after `ctrl+l` or a few idle minutes.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from wijkwerk_tui.ui import memory
from wijkwerk_tui.ui.commands import WijkwerkCommands
from wijkwerk_tui.ui.safe_errors import safe_report
from wijkwerk_tui.ui.screens.help import HelpScreen, screen_keys

# The database layer (SQLAlchemy, SQLModel: a third of a second to import) is loaded only
# after the first screen is drawn, so the login is on screen as fast as a bare Textual app.
if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Worker
    from wijkwerk_tui.security.vault import Unlocked

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def _preload() -> None:
    """Import what the login will need while the person types their name."""
    import wijkwerk_tui.security.vault
    import wijkwerk_tui.ui.screens.start  # noqa: F401


IDLE_CHECK_S = 10
# The app's own actions that work before login and while locked (gate screens have their own
# keys): stopping, and Tab / Shift+Tab between the name and passphrase fields.
LOCKED_ACTIONS = {"quit", "focus_next", "focus_previous"}


class WijkwerkApp(App[int]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere (benchmarks) find it too
    TITLE = "Wijkwerk"
    COMMANDS = {WijkwerkCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Stoppen", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("slash", "residents", "Zoeken", id="app.residents", key_display="/"),
        Binding("n", "intake", "Intake", id="app.intake"),
        # Shown in the help (?) and the palette; the footer keeps to what matters on each screen
        # (every footer key is a widget, and a long footer slows every screen change).
        Binding("o", "overviews", "Overzicht", id="app.overviews", show=False),
        Binding("k", "partners", "Kaart", id="app.partners", show=False),
        Binding("ctrl+p", "command_palette", "Opdrachten", id="app.palette", show=False, priority=True),
        Binding("ctrl+l", "lock", "Vergrendel", id="app.lock", priority=True, show=False),
    ]

    def __init__(
        self, session: Unlocked | None = None, db_path: Path | None = None, clock: Clock = system_clock
    ) -> None:
        super().__init__()
        self.session = session
        self.db_path = db_path or (session.db.path if session else None)
        self.clock = clock
        self.locked = False
        self.last_activity = clock()
        self.quiet_collector = memory.QuietCollector()
        self._export_dir: Path | None = None
        self.data_version = 0  # raised by every save; screens reload when it moved

    @property
    def export_dir(self) -> Path:
        from wijkwerk_tui.config import export_dir

        return self._export_dir or export_dir()

    @export_dir.setter
    def export_dir(self, value: Path) -> None:
        self._export_dir = value

    # -- who is signed in ----------------------------------------------------------------
    @property
    def db(self) -> Database:
        assert self.session is not None, "not signed in"
        return self.session.db

    @property
    def worker_id(self) -> uuid.UUID | None:
        return self.session.worker_id if self.session else None

    @property
    def worker_name(self) -> str:
        return self.session.worker_name if self.session else ""

    @property
    def role(self) -> str:
        return self.session.role if self.session else ""

    @property
    def is_coordinator(self) -> bool:
        return bool(self.session and self.session.is_coordinator)

    def worker_list(self) -> list[Worker]:
        from wijkwerk_tui.store import workers

        return workers.list_workers(self.db)

    # -- the gate ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        if self.session is not None:
            from wijkwerk_tui.ui.screens.start import StartScreen

            return StartScreen()
        from wijkwerk_tui.security.gate import state as gate_state
        from wijkwerk_tui.security.keyfile import KeyFile, KeyFileError, keyfile_path

        assert self.db_path is not None
        state = gate_state(self.db_path)
        if state == "new":
            from wijkwerk_tui.ui.screens.setup import SetupScreen

            return SetupScreen(self.db_path)
        if state == "unprotected":
            from wijkwerk_tui.ui.screens.notice import NoticeScreen

            return NoticeScreen(
                "Dit databasebestand is niet versleuteld. Wijkwerk opent alleen versleutelde "
                "databases; kies een ander bestand met --db."
            )
        from wijkwerk_tui.ui.screens.login import LoginScreen

        try:
            keyfile = KeyFile.load(keyfile_path(self.db_path))
        except KeyFileError as error:
            from wijkwerk_tui.ui.screens.notice import NoticeScreen

            return NoticeScreen(str(error))
        return LoginScreen(self.db_path, keyfile)

    def on_mount(self) -> None:
        if self.session is not None:
            self._start_session()

    def on_ready(self) -> None:
        if self.session is None:
            threading.Thread(target=_preload, name="preload", daemon=True).start()

    def signed_in(self, session: Unlocked) -> None:
        """Called by the gate screens: show the start screen for this worker."""
        from wijkwerk_tui.ui.screens.start import StartScreen

        self.session = session
        # The gate lives in the default mode; the work gets a mode (a screen stack) of its own.
        self.add_mode("main", StartScreen)
        self.switch_mode("main")
        self._start_session()

    def _start_session(self) -> None:
        self.last_activity = self.clock()
        self.set_interval(IDLE_CHECK_S, self.check_auto_lock, name="idle-lock")
        self.call_after_refresh(self._offer_draft)
        self._daily_backup()
        self.set_timer(1.0, memory.freeze_long_lived)
        self.set_interval(1.0, self.quiet_collector.tick, name="quiet-gc")

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def _daily_backup(self) -> None:
        from wijkwerk_tui.ops import backup

        if self.session is not None and self.session.db.encrypted:
            backup.daily_backup(self.session.db, self.session.worker_id)

    # -- lock -------------------------------------------------------------------------------
    def lock_after(self) -> timedelta:
        from wijkwerk_tui.store import settings

        return timedelta(minutes=settings.lock_minutes(self.db))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_activity = self.clock()
            self.quiet_collector.touched()
        await super().on_event(event)

    def check_auto_lock(self) -> None:
        if self.session is not None and not self.locked and self.clock() - self.last_activity >= self.lock_after():
            self.action_lock()

    def action_lock(self) -> None:
        from wijkwerk_tui.security import vault
        from wijkwerk_tui.ui.screens.lock import LockScreen

        if self.session is None or self.locked:
            return
        self.locked = True
        vault.lock(self.session)
        self.clear_notifications()
        if CommandPalette.is_open(self):
            self.pop_screen()
        self.push_screen(LockScreen())

    def unlocked(self, same_worker: bool) -> None:
        """Back from the lock screen: where we were, or a fresh start for another worker."""
        self.locked = False
        self.last_activity = self.clock()
        if same_worker:
            self.pop_screen()
            return
        # Another worker: nothing of the first one's screens stays; their intake draft
        # is in the database under their own name and waits for them.
        while len(self.screen_stack) > 1:
            self.pop_screen()  # the start screen reloads for the new worker when it resumes
        self.notify(f"Ingelogd als {self.worker_name}.", markup=False)
        self.call_after_refresh(self._offer_draft)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (self.session is None or self.locked) and action not in LOCKED_ACTIONS:
            return False
        return super().check_action(action, parameters)

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

        self.push_screen(
            ConfirmDialog(
                "Er is een intake die nog niet is opgeslagen. Verder gaan met die intake?",
                yes="Verder (j)",
                no="Weggooien (n)",
            ),
            answered,
        )

    def action_intake(self) -> None:
        from wijkwerk_tui.ui.screens.intake import IntakeScreen

        if self.session is not None and not isinstance(self.screen, IntakeScreen):
            self.push_screen(IntakeScreen())

    def action_command_palette(self) -> None:
        if self.session is not None and not self.locked and not CommandPalette.is_open(self):
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
        """Read the file first (a thread), then show the screen with it: one layout instead
        of an empty screen laid out and then filled."""
        self._open_resident(resident_id)

    @work(thread=True, exclusive=True, group="open-resident", exit_on_error=False)
    def _open_resident(self, resident_id: uuid.UUID) -> None:
        from wijkwerk_tui.domain.errors import DomainError
        from wijkwerk_tui.ui.screens.resident import ResidentScreen, fetch

        try:
            loaded = fetch(self.db, self.worker_id, resident_id)
        except DomainError as error:  # a Dutch message without personal data ("niet gevonden")
            self.call_from_thread(self.notify, str(error), severity="error", markup=False)
            return
        except Exception:  # no details: they could hold personal data
            self.call_from_thread(self.notify, "Deze inwoner kon niet worden geopend.", severity="error")
            return
        self.call_from_thread(self.push_screen, ResidentScreen(resident_id, loaded))

    def action_new_resident(self) -> None:
        from wijkwerk_tui.ui.screens.resident_form import ResidentForm

        form = ResidentForm()
        self.push_screen(form, lambda saved: self.open_resident(form.saved_id) if saved and form.saved_id else None)

    def action_anonymous_signal(self) -> None:
        from wijkwerk_tui.ui.screens.signal_form import SignalForm

        self.push_screen(SignalForm(None))

    # -- coordinators and accounts -----------------------------------------------------------
    def _coordinator_only(self, action: str) -> bool:
        from wijkwerk_tui.domain.accounts import COORDINATOR_ONLY, may

        if may(self.role, action):
            return True
        self.notify(f"Alleen een coördinator mag {COORDINATOR_ONLY[action]}.", severity="warning", markup=False)
        return False

    def action_accounts(self) -> None:
        from wijkwerk_tui.ui.screens.accounts import AccountsScreen

        if self._coordinator_only("accounts"):
            self._show_only(AccountsScreen, AccountsScreen)

    def action_settings(self) -> None:
        from wijkwerk_tui.ui.screens.settings_form import SettingsForm

        if self._coordinator_only("settings"):
            self.push_screen(SettingsForm())

    def action_change_passphrase(self) -> None:
        from wijkwerk_tui.ui.screens.passphrase_form import PassphraseForm

        self.push_screen(PassphraseForm())

    def action_retention(self) -> None:
        from wijkwerk_tui.services import privacy
        from wijkwerk_tui.store import settings
        from wijkwerk_tui.ui.screens.confirm import ConfirmDialog

        if not self._coordinator_only("retention"):
            return
        count, years = privacy.expired_count(self.db), settings.retention_years(self.db)
        if not count:
            self.notify(f"Niemand is langer dan {years} jaar na het laatste contact nog bekend.", markup=False)
            return

        def answered(sweep: bool | None) -> None:
            if sweep:
                done = privacy.retention_sweep(self.db, self.worker_id)
                self.notify(f"{done} inwoners geanonimiseerd. Aantallen in rapportages blijven gelijk.", markup=False)

        self.push_screen(
            ConfirmDialog(
                f"{count} inwoners hebben langer dan {years} jaar geen contact gehad en geen lopend signaal of lopende "
                "doorverwijzing. Hun persoonsgegevens en notities nu anonimiseren?",
                yes="Anonimiseren (j)",
                no="Niet nu (n)",
            ),
            answered,
        )

    def action_report(self) -> None:
        from wijkwerk_tui.ui.screens.report import ReportScreen

        if self._coordinator_only("report"):
            self._show_only(ReportScreen, ReportScreen)

    def action_activities(self) -> None:
        from wijkwerk_tui.ui.screens.activities import ActivitiesScreen

        self._show_only(ActivitiesScreen, ActivitiesScreen)

    def action_backup_now(self) -> None:
        from wijkwerk_tui.ops import backup

        made = backup.make_backup(self.db, self.worker_id)
        backup.prune(self.db.path)
        self.notify(f"Back-up gemaakt: {made.name}", markup=False)

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
        if self.session is not None:
            self.session.db.close()


def make_app(
    db_path: Path | str | None = None,
    *,
    db: Database | None = None,
    now: datetime | Callable[[], datetime] | None = None,
    worker: Worker | None = None,
) -> WijkwerkApp:
    """Build the app with an optional frozen clock.

    With `db_path` it starts at the gate (setup or login). With an open `db` it is
    signed in already, as `worker` or the first coordinator: tests, screenshots and
    benchmarks use that.
    """
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.store import workers

    if now is None:
        clock: Clock = system_clock
    elif isinstance(now, datetime):
        frozen = now if now.tzinfo else now.replace(tzinfo=UTC)
        clock = lambda: frozen  # noqa: E731
    else:
        clock = now
    if db is None:
        if db_path is None:
            raise ValueError("db_path or db is required")
        return WijkwerkApp(None, Path(db_path).expanduser(), clock)
    worker = worker or workers.default_worker(db)
    if worker is None:
        raise ValueError("the database has no worker to sign in as")
    return WijkwerkApp(vault.Unlocked(db, worker.id, worker.name, worker.role), clock=clock)
