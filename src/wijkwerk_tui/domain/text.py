"""Text helpers: folding for accent- and case-insensitive search, and cleaning of input."""

from __future__ import annotations

import re
import unicodedata

from wijkwerk_tui.domain.errors import ValidationError

# Controls that separate words or lines: they become a space (one-line fields) or a line break.
_SEPARATORS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _invisible(ch: str) -> bool:
    """Control (C0, C1) and format characters: bidi overrides and isolates, zero-width spaces
    and joiners, soft hyphens. They can hide or reorder what a name shows, or defeat search."""
    return unicodedata.category(ch) in ("Cc", "Cf")


def fold(text: str) -> str:
    """Lowercase without accents: 'Özdemir' -> 'ozdemir'. Used for search keys."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not _invisible(ch))
    return " ".join(stripped.casefold().split())


def visible_line(value: str) -> str:
    """Separators become spaces, other invisible characters go, spaces are collapsed."""
    kept = "".join(" " if ch in _SEPARATORS else ch for ch in value if ch in _SEPARATORS or not _invisible(ch))
    return " ".join(kept.split())


def clean_line(value: str | None, field: str, *, max_len: int, required: bool = False, what: str = "dit veld") -> str:
    """One line of user text: line breaks become spaces; control and format characters go."""
    text = visible_line(value or "")
    if required and not text:
        raise ValidationError(field, f"Vul {what} in.")
    if len(text) > max_len:
        raise ValidationError(field, f"Maximaal {max_len} tekens (nu {len(text)}).")
    return text


def clean_text(value: str | None, field: str, *, max_len: int) -> str:
    """Free text (a note): keeps line breaks (tabs become spaces), drops other control and
    format characters."""
    text = (value or "").replace("\r\n", "\n")
    text = "".join(
        "\n" if ch in _LINE_BREAKS else " " if ch == "\t" else ch
        for ch in text
        if ch in _LINE_BREAKS or ch == "\t" or not _invisible(ch)
    ).strip()
    if len(text) > max_len:
        raise ValidationError(field, f"Maximaal {max_len} tekens (nu {len(text)}).")
    return text


def strip_controls(value: str) -> tuple[str, bool]:
    """One line without pasted line breaks or invisible characters; says whether it changed.
    (Spacing the worker typed is left alone unless something had to go.)"""
    if not any(ch in _SEPARATORS or _invisible(ch) for ch in value):
        return value, False
    kept = "".join(" " if ch in _SEPARATORS else ch for ch in value if ch in _SEPARATORS or not _invisible(ch))
    return re.sub(r" {2,}", " ", kept), True
