"""Showing an edit refused because someone else changed the same field (`domain.edits`).

The other value goes to the field on the form's own screen (a screen meant for the record),
never into a notice or the error's message. The form then remembers it has been seen, so
saving again keeps what the worker typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wijkwerk_tui.domain.edits import CONFLICT, EditConflict
from wijkwerk_tui.ui.widgets.field import FormField

Describe = Callable[[str, Any], str]  # (store field, stored value) -> what the worker reads


def plain_value(_field: str, value: Any) -> str:
    if value is None or value == "":
        return "(leeg)"
    return str(value)


def show_conflict(
    fields: list[FormField],
    error: EditConflict,
    describe: Describe = plain_value,
    names: Mapping[str, str] | None = None,
) -> None:
    """Each field that clashed says what is stored now; `names` maps store fields to form fields."""
    first = None
    for stored, value in error.theirs.items():
        name = (names or {}).get(stored, stored)
        field = next((f for f in fields if f.field == name), None)
        if field is None:
            continue
        field.set_error(f"{CONFLICT} Nu opgeslagen: {describe(stored, value)}")
        first = first or field
    if first is not None:
        first.body.focus()
        first.scroll_visible()
