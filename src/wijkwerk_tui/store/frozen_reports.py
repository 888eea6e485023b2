"""Frozen (vastgestelde) reports: a report as it was sent, kept with the data (and synced
like any row), with its figures, what it hid, the day it was made and a digest."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new
from wijkwerk_tui.db.tables import Area, AuditEvent, FrozenReport, Worker
from wijkwerk_tui.domain import report_diff
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.report import ALL, PeriodReport
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.access import require_role


@dataclass(frozen=True)
class Frozen:
    id: uuid.UUID
    start: date
    end: date
    area_id: uuid.UUID | None
    area: str
    run_on: date
    frozen_at: datetime
    by: str
    organisation: str
    figures: dict[str, int | float | None]
    hidden: list[str]
    digest: str
    intact: bool  # the stored figures still match the digest, and the audit chain holds that digest


def freeze(db: Database, actor: uuid.UUID | None, report: PeriodReport, area_id: uuid.UUID | None) -> uuid.UUID:
    """Store the whole report (every area: one area's report is a cut of it) as sent."""
    if report.cut:
        raise ValidationError("report", "Stel de hele rapportage vast, niet een deel ervan.")
    figures = report_diff.encode(report_diff.figures(report))
    hidden = report_diff.encode(report_diff.hidden_keys(report.view(protect=True)))
    with db.transaction() as session:
        require_role(session, actor, "report")
        row = stamp_new(
            db,
            actor,
            FrozenReport(
                start_on=report.start,
                end_on=report.end,
                area_id=area_id,
                run_on=report.run_on,
                organisation=report.organisation,
                figures=figures,
                hidden=hidden,
                digest=report_diff.digest(figures, hidden),
            ),
        )
        session.add(row)
        session.flush()
        # The digest goes into the audit chain too: rewriting the figures and their digest
        # together then shows as a frozen report the chain does not know (`intact`).
        audit.record(session, db, actor, "report.freeze", None, f"{report.start}..{report.end} {row.digest}")
        return row.id


def list_frozen(db: Database, actor: uuid.UUID | None) -> list[Frozen]:
    with db.reading() as session:
        require_role(session, actor, "report")
        rows = session.exec(
            select(FrozenReport)
            .where(col(FrozenReport.deleted_at).is_(None))
            .order_by(col(FrozenReport.created_at).desc())
        ).all()
        return [_frozen(session, row) for row in rows]


def get_frozen(db: Database, actor: uuid.UUID | None, frozen_id: uuid.UUID) -> Frozen:
    with db.reading() as session:
        require_role(session, actor, "report")
        return _frozen(session, get_live(session, FrozenReport, frozen_id, "Vastgestelde rapportage"))


def _frozen(session: Session, row: FrozenReport) -> Frozen:
    area = session.get(Area, row.area_id) if row.area_id else None
    worker = session.get(Worker, row.created_by) if row.created_by else None
    return Frozen(
        row.id,
        row.start_on,
        row.end_on,
        row.area_id,
        area.name if area else ALL,
        row.run_on,
        row.created_at,
        worker.name if worker else "",
        row.organisation,
        json.loads(row.figures),
        json.loads(row.hidden),
        row.digest,
        report_diff.digest(row.figures, row.hidden) == row.digest and _in_chain(session, row),
    )


def _in_chain(session: Session, row: FrozenReport) -> bool:
    """The audit trail holds this report's freezing with this digest."""
    detail = f"{row.start_on}..{row.end_on} {row.digest}"
    found = session.exec(
        select(AuditEvent.seq).where(AuditEvent.action == "report.freeze", AuditEvent.detail == detail)
    ).first()
    return found is not None
