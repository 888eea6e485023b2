"""Going from screen to screen: what each key and palette entry opens, and the read before it.

A screen that shows data gets it before it is pushed: `push_loaded` reads in a thread
worker and pushes the screen built from what was read, so no screen reads the database
while it is composed, and the first frame is the full one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from wijkwerk_tui.domain.accounts import COORDINATOR_ONLY, may
from wijkwerk_tui.ui.session import SessionApp

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database

D = TypeVar("D")
R = TypeVar("R")


class Navigation(SessionApp):
    # -- opening screens ----------------------------------------------------------
    def push_loaded(
        self,
        load: Callable[[Database], D],
        make: Callable[[D], Screen[R]],
        callback: Callable[[R | None], None] | None = None,
    ) -> None:
        """Read with `load` in a thread, then push `make(data)` (the newest request wins)."""
        self._push_loaded(load, make, callback)

    @work(thread=True, exclusive=True, group="open-screen", exit_on_error=False, description="open-screen")
    def _push_loaded(
        self,
        load: Callable[[Database], Any],
        make: Callable[[Any], Screen[Any]],
        callback: Callable[[Any], None] | None,
    ) -> None:
        data = load(self.db)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._push_made, make, data, callback)

    def _push_made(self, make: Callable[[Any], Screen[Any]], data: Any, callback: Callable[[Any], None] | None) -> None:
        self.push_unless_locked(make(data), callback)

    def _show_only(self, screen_type: type[Screen[Any]], open_it: Callable[[], object]) -> None:
        """Go to a top-level screen: back to it if it is already on the stack, else open it."""
        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, screen_type):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        open_it()

    def action_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_residents(self) -> None:
        from wijkwerk_tui.ui.screens.lists.residents import ResidentsScreen

        self._show_only(ResidentsScreen, lambda: self.push_loaded(ResidentsScreen.load, ResidentsScreen))
        if isinstance(self.screen, ResidentsScreen):
            self.screen.action_focus_search()

    def action_overviews(self) -> None:
        from wijkwerk_tui.ui.screens.lists.overviews import OverviewsScreen

        self._show_only(OverviewsScreen, lambda: self.push_loaded(OverviewsScreen.load, OverviewsScreen))

    def action_partners(self) -> None:
        from wijkwerk_tui.ui.screens.lists.partners import PartnersScreen

        self._show_only(PartnersScreen, lambda: self.push_screen(PartnersScreen()))

    def action_activities(self) -> None:
        from wijkwerk_tui.ui.screens.lists.activities import ActivitiesScreen

        self._show_only(ActivitiesScreen, lambda: self.push_screen(ActivitiesScreen()))

    def action_exports(self) -> None:
        from wijkwerk_tui.ui.screens.lists.exports import ExportsScreen

        folder = self.export_dir
        self._show_only(
            ExportsScreen,
            lambda: self.push_loaded(
                lambda db: ExportsScreen.load(db, folder), lambda found: ExportsScreen(folder, found)
            ),
        )

    def action_frozen_reports(self) -> None:
        from wijkwerk_tui.ui.screens.lists.frozen_reports import FrozenReportsScreen

        actor = self.worker_id
        self._show_only(
            FrozenReportsScreen,
            lambda: self.push_loaded(lambda db: FrozenReportsScreen.load(db, actor), FrozenReportsScreen),
        )

    def action_intake(self) -> None:
        from wijkwerk_tui.ui.screens.resident.intake import IntakeScreen

        if self.session is not None and not any(isinstance(s, IntakeScreen) for s in self.screen_stack):
            self.push_loaded(IntakeScreen.load, IntakeScreen)

    def open_resident(self, resident_id: uuid.UUID) -> None:
        """Read the file first (a thread), then show the screen with it: one layout instead
        of an empty screen laid out and then filled."""
        self._open_resident(resident_id)

    @work(thread=True, exclusive=True, group="open-resident", exit_on_error=False, description="open-resident")
    def _open_resident(self, resident_id: uuid.UUID, reason: str = "") -> None:
        from wijkwerk_tui.store.scope import NeedsReason
        from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen, fetch

        try:
            loaded = fetch(self.db, self.worker_id, resident_id, reason)  # "niet gevonden" is a Dutch notice
        except NeedsReason as needs:
            self.call_from_thread(self._ask_reason, resident_id, needs.message)
            return
        self.call_from_thread(self.push_unless_locked, ResidentScreen(resident_id, loaded, reason))

    def _ask_reason(self, resident_id: uuid.UUID, explanation: str) -> None:
        """Break-glass: outside his areas and caseload, a file opens only with a reason."""
        from wijkwerk_tui.ui.dialogs.reason import ReasonDialog

        def answered(reason: str | None) -> None:
            if reason:
                self._open_resident(resident_id, reason)

        self.push_unless_locked(ReasonDialog(explanation), answered)

    def action_new_resident(self) -> None:
        from wijkwerk_tui.ui.screens.resident.resident_form import ResidentForm

        self.push_loaded(ResidentForm.load, lambda data: ResidentForm(data, open_when_saved=True))

    def action_anonymous_signal(self) -> None:
        from wijkwerk_tui.ui.screens.resident.signal_form import SignalForm

        self.push_screen(SignalForm(None))

    # -- coordinators and accounts -----------------------------------------------------------
    def coordinator_only(self, action: str) -> bool:
        """The menus hide what a role may not do; the store checks again."""
        if may(self.role, action):
            return True
        self.notify(f"Alleen een coördinator mag {COORDINATOR_ONLY[action]}.", severity="warning", markup=False)
        return False

    def action_accounts(self) -> None:
        from wijkwerk_tui.ui.screens.admin.accounts import AccountsScreen

        if self.coordinator_only("accounts"):
            self._show_only(AccountsScreen, lambda: self.push_screen(AccountsScreen()))

    def action_unusual_views(self) -> None:
        from wijkwerk_tui.ui.screens.lists.unusual_views import UnusualViewsScreen

        if self.coordinator_only("audit_view"):
            self._show_only(UnusualViewsScreen, lambda: self.push_screen(UnusualViewsScreen(self.today())))

    def action_settings(self) -> None:
        from wijkwerk_tui.ui.screens.admin.settings_form import SettingsForm

        if self.coordinator_only("settings"):
            self.push_loaded(SettingsForm.load, SettingsForm)

    def action_change_passphrase(self) -> None:
        from wijkwerk_tui.ui.screens.admin.passphrase_form import PassphraseForm

        self.push_screen(PassphraseForm())

    def action_conflicts(self) -> None:
        from wijkwerk_tui.ui.screens.lists.conflicts import ConflictsScreen

        worker = self.worker_id
        self._show_only(
            ConflictsScreen, lambda: self.push_loaded(lambda db: ConflictsScreen.load(db, worker), ConflictsScreen)
        )

    def action_import(self) -> None:
        from wijkwerk_tui.ui.screens.admin.import_file import ImportScreen

        if self.coordinator_only("import"):
            self._show_only(ImportScreen, lambda: self.push_screen(ImportScreen()))

    def action_report(self) -> None:
        from wijkwerk_tui.ui.screens.lists.report import ReportScreen

        if self.coordinator_only("report"):
            self._show_only(ReportScreen, lambda: self.push_loaded(ReportScreen.load, ReportScreen))

    # -- jobs that take a while: in a thread, with progress in the footer -------------------
    def action_check(self) -> None:
        from wijkwerk_tui.ui.screens.admin.check import CheckScreen

        self._show_only(CheckScreen, lambda: self.push_screen(CheckScreen()))

    def action_backup_now(self) -> None:
        self._backup_now()

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False, description="backup")
    def _backup_now(self) -> None:
        from wijkwerk_tui.ops import backup

        def step(done: float) -> None:
            self.progress(f"Back-up {done:.0%}")

        step(0)
        made = backup.make_backup(self.db, self.worker_id, progress=step)
        pruned = backup.prune(self.db.path)
        self.progress("")
        self.call_from_thread(self.notify, f"Back-up gemaakt: {made.name}", markup=False)
        if pruned.notice:
            self.call_from_thread(self.notify, pruned.notice, severity="warning", markup=False, timeout=12)

    def action_retention(self) -> None:
        if self.coordinator_only("retention"):
            self._retention_count()

    @work(thread=True, exclusive=True, group="retention", exit_on_error=False, description="retention")
    def _retention_count(self) -> None:
        from wijkwerk_tui.services import privacy
        from wijkwerk_tui.store import settings

        try:
            count, years = privacy.expired_count(self.db), settings.retention_years(self.db)
        except privacy.DecidedAtHub as refusal:  # joined to a hub: the organisation decides there
            self.call_from_thread(self.notify, refusal.message, severity="warning", markup=False, timeout=10)
            return
        self.call_from_thread(self._ask_retention, count, years)

    def _ask_retention(self, count: int, years: int) -> None:
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog

        if not count:
            self.notify(f"Niemand is langer dan {years} jaar na het laatste contact nog bekend.", markup=False)
            return

        def answered(sweep: bool | None) -> None:
            if sweep:
                self._retention_sweep()

        question = (
            f"{count} inwoners hebben langer dan {years} jaar geen contact gehad en geen lopend signaal of lopende "
            "doorverwijzing. Hun persoonsgegevens en notities nu anonimiseren?"
        )
        self.push_unless_locked(ConfirmDialog(question, yes="Anonimiseren (j)", no="Niet nu (n)"), answered)

    @work(thread=True, exclusive=True, group="retention", exit_on_error=False, description="retention")
    def _retention_sweep(self) -> None:
        from wijkwerk_tui.services import privacy

        self.progress("Bewaartermijn toepassen…")
        done = privacy.retention_sweep(self.db, self.worker_id)
        self.progress("")
        self.call_from_thread(self.saved)
        message = f"{done} inwoners geanonimiseerd. Aantallen in rapportages blijven gelijk."
        self.call_from_thread(self.notify, message, markup=False)
