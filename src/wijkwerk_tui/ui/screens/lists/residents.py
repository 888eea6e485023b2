"""Find a resident: search as you type (name parts, birth year, area) with filters.

The database does the searching and returns one page; the table never holds more. After
the exact matches come the residents whose family name only sounds like the typed one
(Jansen for "janssen"), marked "≈" ("lijkt op").
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static

from wijkwerk_tui.domain.ladders import Ladder, top_step
from wijkwerk_tui.queries.search import ResidentFilter, ResidentRow, search_residents
from wijkwerk_tui.store import areas
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.row_list import Column, RowList

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Area

PAGE = 100
SIMILAR = "≈"  # before a name found by the spelling-tolerant key only

OUTSIDE = Text("met reden", style="italic")  # outside his areas and caseload: opens with a reason


def _status(rows: list[ResidentRow]) -> str:
    """What the list shows, in one line that leaves room for the keys at 80 columns."""
    page = rows[:PAGE]
    similar = sum(row.tolerant for row in page)
    exact = len(page) - similar
    if not rows:
        return "Geen inwoners gevonden."
    if similar:
        more = "+" if len(rows) > PAGE else ""
        alike = f"{similar}{more} met een gelijkende naam ({SIMILAR})."
        return f"{exact} gevonden, {alike}" if exact else alike
    if len(rows) > PAGE:
        return f"De eerste {PAGE}; typ verder om te verfijnen."
    return f"{len(rows)} gevonden."


class ResidentsScreen(AppScreen[None]):
    TITLE = "Inwoners"
    DEFAULT_CSS = """
    ResidentsScreen #search { margin: 0 1; }
    ResidentsScreen #filters { height: auto; margin: 0 1; }
    ResidentsScreen #filters Select { width: 1fr; }
    ResidentsScreen #filters Checkbox { width: auto; }
    ResidentsScreen #results { height: 1fr; margin: 0 1; }
    ResidentsScreen #result-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "back", "Terug", id="residents.back"),
        Binding("ctrl+n", "new_resident", "Nieuwe inwoner", id="residents.new"),
        Binding("ctrl+f", "focus_search", "Zoeken", id="residents.search", show=False),
    ]

    _enter_waits = False  # Enter came before the results of what was typed

    def __init__(self, area_list: list[Area]) -> None:
        super().__init__()
        self.area_list = area_list
        self._tolerant: list[bool] = []  # per row shown: found by the spelling-tolerant key only

    @staticmethod
    def load(db: Database) -> list[Area]:
        return areas.list_areas(db)

    def compose(self) -> ComposeResult:
        yield Static(Text("Inwoners zoeken", style="bold"), classes="screen-title")
        yield Input(placeholder="naam, geboortejaar of gebied — bijv. 'jansen 1951'", id="search")
        with Horizontal(id="filters"):
            area_options = [(Text(a.name), str(a.id)) for a in self.area_list]
            yield select(area_options, id="filter-area", prompt="alle gebieden")
            steps_p = [(Text(f"participatie {n}"), n) for n in range(1, top_step(Ladder.PARTICIPATION) + 1)]
            yield select(steps_p, id="filter-participation", prompt="P-trede: alle")
            steps_s = [(Text(f"verantw. {n}"), n) for n in range(1, top_step(Ladder.SUPPORT) + 1)]
            yield select(steps_s, id="filter-support", prompt="V-trede: alle")
            yield Checkbox("open signalen", id="filter-signals", compact=True)
        yield RowList(
            Column("Naam", flex=True), "Jaar", Column("Gebied", max_width=18), "P", "V", zebra=True, id="results"
        )
        yield Static(id="result-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.refresh_results()

    def _filters(self) -> ResidentFilter:
        def chosen(widget_id: str) -> str | None:
            value = self.query_one(widget_id, Select).value
            return None if value is Select.NULL else str(value)

        area, participation, support = (
            chosen("#filter-area"),
            chosen("#filter-participation"),
            chosen("#filter-support"),
        )
        return ResidentFilter(
            area_id=uuid.UUID(area) if area else None,
            participation_step=int(participation) if participation else None,
            support_step=int(support) if support else None,
            open_signals=self.query_one("#filter-signals", Checkbox).value,
        )

    def refresh_results(self) -> None:
        self._version = self.app.data_version
        self.search(self.query_one("#search", Input).value, self._filters())

    def on_screen_resume(self) -> None:
        # Back from a file where something was saved (a name changed, an erasure): the list
        # must not keep showing what is no longer so.
        if getattr(self, "_version", None) != self.app.data_version:
            self.refresh_results()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="search")
    def search(self, query: str, filters: ResidentFilter) -> None:
        rows = search_residents(self.app.db, query, filters, limit=PAGE + 1, actor=self.app.worker_id, tolerant=True)
        self.app.call_from_thread(self._show, query, rows)

    def _show(self, query: str, rows: list[ResidentRow]) -> None:
        if query != self.query_one("#search", Input).value:
            return  # an older search finished after a newer key press
        page = rows[:PAGE]
        self.query_one("#results", RowList).set_rows(
            [
                (
                    Text(f"{SIMILAR} {row.sort_name}", style="italic") if row.tolerant else row.sort_name,
                    row.birth_year or "",
                    row.area,
                    OUTSIDE if row.needs_reason else row.participation_step or "-",
                    "" if row.needs_reason else row.support_step or "-",
                )
                for row in page
            ],
            [str(row.id) for row in page],
        )
        self._tolerant = [row.tolerant for row in page]
        status = Text(_status(rows) + "  ↓ naar de lijst, Enter opent")
        self.query_one("#result-status", Static).update(status, layout=False)  # one line, always
        self.shown_query = query  # what the list now shows (tests and benchmarks wait for it)
        if self._enter_waits and self.focused is self.query_one("#search", Input):
            self._enter()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._enter_waits = False  # (typed on after Enter: that Enter was not for this)
            self.refresh_results()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if getattr(self, "shown_query", None) != event.value:
            self._enter_waits = True  # typed and Enter before the list caught up: once it has
            return
        self._enter()

    def _enter(self) -> None:
        self._enter_waits = False
        results = self.query_one("#results", RowList)
        if results.row_count:
            results.focus()
            if results.row_count == 1 and not self._tolerant[0]:
                self._open(results.key_at(0))  # a name that only sounds alike opens with a second Enter

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.refresh_results()

    def on_checkbox_changed(self, _event: Checkbox.Changed) -> None:
        self.refresh_results()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#search", Input):
            event.stop()
            self.query_one("#results", RowList).focus()

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        self._open(event.key)

    def _open(self, key: str | None) -> None:
        if key:
            self.app.open_resident(uuid.UUID(key))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_new_resident(self) -> None:
        self.app.action_new_resident()
