"""Syncing with the organisation's hub from the app: at login, at the lock, every few minutes,
and on F5 ("Synchroniseren"). Always in a thread worker: typing never waits on the network.
The start screen's title line shows `sync_line`.
"""

from __future__ import annotations

from contextlib import suppress

from textual import work
from textual.reactive import reactive

from wijkwerk_tui.domain.sync_words import sync_line, sync_said
from wijkwerk_tui.domain.text import counted
from wijkwerk_tui.ui.undo_last import UndoLastSave

SYNC_EVERY_S = 180
REVOKED_EXIT = 3  # the app's exit code once it wiped a revoked laptop
ALERT_SAID = (
    "De hub meldt een afwijking in de audittrail van een laptop (ingekort, teruggezet of onvolledig). "
    "Zie Database controleren (Ctrl+P) of wijkwerk check."
)


class Syncing(UndoLastSave):
    sync_line: reactive[str] = reactive("")
    wiped = False  # this laptop was revoked and wiped (`_wipe`)
    _syncing = False  # a sync worker runs (the login's, the timer's or F5's)
    _sync_again = False  # F5 came while one ran: one more, loud, once it ends

    def start_syncing(self) -> None:
        self.set_interval(SYNC_EVERY_S, self.sync_in_background, name="sync")
        self.sync_in_background()

    def sync_in_background(self) -> None:
        if self.session is not None:
            self._start_sync(loud=False)

    def action_sync(self) -> None:
        if self.session is not None and not self.locked:
            self.notify("Synchroniseren…", timeout=3)
            self._start_sync(loud=True)

    def _start_sync(self, loud: bool) -> None:
        """One sync at a time; F5 during the login's or the timer's sync is not refused ("er
        loopt al een synchronisatie") but runs right after it, so what was just saved goes up."""
        if self._syncing:
            self._sync_again = self._sync_again or loud
            return
        self._syncing = True
        self._sync(loud)

    def _sync_ended(self) -> None:
        self._syncing = False
        if self._sync_again and not self.wiped:
            self._sync_again = False
            self.action_sync()

    @work(thread=True, group="sync", exit_on_error=False, description="sync")
    def _sync(self, loud: bool) -> None:
        try:
            self._sync_once(loud)
        finally:
            with suppress(RuntimeError):  # (the app closed meanwhile)
                self.call_from_thread(self._sync_ended)

    def _sync_once(self, loud: bool) -> None:
        from wijkwerk_tui.services import sync
        from wijkwerk_tui.services.sync_process import sync_apart

        db = self.db
        if not sync.status(db).joined:
            if loud:
                message = (
                    "Deze laptop is niet gekoppeld aan een hub. Een coördinator koppelt hem met `wijkwerk hub join`."
                )
                self.call_from_thread(self.notify, message, severity="warning", markup=False)
            return
        try:
            result = sync_apart(db)  # its own process: a search typed meanwhile does not wait
        except sync.LaptopRevoked as revoked:
            self._wipe(revoked.message)
            return
        except sync.SyncError as error:
            if loud:
                self.call_from_thread(self.notify, error.message, severity="warning", markup=False, timeout=10)
        else:
            if result.pulled and self.session is not None:
                from wijkwerk_tui.security import vault

                vault.take_accounts(self.session)  # accounts that arrived open this laptop now
            if result.pulled or result.came or result.left:
                self.call_from_thread(self.saved)
            if result.came or result.left:
                # (residents came in or left this laptop: the open screens reload, a file gone closes)
                self.call_from_thread(self.tell_screens, set(result.gone))
            if loud or result.conflicts or result.copied or result.left:
                said = sync_said(
                    result.pushed, result.pulled, result.conflicts, result.copied, result.came, result.left
                )
                self.call_from_thread(self.notify, said, markup=False, timeout=10)
            if result.alerts and self.is_coordinator:
                self.call_from_thread(self.notify, ALERT_SAID, severity="warning", markup=False, timeout=30)
        now = sync.status(db)
        line = sync_line(now.joined, now.waiting, now.last_sync, now.offline_since)
        self.call_from_thread(setattr, self, "sync_line", line)

    def _wipe(self, message: str) -> None:
        """Lost or stolen, and the hub proved it: this laptop's data goes, here in the worker
        (files first, while the app still runs: a kill now cannot keep them), then the app ends
        whatever happened; `wijkwerk` wipes once more after it (a backup that was being made)."""
        from wijkwerk_tui.config import export_dir
        from wijkwerk_tui.exchange.wipe_laptop import wipe_laptop

        self.wiped = True
        try:
            wipe_laptop(self.db.path, [export_dir()])
        finally:
            self.call_from_thread(self.exit, None, REVOKED_EXIT, message)

    def action_alerts_seen(self) -> None:
        """Mark the hub's alerts about the audit chains handled (coordinators; asks first)."""
        self._ask_alerts_seen()

    @work(thread=True, group="alerts", exit_on_error=False, description="alerts-count")
    def _ask_alerts_seen(self) -> None:
        from wijkwerk_tui.store import settings

        count = len(settings.hub_alerts(self.db))  # (what the question is about)
        self.call_from_thread(self._confirm_alerts_seen, count)

    def _confirm_alerts_seen(self, count: int) -> None:
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog

        if not count:
            self.notify("Geen meldingen van de hub op deze laptop.", markup=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._alerts_seen()

        self.push_screen(
            ConfirmDialog(
                f"{counted(count, 'melding', 'meldingen')} van de hub over de audittrail als afgehandeld markeren "
                "(zie Database controleren)? Ze verdwijnen dan op elke laptop; een nieuwe afwijking geeft een "
                "nieuwe melding. Dit komt in de audittrail.",
                yes="Afgehandeld (j)",
                no="Nog niet (n)",
            ),
            answered,
        )

    @work(thread=True, group="alerts", exit_on_error=False, description="alerts")
    def _alerts_seen(self) -> None:
        from wijkwerk_tui.domain.errors import DomainError
        from wijkwerk_tui.services import hub_alerts

        try:
            seen = hub_alerts.mark_seen(self.db, self.worker_id)
        except DomainError as error:  # (SyncError, PermissionDenied: Dutch)
            self.call_from_thread(self.notify, error.message, severity="warning", markup=False, timeout=10)
            return
        said = f"{counted(seen, 'melding', 'meldingen')} afgehandeld bij de hub." if seen else "Geen open meldingen."
        self.call_from_thread(self.notify, said, markup=False)
