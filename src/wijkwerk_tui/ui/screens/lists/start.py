"""Vandaag: what needs the logged-in worker now. Every line opens its resident with Enter."""

from __future__ import annotations

import uuid
from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.dates import format_date, format_day_long, format_time
from wijkwerk_tui.domain.sync_words import sync_line
from wijkwerk_tui.domain.text import counted
from wijkwerk_tui.queries import overview
from wijkwerk_tui.queries.overview import Agenda, AreaCount, RecordedRow
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import settings
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.footer import Footer

WHAT_WIDTH = 21  # "Terugkoppeling (laat)"
WHO_WIDTH = 18


class StartScreen(AppScreen[None]):
    TITLE = "Vandaag"
    BINDINGS = [Binding("r", "refresh", "Vernieuwen", id="start.refresh")]

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static(id="start-title", classes="screen-title")
            yield Static(id="sync-line")
            yield Static(Text("Vandaag te doen (Enter opent de inwoner)"), classes="section-title")
            yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
            yield Static(id="area-counts")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#agenda", DataTable)
        # Fixed widths, so a long name never squeezes "Waarover" (it gets the rest of the line).
        table.add_column("Wat", key="kind", width=WHAT_WIDTH)
        table.add_column("Datum", key="date", width=10)
        table.add_column("Inwoner", key="who", width=WHO_WIDTH)
        table.add_column("Waarover", key="about")
        self.watch(self.app, "sync_line", self._sync_changed)
        self.load()

    def on_screen_resume(self) -> None:
        # The agenda (with "recently opened") always; the area counts, which take a while at
        # 100 000 residents, only after something was saved.
        self.load(counts=getattr(self, "_version", None) != self.app.data_version)

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="start", description="start")
    def load(self, counts: bool = True) -> None:
        db = self.app.db
        organisation = settings.get(db, "organisation", "Wijkwerk")
        where = sync.status(db)  # what waits shows before the first sync too
        line = sync_line(where.joined, where.waiting, where.last_sync, where.offline_since)
        self.app.call_from_thread(setattr, self.app, "sync_line", line)
        todo = overview.agenda(db, self.app.worker_id)
        area_rows = None
        if counts:
            self._version = self.app.data_version
            area_rows = overview.area_counts(db, self.app.worker_id)
        self.app.call_from_thread(self._show, organisation, self.app.today(), todo, area_rows)

    def _sync_changed(self, line: str) -> None:
        """Where the sync stands, under the title (only once this laptop joined a hub)."""
        shown = self.query_one("#sync-line", Static)
        shown.update(Text(line))
        shown.display = bool(line)

    def _show(self, organisation: str, today: date, todo: Agenda, counts: list[AreaCount] | None) -> None:
        worker = self.app.worker_name
        title = Text(f"{organisation} · {format_day_long(today)}")
        if worker:
            title.append(f" · {worker}", style="italic")
        self.query_one("#start-title", Static).update(title)
        table = self.query_one("#agenda", DataTable)
        table.clear()
        n = 0

        # The rest of the line for "Waarover": the table less its other columns, cell padding, scroll bar.
        about_width = max(12, table.size.width - WHAT_WIDTH - 10 - WHO_WIDTH - 8 - 2)

        column = table.columns[ColumnKey("about")]
        column.width, column.auto_width = about_width, False

        def add(kind: Text, resident_id: uuid.UUID | None, who: str, about: str, when: str) -> None:
            nonlocal n
            n += 1
            name = plain(who)
            name.truncate(WHO_WIDTH, overflow="ellipsis")
            # A long "Waarover" wraps onto a second line of its row rather than being cut.
            about_text = plain(about)
            rows = max(1, len(about_text.wrap(self.app.console, about_width)))
            table.add_row(kind, plain(when), name, about_text, key=f"{resident_id or ''}#{n}", height=rows)

        for s in todo.overdue_signals:
            label = signal_rules.CATEGORIES.get(s.category, s.category).split(" /")[0]  # the short form
            urgency = signal_rules.URGENCIES[s.urgency]
            add(
                Text("Signaal opvolgen", style="bold"),
                s.resident_id,
                s.who,
                f"{label} ({urgency})",
                format_date(s.follow_up_on),
            )
        for r in todo.feedback:
            late = r.feedback_due_on is not None and r.feedback_due_on < today
            add(
                Text("Terugkoppeling" + (" (laat)" if late else ""), style="bold" if late else ""),
                r.resident_id,
                r.who,
                r.partner,
                format_date(r.feedback_due_on),
            )
        for g in todo.goals:
            add(Text("Doel evalueren"), g.resident_id, g.who, g.description, format_date(g.review_on))
        for resident_id, name in todo.recent:
            add(Text("Recent geopend", style="dim"), resident_id, name, "", "")
        for done in todo.recorded:  # the hour's own work, to check before leaving
            who = done.who or "anoniem"
            add(Text("Vastgelegd", style="italic"), done.resident_id, who, recorded(done), format_time(done.last_at))
        if n == 0:
            # (the hint in the column that wraps: in the first it was cut at 80 columns)
            hint = Text("Zoek een inwoner met /.")
            rows = max(1, len(hint.wrap(self.app.console, about_width)))
            table.add_row(Text("Niets te doen."), Text(""), Text(""), hint, key="#empty", height=rows)
        if counts is not None:
            line = Text("Inwoners per gebied: ", style="bold")
            line.append(" · ".join(f"{c.name} {c.residents}" for c in counts) or "nog geen gebieden")
            self.query_one("#area-counts", Static).update(line)

    def data_changed(self, gone: set[object]) -> None:
        self.load()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        resident = (event.row_key.value or "").split("#")[0]
        if resident:
            self.app.open_resident(uuid.UUID(resident))


def recorded(done: RecordedRow) -> str:
    """'inloop, 2 treden, Eenzaamheid, naar Schuldhulp': what one line of today's work holds."""
    parts = [CONTACT_KINDS.get(kind, kind) for kind in done.contact_kinds]
    if done.steps:
        parts.append(counted(done.steps, "trede", "treden"))
    parts += [signal_rules.CATEGORIES.get(c, c).split(" /")[0] for c in done.signal_categories]
    parts += [f"naar {partner}" for partner in done.partners]
    return ", ".join(parts)
