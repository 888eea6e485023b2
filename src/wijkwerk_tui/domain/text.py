"""Text helpers: folding for accent- and case-insensitive search, and cleaning of input."""

from __future__ import annotations

import re
import unicodedata

from wijkwerk_tui.domain.errors import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fold(text: str) -> str:
    """Lowercase without accents: 'Özdemir' -> 'ozdemir'. Used for search keys."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def clean_line(value: str | None, field: str, *, max_len: int, required: bool = False, what: str = "dit veld") -> str:
    """One line of user text: control characters and line breaks become spaces."""
    text = " ".join(_CONTROL.sub(" ", value or "").split())
    if required and not text:
        raise ValidationError(field, f"Vul {what} in.")
    if len(text) > max_len:
        raise ValidationError(field, f"Maximaal {max_len} tekens (nu {len(text)}).")
    return text


def clean_text(value: str | None, field: str, *, max_len: int) -> str:
    """Free text (a note): keeps line breaks, drops other control characters."""
    text = _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > max_len:
        raise ValidationError(field, f"Maximaal {max_len} tekens (nu {len(text)}).")
    return text


def strip_controls(value: str) -> tuple[str, bool]:
    """One line without pasted line breaks or control characters; says whether it changed."""
    cleaned = " ".join(_CONTROL.sub(" ", value.replace("\r", " ").replace("\n", " ")).split(" "))
    cleaned = re.sub(r" {2,}", " ", cleaned) if cleaned != value else cleaned
    return cleaned, cleaned != value
