"""Frozen (vastgestelde) reports (issue 15, point 2): stored as sent, compared with a new run
figure by figure, each difference with the records that explain it."""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy import text
from sqlmodel import select

from tests.queries.report_office import END, START, _boss, _built
from wijkwerk_tui.db.tables import AuditEvent, Resident
from wijkwerk_tui.services import report_compare
from wijkwerk_tui.store import frozen_reports, residents


def _resident(db, given: str) -> uuid.UUID:
    with db.reading() as session:
        return session.exec(select(Resident.id).where(Resident.given_name == given)).one()


def _frozen_events(db) -> int:
    with db.reading() as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == "report.freeze")).all())


def test_issue15_02_a_frozen_report_shows_what_changed_and_why(office) -> None:
    db, _ = office
    boss = _boss(db)
    frozen_id = frozen_reports.freeze(db, boss, _built(db), None)
    assert report_compare.compare(db, boss, frozen_id).explained == []  # nothing changed yet
    stored = frozen_reports.get_frozen(db, boss, frozen_id)
    assert (stored.start, stored.end, stored.run_on, stored.intact) == (START, END, date(2026, 11, 23), True)
    assert stored.figures["reach · Ruinen · contacten"] == 3

    # A week later r1 (Ruinen: two contacts in the period, up on the participatieladder) is deleted.
    db.clock.advance(days=7)
    r1 = _resident(db, "Een")
    residents.delete_resident(db, boss, r1)
    comparison = report_compare.compare(db, boss, frozen_id)
    changed = {e.change.key: (e.change.then, e.change.now, e.records) for e in comparison.explained}
    then, now, records = changed["reach · Ruinen · contacten"]
    assert (then, now) == (3, 1)
    assert [(r.kind, r.record, r.what) for r in records] == [("inwoner", str(r1)[:8], "verwijderd")]
    assert changed["participation_movement · Alle gebieden · omhoog"][:2] == (2, 1)
    assert changed["reach · Alle gebieden · unieke inwoners"][:2] == (3, 2)
    # Echten's figures did not move, and no Echten figure is blamed on r1.
    assert not any(key.split(" · ")[1] == "Echten" for key in changed)
    text_lines = comparison.lines()
    assert any(line.startswith("Bereik · Ruinen · contacten: 3 → 1") for line in text_lines)
    assert any(f"inwoner {str(r1)[:8]} verwijderd" in line for line in text_lines)
    assert not re.search(r"\b(Een|Test)\b", "\n".join(text_lines))  # ids, never names
    assert _frozen_events(db) == 1


def test_issue15_02_an_altered_frozen_report_no_longer_matches_its_digest(office) -> None:
    db, _ = office
    boss = _boss(db)
    frozen_id = frozen_reports.freeze(db, boss, _built(db), None)
    with db.transaction() as session:
        session.execute(
            text("UPDATE frozenreport SET figures = replace(figures, :was, :now)"),
            {"was": '"reach · Ruinen · contacten":3', "now": '"reach · Ruinen · contacten":4'},
        )
    assert frozen_reports.get_frozen(db, boss, frozen_id).intact is False
    assert "kloppen niet" in report_compare.compare(db, boss, frozen_id).lines()[1]


def test_issue15_02_figures_and_digest_rewritten_together_still_show(office) -> None:
    """Someone with the key rewrites the figures and computes a fresh digest: the audit trail
    still holds the digest of the freezing."""
    from wijkwerk_tui.domain import report_diff

    db, _ = office
    boss = _boss(db)
    frozen_id = frozen_reports.freeze(db, boss, _built(db), None)
    with db.transaction() as session:
        figures, hidden = session.execute(text("SELECT figures, hidden FROM frozenreport")).one()
        forged = figures.replace('"reach · Ruinen · contacten":3', '"reach · Ruinen · contacten":4')
        session.execute(
            text("UPDATE frozenreport SET figures = :f, digest = :d"),
            {"f": forged, "d": report_diff.digest(forged, hidden)},
        )
    assert frozen_reports.get_frozen(db, boss, frozen_id).intact is False


def test_issue15_02_a_reopened_signal_stays_closed_in_the_past(office) -> None:
    """s5 was closed on 15-6-2026 and reopened on 1-8-2026: closed at the end of June."""
    db, _ = office
    report = _built(db).view(protect=False)
    debts = next(r for r in report.table("signals").rows if r[0] == "Ruinen" and r[1] == "Schulden / armoede")
    assert [c.n for c in debts[2:]] == [1, 0, 0, 2]
