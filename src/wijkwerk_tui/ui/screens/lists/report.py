"""Rapportage (coordinators): the period report with bars, and exports for the municipality."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import Worker

from wijkwerk_tui.domain import report_build, story_check
from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.report import ALL, Period, PeriodReport
from wijkwerk_tui.domain.report_tables import charts
from wijkwerk_tui.domain.story_check import Flag
from wijkwerk_tui.exchange import report_files as export
from wijkwerk_tui.queries import report_data, story_names
from wijkwerk_tui.services import hub_report
from wijkwerk_tui.services.sync import SyncError
from wijkwerk_tui.store import areas, frozen_reports, settings
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.dialogs.story_review import Flagged, StoryReviewDialog
from wijkwerk_tui.ui.text import NOT_ENCRYPTED, plain
from wijkwerk_tui.ui.widgets.bar_chart import BarChart
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Area

SHOWN_TABLES = ("participation_movement", "support_movement", "signals_closed", "referrals", "reach")
SOURCES = {"laptop": "Deze laptop", "hub": "Organisatie"}  # whose data: this laptop's, or the hub's


class ReportScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ReportScreen #report-form { height: auto; padding: 0 1; }
    ReportScreen #report-form Input { width: 14; }
    ReportScreen #report-form Select { width: 24; }
    ReportScreen #report-form #source { width: 17; }
    ReportScreen #report-form Static { width: auto; padding: 0 1; }
    ReportScreen #report-status { height: auto; padding: 0 1; color: $text-muted; }
    ReportScreen #report-body { height: 1fr; }
    ReportScreen .report-table-title { text-style: bold; padding: 0 1; margin-top: 1; }
    ReportScreen DataTable { height: auto; max-height: 14; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="report.back"),
        Binding("ctrl+r", "run", "Berekenen", id="report.run", priority=True),
        Binding("ctrl+e", "export", "Exporteren", id="report.export", priority=True),
        Binding("ctrl+t", "freeze", "Vaststellen", id="report.freeze", priority=True),
    ]

    def __init__(self, area_list: list[Area]) -> None:
        super().__init__()
        self.title = "Rapportage"
        self.area_list = area_list
        self.report: PeriodReport | None = None
        self.report_period: Period | None = None  # what `report` was computed for
        self.report_source = "laptop"  # or "hub": the organisation's, from the hub

    @staticmethod
    def load(db: Database) -> list[Area]:
        return areas.list_areas(db)

    def compose(self) -> ComposeResult:
        today = self.app.today()
        options = [(Text(a.name), a.id) for a in self.area_list]
        with Horizontal(id="report-form"):
            yield Static(Text("Van"))
            yield Input(format_date(date(today.year, 1, 1)), id="start", compact=True)
            yield Static(Text("t/m"))
            yield Input(format_date(today), id="end", compact=True)
            yield select(options, id="area", prompt="alle gebieden")
            if self.app.db.sync_on:  # joined to the organisation's hub: its report too
                yield select(SOURCES, "laptop", id="source", allow_blank=False)
        yield Static(
            Text("Ctrl+R berekent · Ctrl+E schrijft md, csv, xlsx, json en html (kleine aantallen als x)"),
            id="report-status",
        )
        yield VerticalScroll(id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Input).focus()
        self.action_run()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def _period(self) -> Period | None:
        today = self.app.today()
        try:
            start = parse_date(self.query_one("#start", Input).value, today, "start")
            end = parse_date(self.query_one("#end", Input).value, today, "end")
        except DomainError as error:
            self._status(f"⚠ {error.message}")
            return None
        if end < start:
            self._status("⚠ De einddatum ligt voor de begindatum.")
            return None
        area = self.query_one("#area", Select).value
        return Period(start, end, None if area is Select.NULL else uuid.UUID(str(area)))

    def _status(self, message: str) -> None:
        self.query_one("#report-status", Static).update(Text(message))

    def _source(self) -> str:
        found = self.query("#source")
        return str(found.first(Select).value) if found else "laptop"

    def action_run(self) -> None:
        chosen = self._period()
        if chosen is not None:
            source = self._source()
            self._status("Bezig met rekenen…" if source == "laptop" else "De hub rekent…")
            self._compute(chosen, source)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "source":
            self.action_run()

    @work(thread=True, exclusive=True, exit_on_error=False, group="report", description="report")
    def _compute(self, chosen: Period, source: str) -> None:
        db = self.app.db
        if source == "hub":
            try:
                data = hub_report.organisation_report(db, self.app.worker_id, chosen)
            except SyncError as error:
                self.app.call_from_thread(self._status, f"⚠ {error.message}")
                return
        else:
            data = report_data.load(db, self.app.worker_id, chosen)
        built = report_build.build(data, settings.get(db, "organisation"))
        self.app.call_from_thread(self.call_next, self._show, built, chosen, source)

    async def _show(self, built: PeriodReport, chosen: Period, source: str = "laptop") -> None:
        self.report, self.report_period, self.report_source = built, chosen, source
        body = self.query_one("#report-body", VerticalScroll)
        await body.remove_children()
        shown = built.view(protect=False)
        widgets: list[Widget] = [BarChart(chart.title, chart.bars) for chart in charts(shown)]
        for key in SHOWN_TABLES:
            table = built.table(key)
            widgets.append(Static(Text(table.title), classes="report-table-title"))
            grid: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
            widgets.append(grid)
        await body.mount_all(widgets)
        for grid, key in zip(body.query(DataTable), SHOWN_TABLES, strict=True):
            table = shown.table(key)
            grid.add_columns(*table.columns)
            for row in table.rows:
                grid.add_row(*[plain(export.number_text(export.show(c), table.digits)) for c in row])
        whose = "hele organisatie (hub) · " if source == "hub" else ""
        self._status(
            f"{whose}{format_date(built.start)} t/m {format_date(built.end)} · {built.area} · "
            "Ctrl+E exporteert (kleine aantallen als x)"
        )

    def work_failed(self, worker: Worker[Any]) -> None:
        if worker.group == "report":
            self._status("⚠ Berekenen is niet gelukt. Ctrl+R probeert het opnieuw.")

    def action_freeze(self) -> None:
        report = self.report
        if report is None:
            return
        if self.report_source == "hub":
            self.app.notify(
                "De rapportage van de hele organisatie wordt niet op een laptop vastgesteld; stel die van deze "
                "laptop vast, of maak hem op de server (wijkwerk report --hub).",
                severity="warning",
                markup=False,
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._freeze(report, self.report_period)

        question = (
            f"Rapportage {format_date(report.start)} t/m {format_date(report.end)} ({report.area}) vaststellen? "
            "De cijfers worden bewaard zoals ze nu zijn; later ziet u per cijfer wat er veranderde en waarom."
        )
        self.app.push_screen(ConfirmDialog(question, yes="Vaststellen (j)", no="Niet (n)"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-freeze", description="report-freeze")
    def _freeze(self, report: PeriodReport, chosen: Period | None) -> None:
        frozen_id = frozen_reports.freeze(self.app.db, self.app.worker_id, report, chosen.area_id if chosen else None)
        message = f"Vastgesteld: kenmerk {str(frozen_id)[:8]}. Terug te vinden onder 'Vastgestelde rapportages'."
        self.app.call_from_thread(self.app.notify, message, markup=False, timeout=10)

    def action_export(self) -> None:
        if self.report is not None:
            self._status("Verhalen nalezen…")
            self._check_stories(self.report, self.app.export_dir)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-export", description="report-stories")
    def _check_stories(self, report: PeriodReport, folder: Path) -> None:
        """Stories go out verbatim: the ones that could name someone are shown first."""
        names = story_names.known_names(self.app.db, self.app.worker_id)
        today = self.app.today()
        flagged = [
            (i, area, day, story, flags)
            for i, (area, day, story) in enumerate(report.stories)
            if report.area in (ALL, area) and (flags := story_check.check(story, names, today))
        ]
        self.app.call_from_thread(
            self._review, report, flagged, folder, partial(story_check.check, names=names, today=today)
        )

    def _review(
        self, report: PeriodReport, flagged: list[Flagged], folder: Path, check: Callable[[str], list[Flag]]
    ) -> None:
        if not flagged:
            self._export(report, folder)
            return

        def answered(answers: dict[int, str | None] | None) -> None:
            if answers is None:
                self._status("Export gestopt: er is niets geschreven.")
                return
            kept = [(area, day, answers.get(i, story)) for i, (area, day, story) in enumerate(report.stories)]
            stories = [(area, day, story) for area, day, story in kept if story]
            self._export(replace(report, stories=stories), folder)

        self.app.push_screen(StoryReviewDialog(flagged, check), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-export", description="report-export")
    def _export(self, report: PeriodReport, folder: Path) -> None:
        written = []
        for n, fmt in enumerate(export.FORMATS):
            self.app.progress(f"Exporteren {n}/{len(export.FORMATS)}")
            written.append(export.write(report, fmt, folder / export.default_name(report, fmt)))
        self.app.progress("")
        message = f"Geschreven in {folder}: " + ", ".join(p.name for p in written) + f". {NOT_ENCRYPTED}"
        self.app.call_from_thread(self.app.notify, message, markup=False, timeout=10)
        self.app.call_from_thread(self._status, f"Geëxporteerd: {len(written)} bestanden in {folder}.")
