"""Saving an edit without losing someone else's: only what the worker changed is written.

Two windows (two laptops after sync, or two app instances on one file) open the same record.
Each form remembers what it showed (`Base`: the row's version and its values). Saving writes
only the fields the worker changed; when the row moved on meanwhile, a field changed here and
there to different values refuses the save, and the form shows the other value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from wijkwerk_tui.domain.errors import ValidationError

CONFLICT = (
    "Iemand anders heeft dit intussen gewijzigd (zie hieronder). Uw invoer staat er nog: "
    "sla opnieuw op om die te bewaren, of neem de andere waarde over."
)


@dataclass(frozen=True)
class Base:
    """What an edit form showed when it opened."""

    version: int
    values: Mapping[str, Any] = field(default_factory=dict)

    def seen(self, theirs: Mapping[str, Any]) -> Base:
        """After a refusal the worker has seen the other values: saving again overwrites them."""
        return replace(self, values={**self.values, **theirs})


class EditConflict(ValidationError):
    """Someone else changed a field this form changed too. `theirs` holds what is stored now,
    per field: it is for the form's own screen, never in the message (which may be logged)."""

    def __init__(self, theirs: Mapping[str, Any], version: int) -> None:
        super().__init__(next(iter(theirs)), CONFLICT)
        self.theirs = dict(theirs)
        self.version = version


def changes(base: Base | None, mine: Mapping[str, Any], current: Mapping[str, Any], version: int) -> dict[str, Any]:
    """The fields to write to a row that now holds `current` at `version`.

    Without a base (a script, a one-off call): whatever differs from the row now. With one:
    only the fields the worker changed; if the row moved on since, a field changed both here
    and there, to different values, refuses the whole save (EditConflict).
    """
    if base is None:
        return {k: v for k, v in mine.items() if current.get(k) != v}
    changed = {k: v for k, v in mine.items() if base.values.get(k) != v}
    if version != base.version:
        theirs = {k: current.get(k) for k in changed if current.get(k) != base.values.get(k)}
        clash = {k: v for k, v in theirs.items() if v != changed[k]}
        if clash:
            raise EditConflict(clash, version)
    return changed
