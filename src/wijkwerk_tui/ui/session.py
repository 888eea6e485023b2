"""The signed-in side of the app: who is working, on which database, at what time, and the
one rule for leaving the UI thread.

Every database or file call made from a screen runs in a thread worker
(`@work(thread=True, exit_on_error=False)`). When one fails, `worker_failed` shows one
Dutch notice: the message of a DomainError (written to be safe to show), otherwise a
fixed sentence without details, since an exception's text may quote a resident's data.
The screen that ran the worker then makes itself usable again (`ui.base`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wijkwerk_tui.db.faults import DAMAGED, kind
from wijkwerk_tui.domain.accounts import DEFAULT_LOCK_MINUTES
from wijkwerk_tui.domain.clock import Clock, local_today, system_clock
from wijkwerk_tui.ui.safe_errors import failure_notice

REPEAT_S = 8  # a failure notice stays this long; the same one is not repeated meanwhile
REPEATED = frozenset({"intake-draft"})  # worker groups the app starts again by itself

# The database layer (SQLAlchemy, SQLModel: a third of a second to import) is loaded only
# after the first screen is drawn, so the login is on screen as fast as a bare Textual app.
if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.security.vault import Unlocked
    from wijkwerk_tui.services.undo import Saved


class SessionApp(App[object]):
    # What a background job (a backup, the retention sweep) is doing; the footer shows it.
    job_status: reactive[str] = reactive("")

    def __init__(
        self, session: Unlocked | None = None, db_path: Path | None = None, clock: Clock = system_clock
    ) -> None:
        super().__init__()
        self.session = session
        self.db_path = db_path or (session.db.path if session else None)
        self.clock = clock
        self.lock_minutes = DEFAULT_LOCK_MINUTES  # read from the settings once signed in
        self.locked = False  # the lock screen covers everything; nothing is pushed over it
        self.export_folder = ""  # a coordinator's choice for this laptop ("": the default)
        self.data_version = 0  # raised by every save; screens reload when it moved
        self._export_dir: Path | None = None
        self._last_notice, self._last_notice_at = ("", ""), 0.0
        self._check_offered = False  # the check is offered at the first damage met, not again
        # Each worker's last save, for "Laatste opslag ongedaan maken" (never another worker's).
        self.last_saves: dict[uuid.UUID | None, Saved] = {}

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

    def today(self) -> date:
        """Today in the Netherlands, by the app's clock (no database needed)."""
        return local_today(self.clock)

    @property
    def export_dir(self) -> Path:
        """Where exports go: the folder a coordinator chose, else WIJKWERK_EXPORTS or the app's own."""
        from wijkwerk_tui.config import export_dir

        chosen = Path(self.export_folder).expanduser() if self.export_folder else None
        return self._export_dir or chosen or export_dir()

    @export_dir.setter
    def export_dir(self, value: Path) -> None:
        self._export_dir = value

    def saved(self) -> None:
        """Something was written: screens below reload when they come back into view."""
        self.data_version += 1

    def remember_save(self, last: Saved) -> None:
        self.last_saves[last.worker_id] = last

    # -- background work -------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (screens hand theirs over through `ui.base`)."""
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[Any]) -> None:
        self.job_status = ""
        damaged = kind(worker.error) == DAMAGED
        if damaged and worker.group != "check" and not self._check_offered:
            # Offered once: a screen that reloads on every return (the start screen) would
            # otherwise bring the question back each time it is answered.
            self._check_offered = True
            self._offer_check(worker.description)
            return
        notice, now = failure_notice(worker.error), monotonic()
        # A write the app repeats by itself (the intake's draft, at every pause in the typing), or
        # damage met again, failing the same way within seconds: once is enough.
        again = (damaged or worker.group in REPEATED) and self._last_notice == (notice, worker.group)
        if again and now - self._last_notice_at < REPEAT_S:
            return
        self._last_notice, self._last_notice_at = (notice, worker.group), now
        self.notify(notice, severity="error", markup=False, timeout=REPEAT_S)

    def _offer_check(self, what: str) -> None:
        """Something could not be read because the file is damaged: say so, offer the check."""
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog

        part = "De gegevens van deze inwoner staan" if what == "open-resident" else "Deze gegevens staan"
        question = (
            f"{part} op een beschadigd deel van de database en konden niet worden gelezen. Er is niets "
            "veranderd. De controle zegt wat er beschadigd is en welke back-up terug kan. Nu controleren?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                from wijkwerk_tui.ui.screens.admin.check import CheckScreen

                self.push_unless_locked(CheckScreen())

        self.push_unless_locked(ConfirmDialog(question, yes="Controleren (j)", no="Later (n)"), answered)

    def push_unless_locked(self, screen: Screen[Any], callback: Callable[[Any], None] | None = None) -> None:
        """Push what a worker thread prepared, unless the lock came down meanwhile: then it is
        dropped (the person it was read for has gone), and the lock screen stays on top."""
        if not self.locked:
            self.push_screen(screen, callback)

    def progress(self, status: str) -> None:
        """From a worker thread: what the job is doing now ("" when done)."""
        self.call_from_thread(setattr, self, "job_status", status)
