"""Ongebruikelijk inzien (coordinators): one month of break-glass openings, views outside a
worker's areas and caseload, and days with unusually many files (queries.unusual_views)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from wijkwerk_tui.domain.dates import MONTHS, format_date
from wijkwerk_tui.domain.text import counted
from wijkwerk_tui.queries.unusual_views import Unusual, month_of, unusual_views
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList


class UnusualViewsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    UnusualViewsScreen #unusual-title { height: auto; padding: 0 1; text-style: bold; }
    UnusualViewsScreen RowList { height: 1fr; margin: 0 1; }
    UnusualViewsScreen #unusual-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="unusual.back"),
        Binding("left_square_bracket", "month(-1)", "Vorige maand", id="unusual.previous", key_display="["),
        Binding("right_square_bracket", "month(1)", "Volgende maand", id="unusual.next", key_display="]"),
    ]

    def __init__(self, month: date) -> None:
        super().__init__()
        self.month = month_of(month)
        self.rows: list[Unusual] = []
        self.title = "Ongebruikelijk inzien"

    def compose(self) -> ComposeResult:
        yield Static(id="unusual-title")
        yield RowList(
            "Datum",
            Column("Medewerker", max_width=18),
            Column("Wat", max_width=16),
            Column("Inwoner", max_width=20),
            Column("Toelichting", flex=True),
            id="unusual",
        )
        yield Static(id="unusual-status")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def action_month(self, step: int) -> None:
        self.month = self.month + relativedelta(months=step)
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="unusual", description="unusual")
    def load(self) -> None:
        month = self.month
        rows = unusual_views(self.app.db, self.app.worker_id, month)
        self.app.call_from_thread(self._show, month, rows)

    def _show(self, month: date, rows: list[Unusual]) -> None:
        if month != self.month:
            return  # (a month paged past meanwhile)
        name = f"{MONTHS[month.month - 1]} {month.year}"
        self.query_one("#unusual-title", Static).update(Text(f"Ongebruikelijk inzien — {name}"))
        self.rows = rows
        self.query_one("#unusual", RowList).set_rows(
            [(format_date(u.day), u.worker, u.what, u.resident, u.detail) for u in rows]
        )
        said = counted(len(rows), "melding", "meldingen") if rows else "Niets ongebruikelijks deze maand."
        keys = "Enter hele regel · [ vorige maand · ] volgende maand"
        self.query_one("#unusual-status", Static).update(Text(f"{said}  {keys}"))

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        """The whole line (the reason is cut in the list at 80 columns)."""
        if 0 <= event.index < len(self.rows):
            u = self.rows[event.index]
            whole = f"{format_date(u.day)} · {u.worker} · {u.what}" + (f" · {u.resident}" if u.resident else "")
            self.app.notify(f"{whole}\n{u.detail}", markup=False, timeout=15)
