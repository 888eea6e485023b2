"""Is a name from a spreadsheet someone already on file? The intake's rules, as a verdict.

The family name is compared by its sound (`names.phonetic_key`: Jansen = Janssen, Meijer =
Meyer), the given name by its first letters or initial, and the birth date or year must be
the same: "Jansen 1935" is Janssen 1935, not Janssen 1953. Without a birth year on one side
only the very same name counts, and the coordinator is shown it is a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from wijkwerk_tui.domain.names import phonetic_key
from wijkwerk_tui.domain.text import fold


class Likeness(StrEnum):
    SAME = "same"  # the same name and birth year
    SIMILAR = "similar"  # spelled differently, the same birth year
    NAME_ONLY = "name_only"  # the same name, a birth year on one side only


@dataclass(frozen=True)
class Named:
    given: str
    prefix: str
    family: str
    birth_year: int | None
    birth_date: date | None = None


def _given_fits(a: str, b: str) -> bool:
    a, b = fold(a).rstrip("."), fold(b).rstrip(".")
    if not a or not b or a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    return len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3]


def likeness(a: Named, b: Named) -> Likeness | None:
    """How alike two people are, or None when they are not the same person."""
    key = phonetic_key(a.family)
    if len(key) < 2 or key != phonetic_key(b.family) or not _given_fits(a.given, b.given):
        return None
    same_name = (fold(a.given), fold(a.prefix), fold(a.family)) == (fold(b.given), fold(b.prefix), fold(b.family))
    if a.birth_date and b.birth_date:
        born_same: bool | None = a.birth_date == b.birth_date
    elif a.birth_year and b.birth_year:
        born_same = a.birth_year == b.birth_year
    else:
        born_same = None
    if born_same is False:
        return None
    if born_same is None:
        if not same_name:
            return None
        return Likeness.SAME if not (a.birth_year or b.birth_year) else Likeness.NAME_ONLY
    return Likeness.SAME if same_name else Likeness.SIMILAR
