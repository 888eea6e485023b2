"""All open signals (acute and oldest first) and referrals awaiting feedback (overdue first),
filterable by area and worker."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.dates import format_date
from wijkwerk_tui.queries import overview
from wijkwerk_tui.queries.overview import ReferralRow, SignalRow
from wijkwerk_tui.store import areas, workers
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database

Choices = tuple[list[tuple[uuid.UUID, str]], list[tuple[uuid.UUID, str]]]


class OverviewsScreen(AppScreen[None]):
    TITLE = "Overzichten"
    DEFAULT_CSS = """
    OverviewsScreen #overview-filters { height: auto; margin: 0 1; }
    OverviewsScreen #overview-filters Select { width: 1fr; }
    OverviewsScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Terug", id="overviews.back")]

    def __init__(self, choices: Choices) -> None:
        super().__init__()
        self.choices = choices

    @staticmethod
    def load(db: Database) -> Choices:
        """The filters' options: areas and workers, as (id, name)."""
        return ([(a.id, a.name) for a in areas.list_areas(db)], [(w.id, w.name) for w in workers.list_workers(db)])

    def compose(self) -> ComposeResult:
        yield Static(Text("Overzichten", style="bold"), classes="screen-title")
        area_list, worker_list = self.choices
        with Horizontal(id="overview-filters"):
            yield select([(Text(name), str(i)) for i, name in area_list], id="overview-area", prompt="alle gebieden")
            yield select(
                [(Text(name), str(i)) for i, name in worker_list], id="overview-worker", prompt="alle medewerkers"
            )
        yield Static(id="signals-title", classes="section-title")
        yield DataTable(id="open-signals", cursor_type="row", zebra_stripes=True)
        yield Static(id="referrals-title", classes="section-title")
        yield DataTable(id="awaiting", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#open-signals", DataTable).add_columns(
            "Urgentie", "Sinds", "Inwoner", "Gebied", "Categorie", "Status", "Door"
        )
        self.query_one("#awaiting", DataTable).add_columns(
            "Terug vóór", "", "Inwoner", "Gebied", "Partner", "Status", "Door"
        )
        self.query_one("#open-signals", DataTable).focus()
        self.reload()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.reload()

    def _chosen(self, widget_id: str) -> uuid.UUID | None:
        value = self.query_one(widget_id, Select).value
        return None if value is Select.NULL else uuid.UUID(str(value))

    def reload(self) -> None:
        self.fetch(self._chosen("#overview-area"), self._chosen("#overview-worker"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="overviews", description="overviews")
    def fetch(self, area_id: uuid.UUID | None, worker_id: uuid.UUID | None) -> None:
        db = self.app.db
        open_signals = overview.open_signal_rows(db, self.app.worker_id, area_id, worker_id)
        awaiting = overview.awaiting_feedback_rows(db, area_id, worker_id, actor=self.app.worker_id)
        self.app.call_from_thread(self._show, open_signals, awaiting, self.app.today())

    def _show(self, open_signals: list[SignalRow], awaiting: list[ReferralRow], today: date) -> None:
        table = self.query_one("#open-signals", DataTable)
        table.clear()
        for n, s in enumerate(open_signals):
            urgency = signal_rules.URGENCIES[s.urgency]
            table.add_row(
                plain(urgency, "bold red" if s.urgency == "acute" else "bold" if s.urgency == "high" else ""),
                plain(format_date(s.noticed_on)),
                plain(s.who),
                plain(s.area),
                plain(signal_rules.CATEGORIES.get(s.category, s.category)),
                plain(signal_rules.STATUSES[s.status]),
                plain(s.worker),
                key=f"{s.resident_id or ''}#{n}",
            )
        self.query_one("#signals-title", Static).update(Text(f"Open signalen ({len(open_signals)})"))
        table = self.query_one("#awaiting", DataTable)
        table.clear()
        late = 0
        for n, r in enumerate(awaiting):
            overdue = r.feedback_due_on is not None and r.feedback_due_on < today
            late += overdue
            table.add_row(
                plain(format_date(r.feedback_due_on)),
                plain("te laat" if overdue else "", "bold"),
                plain(r.who),
                plain(r.area),
                plain(r.partner),
                plain(referral_rules.STATUSES[r.status]),
                plain(r.worker),
                key=f"{r.resident_id}#{n}",
            )
        self.query_one("#referrals-title", Static).update(
            Text(f"Wachten op terugkoppeling ({len(awaiting)}, waarvan {late} te laat)")
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        resident = (event.row_key.value or "").split("#")[0]
        if resident:
            self.app.open_resident(uuid.UUID(resident))
