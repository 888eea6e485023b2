"""The first screen: where the work is, per area."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from wijkwerk_tui.domain.dates import format_day_long
from wijkwerk_tui.store import areas, settings
from wijkwerk_tui.store.areas import AreaCount


class StartScreen(Screen[None]):
    TITLE = "Vandaag"
    BINDINGS = [Binding("r", "refresh", "Vernieuwen", id="start.refresh")]

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static(id="start-title", classes="screen-title")
            yield Static("Inwoners en open signalen per gebied", classes="section-title")
            yield DataTable(id="area-counts", cursor_type="row", zebra_stripes=True)
            yield Static(id="start-status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#area-counts", DataTable)
        table.add_column("Gebied", key="area")
        table.add_column("Inwoners", key="residents")
        table.add_column("Open signalen", key="signals")
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="start")
    def load(self) -> None:
        db = self.app.db  # type: ignore[attr-defined]
        organisation = settings.get(db, "organisation", "Wijkwerk")
        counts = areas.area_counts(db)
        self.app.call_from_thread(self._show, organisation, db.today(), counts)

    def _show(self, organisation: str, today: object, counts: list[AreaCount]) -> None:
        title = Text(f"{organisation} · {format_day_long(today)}")  # type: ignore[arg-type]
        self.query_one("#start-title", Static).update(title)
        table = self.query_one("#area-counts", DataTable)
        table.clear()
        for row in counts:
            table.add_row(Text(row.name), Text(str(row.residents), justify="right"),
                          Text(str(row.open_signals), justify="right"), key=str(row.area_id))
        total_residents = sum(r.residents for r in counts)
        total_signals = sum(r.open_signals for r in counts)
        table.add_row(Text("Totaal", style="bold"), Text(str(total_residents), style="bold", justify="right"),
                      Text(str(total_signals), style="bold", justify="right"), key="total")
        status = "Nog geen gebieden." if not counts else f"{len(counts)} gebieden"
        self.query_one("#start-status", Static).update(Text(status))
