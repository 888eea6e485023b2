"""Ctrl+O, or "Laatste opslag ongedaan maken" in the palette: the worker's own last save, taken
back within minutes after a one-line confirmation (the rules: `domain.undo`, the work:
`services.undo`). Each worker has their own last save, so after a lock and another worker's
unlock, Ctrl+O never reaches the previous worker's save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from wijkwerk_tui.domain import undo as undo_rules
from wijkwerk_tui.domain.dates import format_time
from wijkwerk_tui.ui.base import AppModal, AppScreen
from wijkwerk_tui.ui.navigation import Navigation

if TYPE_CHECKING:
    from wijkwerk_tui.services.undo import Saved

NOTHING = (
    f"Er is niets om ongedaan te maken: alleen uw eigen laatste opslag, tot {undo_rules.UNDO_MINUTES} minuten erna."
)


class UndoLastSave(Navigation):
    def action_undo_last_save(self) -> None:
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog

        last = self.last_saves.get(self.worker_id)
        if last is None or not undo_rules.within(last.saved_at, self.clock()):
            self.notify(NOTHING, markup=False)
            return

        chosen = last

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo(chosen)

        question = f"Opslag van {format_time(last.saved_at)} ongedaan maken: {last.what}?"
        self.push_unless_locked(ConfirmDialog(question, yes="Ongedaan maken (j)", no="Laten staan (n)"), answered)

    @work(thread=True, exclusive=True, group="undo", exit_on_error=False, description="undo")
    def _undo(self, last: Saved) -> None:
        from wijkwerk_tui.services import undo

        undo.undo(self.db, self.worker_id, last)  # refused: a Dutch notice (`worker_failed`)
        self.call_from_thread(self._undone, last)

    def _undone(self, last: Saved) -> None:
        if self.last_saves.get(last.worker_id) is last:
            del self.last_saves[last.worker_id]
        self.saved()
        self.notify(f"Ongedaan gemaakt: {last.what}.", markup=False)
        self.tell_screens({ref.id for ref in last.rows})

    def tell_screens(self, gone: set[Any]) -> None:
        """Records changed under the open screens (an undo, a sync); `gone`: ids no longer here."""
        for screen in self.screen_stack:
            if isinstance(screen, (AppScreen, AppModal)):
                screen.data_changed(gone)
