"""AVG: retention sweep, erasure, inzage, confidential signals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Resident, Signal
from wijkwerk_tui.domain.accounts import PermissionDenied, Viewer, can_see_signal
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.exchange import inzage_document as inzage_doc
from wijkwerk_tui.queries import inzage, overview, search
from wijkwerk_tui.queries.search import ResidentFilter
from wijkwerk_tui.services import privacy, resident_file
from wijkwerk_tui.store import residents, settings, signals, workers
from wijkwerk_tui.store.signals import SignalData

COUNTS = {
    "per_area": "SELECT area_id, count(*) FROM resident WHERE deleted_at IS NULL GROUP BY area_id ORDER BY 1",
    "per_step": "SELECT participation_step, support_step, count(*) FROM resident WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
    "ladder_rows": "SELECT ladder, step, count(*) FROM ladderstep WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
    "signals": "SELECT category, status, count(*) FROM signal WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
    "referrals": "SELECT partner_id, status, count(*) FROM referral WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
    "contacts": "SELECT kind, strftime('%Y-%m', contact_on), count(*) FROM contact GROUP BY 1, 2 ORDER BY 1, 2",
}


def _counts(db: Database) -> dict[str, list[tuple]]:
    with db.reading() as session:
        return {name: [tuple(r) for r in session.execute(text(sql)).all()] for name, sql in COUNTS.items()}


def _coordinator(db: Database):
    return next(w for w in workers.list_workers(db) if w.role == "coordinator")


def test_retention_sweep_anonymises_expired_residents_and_keeps_the_counts(demo_db: Database) -> None:
    boss = _coordinator(demo_db)
    settings.save_organisation_settings(
        demo_db, boss.id, organisation="Welzijn De Wolden", lock_minutes=5, retention_years=1
    )
    before = _counts(demo_db)
    from datetime import date

    from wijkwerk_tui.domain import report_build
    from wijkwerk_tui.queries import report_data

    def report() -> list:  # the municipality's report for the past three years
        built = report_build.build(
            report_data.load(demo_db, boss.id, report_data.Period(date(2023, 11, 23), date(2026, 11, 23)))
        )
        # Age groups need a birth year, which anonymisation removes: there only the totals stay.
        return [(t.key, [r[:1] + r[-2:] for r in t.rows] if t.key == "reached" else t.rows) for t in built.tables]

    report_before = report()
    expected = privacy.expired_count(demo_db)
    assert expected > 0
    with demo_db.reading() as session:
        names_before = {r.id: r.family_name for r in session.exec(select(Resident))}
    assert privacy.retention_sweep(demo_db, boss.id) == expected
    assert _counts(demo_db) == before
    assert report() == report_before
    assert privacy.expired_count(demo_db) == 0
    with demo_db.reading() as session:
        anonymised = session.exec(select(Resident).where(Resident.anonymised_at.is_not(None))).all()
        assert len(anonymised) >= expected
        assert all(r.family_name == "" and r.birth_year is None and r.search_key == "" for r in anonymised)
        # No open work was swept away.
        open_left = session.execute(
            text(
                "SELECT count(*) FROM signal s JOIN resident r ON r.id = s.resident_id "
                "WHERE r.anonymised_at IS NOT NULL AND s.status IN ('open', 'in_progress')"
            )
        ).scalar()
        assert open_left == 0
    # An expired resident is no longer found by the old name; the others still are.
    kept = search.search_residents(demo_db, "", ResidentFilter(), limit=5)
    assert kept and all(r.name for r in kept)
    for resident in anonymised[:5]:
        found = search.search_residents(demo_db, names_before[resident.id])
        assert resident.id not in {r.id for r in found}


def test_only_a_coordinator_sweeps_or_erases(demo_db: Database) -> None:
    worker = next(w for w in workers.list_workers(demo_db) if w.role == "worker")
    resident = search.search_residents(demo_db, "", limit=1)[0]
    with pytest.raises(PermissionDenied):
        privacy.retention_sweep(demo_db, worker.id)
    with pytest.raises(PermissionDenied):
        privacy.erase_resident(demo_db, worker.id, resident.id)


def test_erasure_wipes_personal_data_and_the_audit_says_so(db: Database) -> None:
    boss = workers.add_worker(db, None, "Coördinator", "coordinator")
    r = residents.add_resident(db, boss.id, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True)
    signals.add_signal(db, boss.id, r.id, SignalData("debts", description="Gerrit heeft schulden"))
    privacy.erase_resident(db, boss.id, r.id)
    with db.reading() as session:
        dump = "\n".join(
            str(tuple(row))
            for table in ("resident", "signal", "resident_fts_data", "auditevent")
            for row in session.execute(text(f"SELECT * FROM {table}")).all()
        ).lower()
        assert "hoekstra" not in dump and "gerrit" not in dump
        assert session.execute(text("SELECT count(*) FROM signal")).scalar() == 1  # still counted
        actions = (
            session.execute(text("SELECT action FROM auditevent WHERE resident_id = :r"), {"r": r.id.hex})
            .scalars()
            .all()
        )
    assert "resident.erase" in actions


def test_inzage_holds_everything_and_is_audited(demo_db: Database, tmp_path: Path) -> None:
    worker = _coordinator(demo_db)
    row = next(r for r in search.search_residents(demo_db, "", limit=50) if r.participation_step)
    found = inzage.collect(demo_db, worker.id, row.id)
    data = inzage_doc.as_dict(found)
    assert data["inwoner"]["id"] == str(row.id) and data["ladders"]["Participatieladder"]
    markdown, raw = inzage_doc.write(found, tmp_path, "Welzijn De Wolden")
    text_md = markdown.read_text()
    assert data["inwoner"]["achternaam"] in text_md and "## Signalen" in text_md
    assert json.loads(raw.read_text())["inwoner"]["id"] == str(row.id)
    assert oct(markdown.stat().st_mode)[-3:] == "600"
    assert "resident.export" in [
        e["handeling"] for e in inzage_doc.as_dict(inzage.collect(demo_db, worker.id, row.id))["inzage_log"]
    ]


def test_confidential_signal_only_for_author_and_coordinators(db: Database) -> None:
    boss = workers.add_worker(db, None, "Coördinator", "coordinator")
    author = workers.add_worker(db, None, "Auteur")
    other = workers.add_worker(db, None, "Collega")
    r = residents.add_resident(db, author.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    signals.add_signal(db, author.id, r.id, SignalData("domestic_violence", confidential=True))
    signals.add_signal(db, author.id, r.id, SignalData("loneliness"))
    seen = {}
    for who in (boss, author, other):
        seen[who.name] = (
            len(signals.for_resident(db, who.id, r.id)),
            len(resident_file.load(db, who.id, r.id).signals),
            len(overview.open_signal_rows(db, who.id)),
        )
    assert seen == {"Coördinator": (2, 2, 2), "Auteur": (2, 2, 2), "Collega": (1, 1, 1)}


@given(
    role=st.sampled_from(["worker", "coordinator"]),
    confidential=st.booleans(),
    viewer_is_author=st.booleans(),
    viewer_is_assignee=st.booleans(),
)
def test_sql_filter_matches_the_domain_rule(
    tmp_path_factory,
    role,
    confidential,
    viewer_is_author,
    viewer_is_assignee,
) -> None:
    import uuid

    me, someone = uuid.uuid4(), uuid.uuid4()
    author = me if viewer_is_author else someone
    assignee = me if viewer_is_assignee else someone
    viewer = Viewer(me, role)
    expected = can_see_signal(viewer, confidential, author, assignee)
    row = Signal(
        category="debts",
        noticed_on=__import__("datetime").date(2026, 1, 1),
        confidential=confidential,
        created_by=author,
        worker_id=assignee,
    )
    from sqlalchemy import create_engine
    from sqlmodel import Session

    engine = create_engine("sqlite://")
    Signal.__table__.create(engine, checkfirst=True)
    with Session(engine) as session:
        session.execute(text("PRAGMA foreign_keys = OFF"))
        session.add(row)
        session.commit()
        found = session.exec(select(Signal).where(signals.visible_to(viewer))).all()
    assert bool(found) == expected
