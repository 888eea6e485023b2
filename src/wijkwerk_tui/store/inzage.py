"""Inzage (right of access): everything recorded about one resident, as plain data.

`reports.inzage` turns it into a readable document and JSON. Collecting is audited
as an export, in the same transaction as the read.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from wijkwerk_tui.domain.activities import CONTACT_KINDS, GOAL_CONTRIBUTORS, GOAL_STATUSES
from wijkwerk_tui.domain.ladders import LADDER_NAMES, Ladder, steps
from wijkwerk_tui.domain.referrals import STATUSES as REFERRAL_STATUSES
from wijkwerk_tui.domain.signals import CATEGORIES, STATUSES as SIGNAL_STATUSES, URGENCIES
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.engine import Database
from wijkwerk_tui.store.rows import get_live
from wijkwerk_tui.store.tables import (
    ActivityResident, Area, AuditEvent, Contact, Goal, GroupActivity, LadderStep, MeldcodeStep, Partner,
    Referral, Resident, Signal, Worker,
)


def _value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _live(session: Any, model: Any, resident_id: uuid.UUID, order: Any) -> list[Any]:
    return list(session.exec(select(model).where(model.resident_id == resident_id, col(model.deleted_at).is_(None))
                             .order_by(order)))


def collect(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID) -> dict[str, Any]:
    with db.transaction() as session:
        r = get_live(session, Resident, resident_id, "Inwoner")
        workers = {w.id: w.name for w in session.exec(select(Worker))}
        partners = {p.id: p.name for p in session.exec(select(Partner))}
        area = session.get(Area, r.area_id) if r.area_id else None
        who = lambda worker_id: workers.get(worker_id, "") if worker_id else ""  # noqa: E731
        labels = {ladder: {s.number: s.label for s in steps(ladder)} for ladder in Ladder}
        data: dict[str, Any] = {
            "gemaakt_op": db.now().isoformat(),
            "inwoner": {
                "id": str(r.id), "voornaam": r.given_name, "tussenvoegsel": r.family_prefix,
                "achternaam": r.family_name, "geboortejaar": r.birth_year, "geboortedatum": _value(r.birth_date),
                "gebied": area.name if area else "", "telefoon": r.phone, "e-mail": r.email,
                "toestemming_registratie": r.consent_register, "toestemming_op": _value(r.consent_on),
                "geregistreerd_op": _value(r.created_at), "geanonimiseerd_op": _value(r.anonymised_at),
            },
            "ladders": {
                LADDER_NAMES[ladder]: [
                    {"datum": _value(s.measured_on), "trede": s.step, "omschrijving": labels[ladder].get(s.step, ""),
                     "groeipotentieel": s.potential, "toelichting": s.note, "medewerker": who(s.worker_id)}
                    for s in _live(session, LadderStep, resident_id, LadderStep.measured_on) if s.ladder == ladder.value
                ]
                for ladder in Ladder
            },
            "signalen": [],
            "doorverwijzingen": [
                {"datum": _value(f.referred_on), "partner": partners.get(f.partner_id, ""), "reden": f.reason,
                 "toestemming_delen": f.consent_share, "toestemming_op": _value(f.consent_on),
                 "reden_zonder_toestemming": f.no_consent_reason,
                 "status": REFERRAL_STATUSES.get(f.status, f.status), "terugkoppeling_uiterlijk": _value(f.feedback_due_on),
                 "terugkoppeling_op": _value(f.feedback_on), "terugkoppeling": f.feedback, "medewerker": who(f.worker_id)}
                for f in _live(session, Referral, resident_id, Referral.referred_on)
            ],
            "contactmomenten": [
                {"datum": _value(c.contact_on), "soort": CONTACT_KINDS.get(c.kind, c.kind), "minuten": c.duration_min,
                 "notitie": c.note, "medewerker": who(c.worker_id)}
                for c in _live(session, Contact, resident_id, Contact.contact_on)
            ],
            "doelen": [
                {"vastgesteld_op": _value(g.set_on), "doel": g.description,
                 "wie_draagt_bij": GOAL_CONTRIBUTORS.get(g.contributor, g.contributor),
                 "evaluatie_op": _value(g.review_on), "status": GOAL_STATUSES.get(g.status, g.status),
                 "medewerker": who(g.worker_id)}
                for g in _live(session, Goal, resident_id, Goal.set_on)
            ],
        }
        for s in _live(session, Signal, resident_id, Signal.noticed_on):
            meldcode = session.exec(select(MeldcodeStep).where(MeldcodeStep.signal_id == s.id)
                                    .order_by(MeldcodeStep.step)).all()
            data["signalen"].append({
                "datum": _value(s.noticed_on), "soort": CATEGORIES.get(s.category, s.category),
                "urgentie": URGENCIES.get(s.urgency, s.urgency), "status": SIGNAL_STATUSES.get(s.status, s.status),
                "omschrijving": s.description, "opvolgen_op": _value(s.follow_up_on), "gesloten_op": _value(s.closed_on),
                "vertrouwelijk": s.confidential, "medewerker": who(s.worker_id),
                "meldcode": [{"stap": m.step, "datum": _value(m.done_on), "notitie": m.note} for m in meldcode],
            })
        attended = session.exec(
            select(GroupActivity).join(ActivityResident, col(ActivityResident.activity_id) == col(GroupActivity.id))
            .where(ActivityResident.resident_id == resident_id).order_by(GroupActivity.held_on)).all()
        data["activiteiten"] = [{"datum": _value(a.held_on), "naam": a.name} for a in attended]
        events = session.exec(select(AuditEvent).where(AuditEvent.resident_id == resident_id)
                              .order_by(col(AuditEvent.seq))).all()
        data["inzage_log"] = [{"tijd": _value(e.at), "medewerker": who(e.worker_id) or "systeem", "handeling": e.action}
                              for e in events]
        audit.record(session, db, actor, "resident.export", resident_id, detail="inzage")
    return data
