"""The Textual app and the one factory that builds it for main, tests, screenshots and benchmarks.

The app starts at a gate: first-run setup, or login. Once signed in it holds an
`Unlocked` session (the open database and the worker); the lock screen covers
everything after `ctrl+l` or a few idle minutes. Where each key leads is in
`ui.navigation`; who is signed in and how workers fail, in `ui.session`.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import Widget

from wijkwerk_tui.domain.clock import Clock, system_clock
from wijkwerk_tui.ui import memory
from wijkwerk_tui.ui.commands import WijkwerkCommands
from wijkwerk_tui.ui.safe_errors import safe_report
from wijkwerk_tui.ui.syncing import Syncing
from wijkwerk_tui.ui.textual_private import fail_without_locals, guard_pastes

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Worker
    from wijkwerk_tui.security.vault import Unlocked


def _preload() -> None:
    """Import what the login will need while the person types their name."""
    import wijkwerk_tui.security.vault
    import wijkwerk_tui.ui.screens.lists.start  # noqa: F401


IDLE_CHECK_S = 10
# The app's own actions that work before login and while locked (gate screens have their own
# keys): stopping, the key help, and Tab / Shift+Tab between the name and passphrase fields.
LOCKED_ACTIONS = {"quit", "help", "focus_next", "focus_previous"}


class WijkwerkApp(Syncing):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere (benchmarks) find it too
    TITLE = "Wijkwerk"
    COMMANDS = {WijkwerkCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Stoppen", id="app.quit", priority=True),
        # Tab moves the focus at once, before the next key is handed out (Textual's own Tab
        # waits until the key has passed the focused field: "Jan<Tab>1950" typed fast put
        # 1950 in the name). No field here uses Tab itself.
        Binding("tab", "focus_next", "Volgend veld", id="app.next", priority=True, show=False),
        Binding("shift+tab", "focus_previous", "Vorig veld", id="app.previous", priority=True, show=False),
        # F1 everywhere, also inside a text field; ? where the focused widget does not type it.
        Binding("f1", "help", "Hulp", id="app.help", key_display="F1", priority=True),
        Binding("question_mark", "help", "Hulp", id="app.help_mark", key_display="?", show=False),
        Binding("slash", "residents", "Zoeken", id="app.residents", key_display="/"),
        Binding("n", "intake", "Intake", id="app.intake"),
        # Shown in the help (?) and the palette; the footer keeps to what matters on each screen
        # (every footer key is a widget, and a long footer slows every screen change).
        Binding("o", "overviews", "Overzicht", id="app.overviews", show=False),
        Binding("k", "partners", "Kaart", id="app.partners", show=False),
        Binding("ctrl+p", "command_palette", "Opdrachten", id="app.palette", show=False, priority=True),
        Binding("ctrl+l", "lock", "Vergrendel", id="app.lock", priority=True, show=False),
        # F5: no text field takes it, so a sync can be asked for from anywhere.
        Binding("f5", "sync", "Synchroniseren", id="app.sync", key_display="F5", priority=True, show=False),
        # Ctrl+O: no text field uses it (TextArea has Ctrl+Z and Ctrl+Y for its own typing).
        Binding("ctrl+o", "undo_last_save", "Ongedaan maken", id="app.undo", priority=True, show=False),
        # A field that moves on after one key (a ladder digit, the contact kind's letter) takes
        # it here, as the key arrives, like Tab: keys typed right after it go to the next field.
        *(
            Binding(key, f"quick_key('{key}')", show=False, priority=True, system=True)
            for key in "0123456789abcdefghijklmnopqrstuvwxyz"
        ),
    ]

    def __init__(
        self, session: Unlocked | None = None, db_path: Path | None = None, clock: Clock = system_clock
    ) -> None:
        super().__init__(session, db_path, clock)
        guard_pastes()  # an ESC in a paste would otherwise become key presses
        self.last_activity = clock()
        self.quiet_collector = memory.QuietCollector()
        self._cleaned_pastes: weakref.WeakSet[events.Paste] = weakref.WeakSet()

    # -- the gate ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        if self.session is not None:
            from wijkwerk_tui.ui.screens.lists.start import StartScreen

            return StartScreen()
        from wijkwerk_tui.security.gate import state as gate_state
        from wijkwerk_tui.security.keyfile import KeyFile, KeyFileError, keyfile_path

        def notice(message: str) -> Screen[Any]:  # imported only when one is shown
            from wijkwerk_tui.ui.screens.gate.notice import NoticeScreen

            return NoticeScreen(message)

        assert self.db_path is not None
        state = gate_state(self.db_path)
        if state == "new":
            from wijkwerk_tui.ui.screens.gate.setup import SetupScreen

            return SetupScreen(self.db_path)
        if state == "keys_missing":
            from wijkwerk_tui.security.gate import keys_missing_message

            return notice(keys_missing_message(self.db_path))
        if state == "unprotected":
            return notice(
                "Dit databasebestand is niet versleuteld. Wijkwerk opent alleen versleutelde "
                "databases; kies een ander bestand met --db."
            )
        from wijkwerk_tui.ui.screens.gate.login import LoginScreen

        try:  # a small file, read before the first frame: the login needs the names in it
            keyfile = KeyFile.load(keyfile_path(self.db_path))
        except KeyFileError as error:
            return notice(error.message)
        return LoginScreen(self.db_path, keyfile)

    def on_mount(self) -> None:
        if self.session is not None:
            self._start_session()

    def on_load(self) -> None:
        memory.pause_for_first_frame()

    def on_ready(self) -> None:
        memory.first_frame_drawn()
        if self.session is None:
            threading.Thread(target=_preload, name="preload", daemon=True).start()

    def signed_in(self, session: Unlocked) -> None:
        """Called by the gate screens: show the start screen for this worker."""
        from wijkwerk_tui.ui.screens.lists.start import StartScreen

        self.session = session
        # The gate lives in the default mode; the work gets a mode (a screen stack) of its own.
        self.add_mode("main", StartScreen)
        self.switch_mode("main")
        self._start_session()
        if session.notice:  # (a new database key given at this login, or held up: security.rekey)
            self.notify(session.notice, markup=False, timeout=20)

    def _start_session(self) -> None:
        self.last_activity = self.clock()
        self.set_interval(IDLE_CHECK_S, self.check_auto_lock, name="idle-lock")
        self._session_start()
        self.set_timer(1.0, memory.freeze_long_lived)
        self.set_interval(1.0, self.quiet_collector.tick, name="quiet-gc")
        self.start_syncing()

    @work(thread=True, exclusive=True, group="session-start", exit_on_error=False, description="session-start")
    def _session_start(self) -> None:
        """The lock minutes, an unsaved intake to offer, then the day's first backup."""
        from wijkwerk_tui.store import drafts, settings
        from wijkwerk_tui.ui.screens.resident.intake import DRAFT

        self.lock_minutes = settings.lock_minutes(self.db)
        self.export_folder = settings.get(self.db, settings.EXPORT_FOLDER_KEY)
        self._offer_draft(drafts.load(self.db, self.worker_id, DRAFT))
        self.call_from_thread(self._daily_backup)  # workers start on the UI thread

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False, description="backup")
    def _daily_backup(self) -> None:
        from wijkwerk_tui.ops import backup

        if self.session is not None and self.session.db.encrypted:
            pruned = backup.daily_backup(self.session.db, self.session.worker_id)
            if pruned is not None and pruned.notice:  # the disk budget keeps fewer restore points
                self.call_from_thread(self.notify, pruned.notice, severity="warning", markup=False, timeout=12)

    @work(thread=True, exclusive=True, group="draft-offer", exit_on_error=False, description="draft-offer")
    def _load_draft(self) -> None:
        from wijkwerk_tui.store import drafts
        from wijkwerk_tui.ui.screens.resident.intake import DRAFT

        self._offer_draft(drafts.load(self.db, self.worker_id, DRAFT))

    def _offer_draft(self, draft: dict[str, Any] | None) -> None:
        """After a crash, a kill or a power cut: offer the intake that was being typed (from a thread)."""
        if draft:
            self.call_from_thread(self._ask_about_draft, draft)

    def _ask_about_draft(self, draft: dict[str, Any]) -> None:
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
        from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen

        def answered(resume: bool | None) -> None:
            if resume:
                self.push_loaded(IntakeScreen.load, lambda setup: IntakeScreen(setup, draft))
            else:
                self.drop_draft(self.worker_id)

        question = "Er is een intake die nog niet is opgeslagen. Verder gaan met die intake?"
        self.push_unless_locked(ConfirmDialog(question, yes="Verder (j)", no="Weggooien (n)"), answered)

    @work(thread=True, group="draft-drop", exit_on_error=False, description="draft-drop")
    def drop_draft(self, owner: uuid.UUID | None) -> None:
        """The intake draft of `owner` is thrown away (discarded, or not resumed)."""
        from wijkwerk_tui.store import drafts
        from wijkwerk_tui.ui.screens.resident.intake import DRAFT

        drafts.clear(self.db, owner, DRAFT)

    # -- lock -------------------------------------------------------------------------------
    def lock_after(self) -> timedelta:
        return timedelta(minutes=self.lock_minutes)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.last_activity = self.clock()
            self.quiet_collector.touched()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            if event in self._cleaned_pastes:
                return  # ours, bubbled back up from the field that took it
            if self.focused is not None:
                self._paste(self.focused, event.text)
                return
        await super().on_event(event)

    def _paste(self, target: Widget, text: str) -> None:
        """A paste is text: no control character in it acts as a key or lands in the data, and
        a one-line field gets one line. The worker hears when something was taken out."""
        from textual.widgets import TextArea  # not before the first frame: it is a large import

        from wijkwerk_tui.domain.text import pasted

        cleaned, changed = pasted(text, one_line=not isinstance(target, TextArea))
        if changed:
            self.notify("Geplakte tekst: regeleinden samengevoegd of onzichtbare tekens weggehaald.", markup=False)
        paste = events.Paste(cleaned)
        self._cleaned_pastes.add(paste)
        target.post_message(paste)

    def check_auto_lock(self) -> None:
        if self.session is not None and not self.locked and self.clock() - self.last_activity >= self.lock_after():
            self.action_lock()

    def action_lock(self) -> None:
        from wijkwerk_tui.ui.screens.gate.lock import LockScreen

        if self.session is None or self.locked:
            return
        self.locked = True
        self._keep_drafts()
        self._audit_lock()
        self.sync_in_background()  # what was done before the lock goes up while nobody waits
        self.clear_notifications()
        if CommandPalette.is_open(self):
            self.pop_screen()
        self.push_screen(LockScreen())

    @work(thread=True, group="lock", exit_on_error=False, description="lock")
    def _audit_lock(self) -> None:
        from wijkwerk_tui.security import vault

        if self.session is not None:
            vault.lock(self.session)

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
        self._load_draft()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quick_key":  # only for a field that takes this key and moves on
            takes = getattr(self.screen.focused, "takes_quick_key", None)
            return bool(takes and takes(str(parameters[0])))
        if (self.session is None or self.locked) and action not in LOCKED_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def _keep_drafts(self) -> list[Any]:
        """Write every intake's draft now (before a lock or quit); returns the workers doing it."""
        from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen

        return [w for s in self.screen_stack if isinstance(s, IntakeScreen) for w in [s.flush_draft()] if w]

    async def action_quit(self) -> None:
        """Stop; a form with unsaved changes asks first, as Escape does (an intake keeps its draft)."""
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
        from wijkwerk_tui.ui.dialogs.form import FormScreen

        changed = [s for s in self.screen_stack if isinstance(s, FormScreen) and s.asks_before_quit and s.dirty]
        if changed and not isinstance(self.screen, ConfirmDialog):

            async def answered(stop: bool | None) -> None:
                if stop:
                    await self._stop()

            self.push_screen(
                ConfirmDialog("Wijzigingen niet opslaan en Wijkwerk stoppen?", yes="Stoppen (j)", no="Terug (n)"),
                answered,
            )
            return
        await self._stop()

    async def _stop(self) -> None:
        for writing in self._keep_drafts():
            await writing.wait()
        self.exit()

    def action_command_palette(self) -> None:
        if self.session is not None and not self.locked and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="Zoek een opdracht of een inwoner…"))

    def action_quick_key(self, key: str) -> None:
        self.screen.focused.take_quick_key(key)  # type: ignore[union-attr]  # checked in check_action

    def action_help(self) -> None:
        from wijkwerk_tui.ui.dialogs.help import HelpScreen, screen_keys

        screen = self.screen
        if isinstance(screen, HelpScreen):  # F1 again closes it
            screen.dismiss()
            return
        title = getattr(screen, "form_title", None) or screen.title or self.title  # forms name themselves
        self.push_screen(HelpScreen(str(title), screen_keys(screen)))

    def _handle_exception(self, error: Exception) -> None:
        # Replaces Textual's crash report, which prints locals (residents' data).
        fail_without_locals(self, error, safe_report(error))

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

        def clock() -> datetime:
            return frozen
    else:
        clock = now
    if db is None:
        if db_path is None:
            raise ValueError("db_path or db is required")
        return WijkwerkApp(None, Path(db_path).expanduser(), clock)
    worker = worker or workers.default_worker(db)
    if worker is None:
        raise ValueError("the database has no worker to sign in as")
    # An encrypted database comes with its key file, as after a login: passphrase changes
    # and new accounts then seal their key slots there too.
    keyfile = vault.load_keyfile(db.path) if db.encrypted else None
    return WijkwerkApp(vault.Unlocked(db, worker.id, worker.name, worker.role, keyfile), clock=clock)
