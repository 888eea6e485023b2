"""Building the period report from its raw groups: the tables, one builder per subject."""

from __future__ import annotations

from wijkwerk_tui.domain import report_more
from wijkwerk_tui.domain import report_tables as tables
from wijkwerk_tui.domain.report import ALL, PeriodReport, ReportData, area_label


def build(data: ReportData, organisation: str = "") -> PeriodReport:
    """The whole report over all areas; `view()` gives what is shown or sent."""
    report = PeriodReport(
        organisation,
        data.period.start,
        data.period.end,
        data.area_name or ALL,
        data.run_on,
        [],
        [(area_label(area), day, story) for area, day, story in data.stories],
    )
    tables.ladders(data, report)
    tables.signals(data, report)
    tables.referrals(data, report)
    tables.reach(data, report)
    report_more.goals(data, report)
    report_more.reached(data, report)
    report_more.caseload(data, report)
    report_more.meldcode(data, report)
    return report
