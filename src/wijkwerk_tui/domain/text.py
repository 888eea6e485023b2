"""Text helpers: folding for accent- and case-insensitive search, and cleaning of input."""

from __future__ import annotations

import re
import unicodedata

from wijkwerk_tui.domain.errors import ValidationError

# Line and paragraph separators: no control characters, but line breaks all the same.
_SEPARATORS = frozenset("\u2028\u2029")
# What a note keeps as a line break.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _invisible(ch: str) -> bool:
    """Control (C0, C1) and format characters: bidi overrides and isolates, zero-width spaces
    and joiners, soft hyphens. They can hide or reorder what a name shows, or defeat search."""
    return unicodedata.category(ch) in ("Cc", "Cf")


def fold(text: str) -> str:
    """Lowercase without accents: 'Özdemir' -> 'ozdemir'. Used for search keys."""
    if text.isascii() and text.isprintable():
        # Plain ASCII (most names): nothing to decompose or drop, and casefold is lower. Checked
        # in C: a joining laptop folds 100 000 residents' names (profiled).
        return " ".join(text.lower().split())
    return _fold_any(text)


def _fold_any(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and not _invisible(ch))
    return " ".join(stripped.casefold().split())


def _one_line(value: str) -> str:
    """Control characters (line breaks, tabs, a pasted escape) become spaces, so the words on
    either side stay apart; format characters (zero-width, bidi) go, so a word stays whole."""
    if value.isprintable():  # no control, format or separator character: nothing to do (fast, in C)
        return value
    spaces = ("Cc", "Zl", "Zp")  # controls, and the line and paragraph separators
    return "".join(
        " " if unicodedata.category(ch) in spaces else ch for ch in value if unicodedata.category(ch) != "Cf"
    )


def without_controls(value: str) -> str:
    """One line with every control character a space and every format character gone; what
    has none (everything a form stored) comes back unchanged."""
    return _one_line(value)


def clean_note(value: str) -> str:
    """A note as it may be stored: line breaks and tabs kept, every other control and format
    character (an escape sequence, a bidi override, NUL) gone."""
    if value.isprintable():  # (a sync takes in a whole organisation's notes: the common case in C)
        return value
    return "".join(ch for ch in value if ch in "\n\t" or not _invisible(ch))


def visible_line(value: str) -> str:
    """One line of visible text, spaces collapsed."""
    return " ".join(_one_line(value).split())


def clean_line(value: str | None, field: str, *, max_len: int, required: bool = False, what: str = "dit veld") -> str:
    """One line of user text: control characters become spaces, format characters go."""
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
    return re.sub(r" {2,}", " ", _one_line(value)), True


def pasted(text: str, *, one_line: bool) -> tuple[str, bool]:
    """A paste is text and only text: for a one-line field, line breaks and controls become
    spaces (an escape byte can no longer act as a key); for a note, line breaks stay. Format
    characters go in both. Says whether anything was changed."""
    if one_line:
        cleaned = re.sub(r" {2,}", " ", _one_line(text))
    else:
        kept = text.replace("\r\n", "\n")
        cleaned = "".join(
            "\n" if ch in _LINE_BREAKS else ch for ch in kept if ch in _LINE_BREAKS or ch == "\t" or not _invisible(ch)
        )
    return cleaned, cleaned != text


def check_folder(value: str, field: str) -> str:
    """A folder typed by a coordinator: empty (the default), or a full path (`/...`, `~/...`,
    `C:\\...`) on one line."""
    text = clean_line(value, field, max_len=400)
    if text and not (text.startswith(("/", "~")) or re.match(r"^[A-Za-z]:[\\/]", text)):
        raise ValidationError(field, "Geef een volledig pad, bijvoorbeeld ~/wijkwerk-exports, of laat het leeg.")
    return text


def counted(number: int, one: str, many: str) -> str:
    """'1 trede', '2 treden': Dutch singular and plural, never 'trede(n)'."""
    return f"{number} {one if number == 1 else many}"
