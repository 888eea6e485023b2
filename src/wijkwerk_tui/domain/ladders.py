"""The two ladders: Participatieladder and verantwoordelijkheidsladder.

Step numbers are fixed (they are what municipalities count); labels can be
renamed per organisation through settings, descriptions stay ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from wijkwerk_tui.domain.errors import ValidationError


class Ladder(StrEnum):
    PARTICIPATION = "participation"
    SUPPORT = "support"


@dataclass(frozen=True)
class Step:
    number: int
    label: str
    description: str


LADDER_NAMES: dict[Ladder, str] = {
    Ladder.PARTICIPATION: "Participatieladder",
    Ladder.SUPPORT: "Verantwoordelijkheidsladder",
}

_DEFAULT_STEPS: dict[Ladder, tuple[Step, ...]] = {
    Ladder.PARTICIPATION: (
        Step(1, "Geïsoleerd", "Nauwelijks contact buiten de eigen woning"),
        Step(2, "Sociale contacten buitenshuis", "Geregeld contact met mensen buiten het huishouden"),
        Step(3, "Deelname georganiseerde activiteiten", "Doet wekelijks mee aan georganiseerde activiteiten"),
        Step(4, "Onbetaald werk", "Vrijwilligerswerk of ander onbetaald werk met verantwoordelijkheid"),
        Step(5, "Betaald werk met ondersteuning", "Betaald werk met ondersteuning of subsidie"),
        Step(6, "Betaald werk", "Betaald werk zonder ondersteuning"),
    ),
    Ladder.SUPPORT: (
        Step(1, "Eigen kracht", "De inwoner lost het zelf op, met de gewone hulp thuis"),
        Step(2, "Sociaal netwerk", "Familie, buren, mantelzorg"),
        Step(3, "Algemene/collectieve voorzieningen", "Buurthuis, activiteiten, vrijwilligers, ouderenadviseur"),
        Step(4, "Voorliggende voorzieningen", "Taalcoaching, VVE, thuisadministratie, boodschappendienst"),
        Step(5, "Maatwerk / individuele voorziening", "Wmo-geïndiceerde hulp: huishoudelijke hulp, begeleiding"),
    ),
}


def steps(ladder: Ladder, label_overrides: Mapping[int, str] | None = None) -> tuple[Step, ...]:
    """The steps of a ladder, with the organisation's own labels where it set them."""
    overrides = label_overrides or {}
    return tuple(
        Step(s.number, overrides.get(s.number, "").strip() or s.label, s.description) for s in _DEFAULT_STEPS[ladder]
    )


def top_step(ladder: Ladder) -> int:
    return len(_DEFAULT_STEPS[ladder])


def validate_step(ladder: Ladder, value: object, field: str = "step") -> int:
    """Return `value` as a step number of `ladder`, or raise a Dutch ValidationError."""
    top = top_step(ladder)
    message = f"Kies een trede van 1 tot en met {top}."
    if isinstance(value, bool):
        raise ValidationError(field, message)
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise ValidationError(field, message)
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= top:
        raise ValidationError(field, message)
    return value


class Movement(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NEW = "new"
    NO_DATA = "no_data"


MOVEMENT_LABELS: dict[Movement, str] = {
    Movement.UP: "omhoog",
    Movement.DOWN: "omlaag",
    Movement.SAME: "gelijk",
    Movement.NEW: "nieuw",
    Movement.NO_DATA: "geen meting",
}


@dataclass(frozen=True)
class Placement:
    """One dated placement. `order` breaks ties on one day: the later entry wins."""

    measured_on: date
    step: int
    order: float = 0.0


def _key(p: Placement) -> tuple[date, float]:
    return (p.measured_on, p.order)


def latest_on_or_before(history: Iterable[Placement], day: date | None = None) -> Placement | None:
    """The placement in force on `day` (or the latest of all when `day` is None)."""
    candidates = [p for p in history if day is None or p.measured_on <= day]
    return max(candidates, key=_key) if candidates else None


def classify_movement(history: Iterable[Placement], start: date, end: date) -> Movement:
    """Compare the step in force before the period (at the end of the day before `start`) with
    the step in force at the end of `end`: a change on the first day belongs to the period."""
    if end < start:
        raise ValueError("end before start")
    items = list(history)
    at_end = latest_on_or_before(items, end)
    at_start = latest_on_or_before(items, start - timedelta(days=1))
    return movement_between(at_start.step if at_start else None, at_end.step if at_end else None)


def movement_between(start_step: int | None, end_step: int | None) -> Movement:
    """Movement from the step in force at a period's start to the one at its end.

    No step at the end: no data. A step at the end but none at the start: new.
    """
    if end_step is None:
        return Movement.NO_DATA
    if start_step is None:
        return Movement.NEW
    if end_step > start_step:
        return Movement.UP
    if end_step < start_step:
        return Movement.DOWN
    return Movement.SAME


def is_improvement(ladder: Ladder, movement: Movement) -> bool | None:
    """Up is better on the participation ladder; down (lighter support) on the other."""
    if movement not in (Movement.UP, Movement.DOWN):
        return None
    if ladder is Ladder.PARTICIPATION:
        return movement is Movement.UP
    return movement is Movement.DOWN
