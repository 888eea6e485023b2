"""Need-to-know (issue 18): whose file a worker opens without giving a reason.

A worker opens the files of residents in the areas he works in, and of those on his caseload
(whom he registered, or for whom he recorded anything); a coordinator opens every file. Anyone
may open any other file *met reden* (break-glass): the reason is typed, audited, and shown to
coordinators in "Ongebruikelijk inzien". A worker whose areas were never set works in every
area (an organisation that does not use this keeps working as before), and so does a resident
without an area (nobody could have him otherwise).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line

MIN_REASON, MAX_REASON = 10, 120
MANY_VIEWS_A_DAY = 30  # distinct files one worker opened in a day that the list shows
REASON_HINT = "Noem geen namen of andere persoonsgegevens: de reden staat in de audittrail."


def in_scope(is_coordinator: bool, areas: frozenset[uuid.UUID], area: uuid.UUID | None, caseload: bool) -> bool:
    return is_coordinator or not areas or area is None or area in areas or caseload


def check_reason(text: str) -> str:
    reason = clean_line(text, "reason", max_len=MAX_REASON, required=True, what="de reden")
    if len(reason) < MIN_REASON:
        raise ValidationError("reason", f"Geef een reden van minstens {MIN_REASON} tekens.")
    return reason


def parse_areas(raw: str) -> frozenset[uuid.UUID]:
    """Area ids as a setting keeps them (space-separated); anything else is skipped."""
    found = set()
    for part in raw.split():
        try:
            found.add(uuid.UUID(part))
        except ValueError:
            continue
    return frozenset(found)


def format_areas(ids: Iterable[uuid.UUID]) -> str:
    return " ".join(sorted(str(i) for i in ids))
