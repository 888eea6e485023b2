"""Signals (signaleringen): categories, urgency, sources and the status rules."""

from __future__ import annotations

from datetime import date, timedelta

from wijkwerk_tui.domain.errors import TransitionError, ValidationError

# Default categories (DESIGN.md §2). Codes are stored; labels can be renamed.
CATEGORIES: dict[str, str] = {
    "loneliness": "Eenzaamheid / sociaal isolement",
    "debts": "Schulden / armoede",
    "carer_strain": "Overbelaste mantelzorg",
    "domestic_violence": "Huiselijk geweld / kindermishandeling / ouderenmishandeling",
    "low_literacy": "Laaggeletterdheid",
    "digital": "Digitale vaardigheid / online oplichting",
    "housing": "Wonen / overlast",
    "frail_elderly": "Kwetsbare oudere",
    "health": "Gezondheid",
    "care_avoidance": "Zorgmijding",
    "youth": "Jeugd / opvoeden",
    "other": "Anders",
}

# Categories that fall under the Meldcode huiselijk geweld en kindermishandeling.
MELDCODE_CATEGORIES = frozenset({"domestic_violence"})

MELDCODE_STEPS: dict[int, str] = {
    1: "Signalen in kaart brengen",
    2: "Collegiale consultatie en zo nodig Veilig Thuis raadplegen",
    3: "Gesprek met de betrokkene",
    4: "Wegen van het geweld of de kindermishandeling",
    5: "Beslissen: hulp organiseren en/of melden",
}

URGENCIES: dict[str, str] = {
    "low": "laag",
    "normal": "normaal",
    "high": "hoog",
    "acute": "acuut",
}
# Sort order for overviews: acute first.
URGENCY_RANK: dict[str, int] = {"acute": 0, "high": 1, "normal": 2, "low": 3}

SOURCES: dict[str, str] = {
    "own": "eigen waarneming",
    "volunteer": "vrijwilliger",
    "neighbour": "buurtbewoner",
    "partner": "partner",
    "resident": "inwoner zelf",
}

STATUSES: dict[str, str] = {
    "open": "open",
    "in_progress": "in behandeling",
    "referred": "doorverwezen",
    "closed": "afgesloten",
}

OPEN_STATUSES = frozenset({"open", "in_progress", "referred"})

# A new signal is looked at again after two weeks unless the worker sets another date: without
# one it would never come up in "Vandaag".
FOLLOW_UP_DAYS = 14


def default_follow_up(noticed_on: date) -> date:
    return noticed_on + timedelta(days=FOLLOW_UP_DAYS)


# Which status may follow which. Closing is possible from every open status;
# a closed signal may be reopened when the concern returns.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "referred", "closed"}),
    "in_progress": frozenset({"open", "referred", "closed"}),
    "referred": frozenset({"in_progress", "closed"}),
    "closed": frozenset({"open"}),
}

CLOSE_REASONS: dict[str, str] = {
    "resolved": "opgelost",
    "referred": "doorverwezen en overgedragen",
    "no_need": "geen hulpvraag (meer)",
    "declined": "inwoner wil geen hulp",
    "moved": "verhuisd / niet meer bereikbaar",
    "other": "anders",
}


def can_change(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def check_status_change(current: str, new: str, close_reason: str | None) -> None:
    """Raise when `current` may not become `new`, or a close has no valid reason."""
    if new not in STATUSES:
        raise ValidationError("status", "Kies een geldige status.")
    if not can_change(current, new):
        raise TransitionError(
            f"Een signaal met status '{STATUSES.get(current, current)}' kan niet naar '{STATUSES[new]}'."
        )
    if new == "closed" and close_reason not in CLOSE_REASONS:
        raise ValidationError("close_reason", "Geef een reden om het signaal af te sluiten.")
