"""How the report's values read in every format: hidden figures as "x", numbers at the
precision they were rounded to, and the header that says what the figures are."""

from __future__ import annotations

from wijkwerk_tui.domain.report import SMALL, Cell, Count, Hidden, Measure, PeriodReport

HIDDEN = "x"
LEGEND = f"x: niet gepubliceerd (minder dan {SMALL}, of zou zo'n klein aantal verraden)"


def show(cell: Cell) -> str | int | float | None:
    """A cell's value for output."""
    if isinstance(cell, Hidden):
        return HIDDEN
    if isinstance(cell, Count):
        return cell.n
    if isinstance(cell, Measure):
        return cell.value
    return cell


def number_text(value: str | int | float | None, digits: int = 1, decimal_comma: bool = True) -> str:
    """Numbers at the precision they were rounded to (23,7; a median 8,0; an average 0,50)."""
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def _period(report: PeriodReport) -> str:
    return f"{report.start:%d-%m-%Y} t/m {report.end:%d-%m-%Y}"


def about(report: PeriodReport) -> list[tuple[str, str]]:
    """What the figures are: the header of every format."""
    return [
        ("organisatie", report.organisation),
        ("periode", _period(report)),
        ("gebied", report.area),
        ("kleine aantallen", LEGEND if report.protected else "niet onderdrukt"),
        ("gemaakt op", f"{report.run_on:%d-%m-%Y}"),
    ]
