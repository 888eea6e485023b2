"""The areas a worker works in (coordinators): he opens their residents' files, and those on
his caseload, without a reason (store.scope). None ticked: every area."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.store import areas, scope
from wijkwerk_tui.ui.base import AppModal


class WorkerAreasDialog(AppModal[bool]):
    DEFAULT_CSS = """
    WorkerAreasDialog { align: center middle; }
    WorkerAreasDialog > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 90%; border: thick $primary;
        background: $surface; padding: 1 2;
    }
    WorkerAreasDialog SelectionList { height: auto; max-height: 14; }
    WorkerAreasDialog #areas-error { color: $error; height: auto; }
    WorkerAreasDialog #areas-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Opslaan", id="areas.save"),
        Binding("escape", "dismiss(False)", "Annuleren", id="areas.cancel"),
    ]

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Gebieden van {self.worker.name}"), id="areas-title")
            yield Static(Text("Geen enkel gebied aangevinkt: alle gebieden."))
            yield SelectionList[str](id="areas")
            yield Static("", id="areas-error")
            yield Static("Spatie aan/uit · Ctrl+S opslaan · Escape annuleren", id="areas-keys")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exit_on_error=False, group="worker-areas", description="worker-areas")
    def load(self) -> None:
        known = areas.list_areas(self.app.db)
        chosen = scope.worker_areas(self.app.db, self.worker.id)
        self.app.call_from_thread(self._show, [(a.name, str(a.id), a.id in chosen) for a in known])

    def _show(self, options: list[tuple[str, str, bool]]) -> None:
        picker = self.query_one("#areas", SelectionList)
        picker.add_options([(Text(name), value, ticked) for name, value, ticked in options])
        picker.focus()

    def work_failed(self, worker: object) -> None:
        """A read or a save that failed (the app's notice said so): nothing changed, back to
        the list, which is usable."""
        self.dismiss(False)

    def action_save(self) -> None:
        chosen = {uuid.UUID(v) for v in self.query_one("#areas", SelectionList).selected}
        self._save(chosen)

    @work(thread=True, exit_on_error=False, group="worker-areas-save", description="worker-areas-save")
    def _save(self, chosen: set[uuid.UUID]) -> None:
        actor = self.app.worker_id
        if actor is None:
            return
        try:
            scope.set_areas(self.app.db, actor, self.worker.id, chosen)
        except DomainError as refused:
            self.app.call_from_thread(self.query_one("#areas-error", Static).update, Text(refused.message))
            return
        self.app.call_from_thread(self.dismiss, True)
