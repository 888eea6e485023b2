"""The retention term (bewaartermijn): when a resident's data must be anonymised."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from wijkwerk_tui.domain.errors import ValidationError

DEFAULT_YEARS = 2
MIN_YEARS, MAX_YEARS = 1, 20


def check_years(years: int | str) -> int:
    try:
        value = int(str(years).strip())
    except ValueError:
        raise ValidationError("retention_years", "Vul een aantal jaren in, bijvoorbeeld 2.") from None
    if not MIN_YEARS <= value <= MAX_YEARS:
        raise ValidationError("retention_years", f"Kies een bewaartermijn van {MIN_YEARS} tot {MAX_YEARS} jaar.")
    return value


def expiry_cutoff(today: date, years: int) -> date:
    """Residents whose last activity is before this day have passed the term."""
    return today - relativedelta(years=years)
