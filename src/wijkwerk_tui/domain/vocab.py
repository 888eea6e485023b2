"""Small shared helper for coded vocabularies: a code in storage, a Dutch label on screen."""

from __future__ import annotations

from collections.abc import Mapping

from wijkwerk_tui.domain.errors import ValidationError


def check_code(options: Mapping[str, str], value: object, field: str, what: str) -> str:
    """Return `value` if it is one of `options`' codes, else raise a Dutch ValidationError."""
    if isinstance(value, str) and value in options:
        return value
    raise ValidationError(field, f"Kies een geldige {what}.")
