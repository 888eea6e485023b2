"""What changed in the records behind a period since a report on it was frozen: rows added,
changed or removed after that moment (by their stamps) that a figure of the period counts.
Ids only, never names: the comparison is read by coordinators to explain figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import (
    Area,
    Contact,
    GroupActivity,
    LadderStep,
    Referral,
    Resident,
    ResidentMove,
    Signal,
    SignalReopening,
)
from wijkwerk_tui.domain.report_diff import RecordChange
from wijkwerk_tui.queries.report_ladders import in_view_from
from wijkwerk_tui.store.access import require_role

LADDER_TABLES = {
    "participation": frozenset({"participation_distribution", "participation_movement"}),
    "support": frozenset({"support_distribution", "support_movement"}),
}
ALL_LADDERS = LADDER_TABLES["participation"] | LADDER_TABLES["support"]
SIGNAL_TABLES = frozenset({"signals", "signals_urgency", "signals_source", "signals_closed"})
CONTACT_TABLES = frozenset({"reach", "effort", "contacts_per_month"})
EVERY_TABLE = ALL_LADDERS | SIGNAL_TABLES | CONTACT_TABLES | {"referrals"}


def _what(row: Any, since: datetime) -> str:
    if row.deleted_at is not None and row.deleted_at > since:
        return "verwijderd"
    return "toegevoegd" if row.created_at > since else "gewijzigd"


def _changed(model: Any, since: datetime) -> Any:
    return or_(col(model.updated_at) > since, col(model.deleted_at) > since)


def changes_since(db: Database, actor: Any, since: datetime, start: date, end: date) -> list[RecordChange]:
    """Records touched after `since` that count in a report of `start`..`end`."""
    with db.reading() as session:
        require_role(session, actor, "report")
        names = {a.id: a.name for a in session.exec(select(Area)).all()}
        home: dict[Any, Any] = dict(session.execute(select(col(Resident.id), col(Resident.area_id))).all())

        def area(area_id: Any) -> frozenset[str]:
            return frozenset({names[area_id]}) if area_id in names else frozenset()

        out: list[RecordChange] = []
        for step in _rows(session, LadderStep, since, col(LadderStep.measured_on) <= end):
            tables = LADDER_TABLES.get(step.ladder, ALL_LADDERS)
            out.append(_change("trede", step, since, area(home.get(step.resident_id)), tables))
        for contact in _rows(
            session, Contact, since, col(Contact.contact_on) <= end, col(Contact.contact_on) >= in_view_from(end)
        ):
            tables = ALL_LADDERS | (CONTACT_TABLES if contact.contact_on >= start else frozenset())
            if contact.resident_id is None and contact.signal_categories:
                tables |= {"signals"}
            out.append(_change("contactmoment", contact, since, area(contact.area_id), tables))
        for signal in _rows(session, Signal, since, col(Signal.noticed_on) <= end):
            out.append(_change("signaal", signal, since, area(signal.area_id), SIGNAL_TABLES))
        for reopened in _rows(session, SignalReopening, since, col(SignalReopening.closed_on) <= end):
            signal = session.get(Signal, reopened.signal_id)
            where = area(signal.area_id) if signal else frozenset()
            out.append(
                RecordChange(
                    "signaal", _short(reopened.signal_id), "heropend", reopened.updated_at, where, SIGNAL_TABLES
                )
            )
        for referral in _rows(
            session, Referral, since, col(Referral.referred_on) >= start, col(Referral.referred_on) <= end
        ):
            out.append(_change("doorverwijzing", referral, since, area(referral.area_id), frozenset({"referrals"})))
        for activity in _rows(
            session, GroupActivity, since, col(GroupActivity.held_on) >= start, col(GroupActivity.held_on) <= end
        ):
            out.append(_change("groepsactiviteit", activity, since, area(activity.area_id), frozenset({"reach"})))
        for move in _rows(session, ResidentMove, since):
            where = area(move.from_area_id) | area(move.to_area_id)
            out.append(
                RecordChange("inwoner", _short(move.resident_id), "verhuisd", move.updated_at, where, ALL_LADDERS)
            )
        for resident in session.exec(select(Resident).where(col(Resident.deleted_at) > since)).all():
            out.append(
                RecordChange(
                    "inwoner",
                    _short(resident.id),
                    "verwijderd",
                    resident.updated_at,
                    area(resident.area_id),
                    EVERY_TABLE,
                )
            )
        return sorted(out, key=lambda r: r.at)


def _rows(session: Session, model: Any, since: datetime, *where: Any) -> list[Any]:
    return list(session.exec(select(model).where(_changed(model, since), *where)).all())


def _short(row_id: Any) -> str:
    return str(row_id)[:8]


def _change(kind: str, row: Any, since: datetime, areas: frozenset[str], tables: frozenset[str]) -> RecordChange:
    return RecordChange(kind, _short(row.id), _what(row, since), row.updated_at, areas, tables)
