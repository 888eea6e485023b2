"""Database controleren: SQLite's integrity check and the audit chain, read in a thread.

Offered when something could not be read because the file is damaged; it says what is
affected and which backup to put back. It changes nothing.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from wijkwerk_tui.ops import maintenance
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.widgets.footer import Footer


class CheckScreen(AppScreen[None]):
    DEFAULT_CSS = """
    CheckScreen #check-title { height: auto; padding: 0 1; text-style: bold; }
    CheckScreen VerticalScroll { height: 1fr; padding: 0 1; }
    CheckScreen #check-report { height: auto; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Terug", id="check.back")]

    def __init__(self) -> None:
        super().__init__()
        self.title = "Database controleren"

    def compose(self) -> ComposeResult:
        yield Static(Text("Database controleren — er wordt niets veranderd"), id="check-title")
        with VerticalScroll():
            yield Static(Text("Bezig met controleren…"), id="check-report")
        yield Footer()

    def on_mount(self) -> None:
        self.app.job_status = "Controle"
        self.run_check()

    @work(thread=True, exclusive=True, exit_on_error=False, group="check", description="check")
    def run_check(self) -> None:
        report = maintenance.check(self.app.db)
        self.app.call_from_thread(self._show, report)

    def _show(self, report: maintenance.CheckReport) -> None:
        self.app.job_status = ""
        verdict = "Alles in orde." if report.ok else "Er is iets mis; zie hieronder."
        lines = "\n".join([verdict, "", *report.lines()])
        self.query_one("#check-report", Static).update(Text(lines, style="" if report.ok else "bold"))

    def work_failed(self, worker: Worker[Any]) -> None:
        self.query_one("#check-report", Static).update(Text("De controle kon niet worden uitgevoerd."))
