"""Finding 9: a confidential signal is seen by its author and coordinators only, on every read
path. Every public read function of the read models (and the store's signal reads) is called
as a plain worker on a database holding another worker's confidential signal: its text and
its id are nowhere in what comes back, nor in the files written. A new public function
without an entry here fails `test_every_read_function_is_covered`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import wijkwerk_tui.queries
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import NotFound
from wijkwerk_tui.domain.accounts import PermissionDenied
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import Period
from wijkwerk_tui.exchange import inzage_document
from wijkwerk_tui.queries import (
    full_export,
    import_match,
    inzage,
    overview,
    report_changes,
    report_data,
    report_extra,
    search,
    story_names,
    who_looked,
)
from wijkwerk_tui.queries.search import ResidentFilter
from wijkwerk_tui.services import resident_file
from wijkwerk_tui.store import areas, residents, signals, workers
from wijkwerk_tui.store.signals import SignalData

SECRET = "Vertrouwelijk: zorgen over de veiligheid thuis"


@dataclass
class Office:
    db: Database
    author: uuid.UUID
    colleague: uuid.UUID
    resident: uuid.UUID
    signal: uuid.UUID
    area: uuid.UUID
    folder: Path


@pytest.fixture
def office(db: Database, tmp_path: Path) -> Office:
    workers.add_worker(db, None, "Coördinator", "coordinator")
    author = workers.add_worker(db, None, "Auteur").id
    colleague = workers.add_worker(db, None, "Collega").id
    area = areas.add_area(db, author, "Ruinen").id
    rid = residents.add_resident(db, author, PersonalData("Jan", "", "Jansen", 1951), area, True).id
    secret = signals.add_signal(
        db,
        author,
        rid,
        SignalData(
            "domestic_violence",
            description=SECRET,
            confidential=True,
            follow_up_on=date(2026, 11, 1),
            noticed_on=date(2026, 10, 1),
            meldcode={1: date(2026, 10, 2)},
        ),
    )
    return Office(db, author, colleague, rid, secret.id, area, tmp_path)


def _inzage(o: Office, me: uuid.UUID) -> object:
    found = inzage.collect(o.db, me, o.resident)
    paths = inzage_document.write(found, o.folder)
    return [found, inzage_document.as_dict(found), *(p.read_text() for p in paths)]


def _extra(o: Office, me: uuid.UUID) -> object:
    """Counts for the report (called by report_data.load, which checks the role)."""
    with o.db.reading() as session:
        return report_extra.extra(session.connection(), Period(date(2026, 1, 1), date(2026, 12, 31)), [])


# Every public read function, called as `me`. (Coordinator-only ones are expected to refuse.)
READS: dict[str, Callable[[Office, uuid.UUID], Any]] = {
    "overview.open_signal_rows": lambda o, me: overview.open_signal_rows(o.db, me),
    "overview.awaiting_feedback_rows": lambda o, me: overview.awaiting_feedback_rows(o.db),
    "overview.goals_to_review": lambda o, me: overview.goals_to_review(o.db, date(2027, 1, 1)),
    "overview.agenda": lambda o, me: overview.agenda(o.db, me),
    "overview.recent_residents": lambda o, me: overview.recent_residents(o.db, me),
    "overview.recorded_today": lambda o, me: overview.recorded_today(o.db, me),
    "overview.area_counts": lambda o, me: overview.area_counts(o.db, me),
    "search.search_residents": lambda o, me: search.search_residents(
        o.db, "", ResidentFilter(open_signals=True), actor=me
    ),
    "search.likely_duplicates": lambda o, me: search.likely_duplicates(o.db, "Jan Jansen"),
    "report_changes.changes_since": lambda o, me: report_changes.changes_since(
        o.db, me, datetime(2026, 1, 1, tzinfo=UTC), date(2026, 1, 1), date(2026, 12, 31)
    ),
    "report_extra.extra": _extra,
    "story_names.known_names": lambda o, me: story_names.known_names(o.db, me),
    "report_data.load": lambda o, me: report_data.load(o.db, me, Period(date(2026, 1, 1), date(2026, 12, 31))),
    "inzage.collect": _inzage,
    "full_export.begin": lambda o, me: full_export.begin(o.db, me, "jsonl"),
    "full_export.rows": lambda o, me: list(full_export.rows(o.db, me, "signal")),
    "who_looked.who_looked": lambda o, me: who_looked.who_looked(o.db, me, o.resident),
    "signals.for_resident": lambda o, me: signals.for_resident(o.db, me, o.resident),
    "signals.meldcode_steps": lambda o, me: signals.meldcode_steps(o.db, me, o.signal),
    "resident_file.load": lambda o, me: resident_file.load(o.db, me, o.resident),
    # An import's matching reads names (coordinators only, by the service) and, of signals,
    # only which categories a file holds: never a text or a signal's id.
    "import_match.by_sound": lambda o, me: import_match.by_sound(o.db, ["jansen", "jantsen"]),
    "import_match.live_residents": lambda o, me: import_match.live_residents(o.db, [o.resident]),
    "import_match.facts_on_file": lambda o, me: import_match.facts_on_file(o.db, [o.resident]),
}
# Public functions that read no signal data: pure helpers, writes, and table names.
NOT_READS = {
    "search.fts_match",
    "report_ladders.step_on",
    "report_ladders.moved_since",
    "report_ladders.ladder_groups",
    "report_ladders.stored",
    "report_ladders.in_view_from",
    "report_ladders.cursor_rows",
    "report_ladders.area_names",
    "overview.remember_opened",
    "full_export.tables",
    "retention.expired_query",  # builds a query (open signals only as a filter); the callers run it
    "unusual_views.month_of",
    "unusual_views.unusual_views",  # reads the audit trail and names (coordinators only), no signal
}


def _public_functions() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(wijkwerk_tui.queries.__path__):
        module = importlib.import_module(f"wijkwerk_tui.queries.{info.name}")
        for name, value in vars(module).items():
            if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    found |= {"signals.for_resident", "signals.meldcode_steps", "resident_file.load"}
    return found


def test_every_read_function_is_covered() -> None:
    assert _public_functions() == set(READS) | NOT_READS


@pytest.mark.parametrize("read", sorted(READS))
def test_hardening_09_a_colleague_never_sees_a_confidential_signal(office: Office, read: str) -> None:
    try:
        result = READS[read](office, office.colleague)
    except (PermissionDenied, NotFound):
        return  # coordinators only, or a confidential signal: refused (as if absent) before anything was read
    shown = repr(result)
    assert SECRET not in shown
    assert str(office.signal) not in shown and office.signal.hex not in shown


@pytest.mark.parametrize(
    "read",
    [
        "overview.open_signal_rows",
        "signals.for_resident",
        "inzage.collect",
        "resident_file.load",
        "signals.meldcode_steps",
        "overview.agenda",
    ],
)
def test_the_author_does_see_it(office: Office, read: str) -> None:
    shown = repr(READS[read](office, office.author))
    assert SECRET in shown or str(office.signal) in shown or office.signal.hex in shown


def test_hardening_09_the_open_signals_filter_does_not_reveal_it(office: Office) -> None:
    """The resident's only open signal is confidential: to a colleague he has none."""
    assert READS["search.search_residents"](office, office.colleague) == []
    assert [r.id for r in READS["search.search_residents"](office, office.author)] == [office.resident]


def test_hardening_09_a_colleagues_inzage_leaves_out_the_who_looked_log(office: Office) -> None:
    data = inzage_document.as_dict(inzage.collect(office.db, office.colleague, office.resident))
    assert data["inzage_log"] == [] and data["signalen"] == []
