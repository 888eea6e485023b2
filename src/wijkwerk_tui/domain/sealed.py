"""Text sealed to its readers' keys (a confidential signal's description: crypto.envelope).
What shows where the reader's key is not at hand."""

from __future__ import annotations

PREFIX = "verzegeld:"  # the stored form starts with this; nothing of the text is readable
FOR_OTHERS = "(vertrouwelijk: versleuteld voor de schrijver en de coördinatoren)"


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def without_key(stored: str, confidential: bool = True) -> str:
    """The text as shown to someone without a reader's key: sealed text as one Dutch line (only
    a confidential signal's text is ever sealed: a plain one may start with the prefix too)."""
    return FOR_OTHERS if confidential and is_sealed(stored) else stored
