"""De sociale kaart: list, add, edit and (de)activate partners."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from wijkwerk_tui.db.tables import Partner
from wijkwerk_tui.domain.ladders import Ladder, steps
from wijkwerk_tui.store import partners
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.footer import Footer


class PartnersScreen(AppScreen[None]):
    TITLE = "Sociale kaart"
    DEFAULT_CSS = """
    PartnersScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="partners.back"),
        Binding("ctrl+n,plus", "add", "Nieuwe partner", id="partners.add"),
        Binding("e", "edit", "Wijzigen", id="partners.edit"),
        Binding("x", "toggle_active", "(De)activeren", id="partners.toggle"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._partners: dict[str, Partner] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Sociale kaart", style="bold"), classes="screen-title")
        yield DataTable(id="partner-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Naam", "Soort", "Trede", "Telefoon", "Actief")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="partners", description="partners")
    def load(self) -> None:
        found = partners.list_partners(self.app.db, include_inactive=True)
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[Partner]) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        labels = {s.number: s.label for s in steps(Ladder.SUPPORT)}
        self._partners = {str(p.id): p for p in found}
        for p in found:
            step = f"{p.support_step} {labels[p.support_step]}" if p.support_step else ""
            table.add_row(
                plain(p.name),
                plain(p.kind),
                plain(step),
                plain(p.phone),
                plain("ja" if p.active else "nee", "" if p.active else "dim"),
                key=str(p.id),
            )
        if found:
            table.move_cursor(row=min(keep, len(found) - 1))

    def _selected(self) -> Partner | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self._partners.get(key or "")

    def _after(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_add(self) -> None:
        from wijkwerk_tui.ui.screens.lists.partner_form import PartnerForm

        self.app.push_screen(PartnerForm(), self._after)

    def action_edit(self) -> None:
        from wijkwerk_tui.ui.screens.lists.partner_form import PartnerForm

        partner = self._selected()
        if partner:
            self.app.push_screen(PartnerForm(partner), self._after)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_toggle_active(self) -> None:
        partner = self._selected()
        if partner:
            self._toggle(partner)

    @work(thread=True, exclusive=True, exit_on_error=False, group="partner-toggle", description="partner-toggle")
    def _toggle(self, partner: Partner) -> None:
        partners.set_active(self.app.db, self.app.worker_id, partner.id, not partner.active)
        self.app.call_from_thread(self.app.saved)
        message = ("Gedeactiveerd: " if partner.active else "Weer actief: ") + partner.name
        self.app.call_from_thread(self.app.notify, message, markup=False)
        self.app.call_from_thread(self.load)
