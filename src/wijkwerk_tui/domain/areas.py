"""Picking an area by its first letters, as typed in the intake ("rui" is Ruinen)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from wijkwerk_tui.domain.text import fold

T = TypeVar("T")


def resolve_area(typed: str, areas: Sequence[T], name: Callable[[T], str]) -> T | None:
    """The area whose name is `typed` (folded), else the first in list order that starts with it."""
    needle = fold(typed)
    if not needle:
        return None
    exact = [a for a in areas if fold(name(a)) == needle]
    if exact:
        return exact[0]
    return next((a for a in areas if fold(name(a)).startswith(needle)), None)
