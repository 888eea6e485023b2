"""Referrals (doorverwijzingen) to partners on the sociale kaart."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new, touch
from wijkwerk_tui.db.tables import Partner, Referral, Resident, Signal
from wijkwerk_tui.domain import referrals as rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.edits import Base, changes
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line, clean_text
from wijkwerk_tui.store import audit


@dataclass(frozen=True)
class ReferralData:
    partner_id: uuid.UUID | None
    reason: str = ""
    consent_share: bool | None = None
    no_consent_reason: str = ""
    referred_on: date | None = None
    feedback_due_on: date | None = None
    status: str = "proposed"  # or "sent" straight away, which needs consent
    signal_id: uuid.UUID | None = None  # the signal this referral answers


def add_referral(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, data: ReferralData) -> Referral:
    with db.transaction() as session:
        return add_in(session, db, actor, resident_id, data)


def add_in(
    session: Session, db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID, data: ReferralData
) -> Referral:
    if data.partner_id is None:
        raise ValidationError("partner", "Kies een partner van de sociale kaart.")
    reason = clean_text(data.reason, "reason", max_len=2000)
    if not reason:
        raise ValidationError("reason", "Vul de reden van de doorverwijzing in.")
    rules.check_consent(data.consent_share, data.no_consent_reason)
    no_consent_reason = clean_line(data.no_consent_reason, "no_consent_reason", max_len=400)
    today = db.today()
    referred_on = data.referred_on or today
    if referred_on > today:
        raise ValidationError("referred_on", "De datum van doorverwijzen kan niet in de toekomst liggen.")
    due = data.feedback_due_on or rules.default_feedback_due(referred_on)
    if due < referred_on:
        raise ValidationError("feedback_due_on", "De terugkoppeldatum ligt vóór de datum van doorverwijzen.")
    if data.status not in ("proposed", "sent"):
        raise ValidationError("status", "Een nieuwe doorverwijzing is voorgesteld of verstuurd.")
    if data.status == "sent":
        rules.check_status_change("proposed", "sent", bool(data.consent_share))
    resident = get_live(session, Resident, resident_id, "Inwoner")
    partner = get_live(session, Partner, data.partner_id, "Partner")
    if not partner.active:
        raise ValidationError("partner", "Deze partner is niet meer actief.")
    referral = stamp_new(
        db,
        actor,
        Referral(
            resident_id=resident_id,
            partner_id=partner.id,
            reason=reason,
            consent_share=bool(data.consent_share),
            consent_on=today if data.consent_share else None,
            no_consent_reason="" if data.consent_share else no_consent_reason,
            referred_on=referred_on,
            feedback_due_on=due,
            worker_id=actor,
            status=data.status,
            area_id=resident.area_id,  # where it was made, for the reports
            sent_on=referred_on if data.status == "sent" else None,
        ),
    )
    session.add(referral)
    session.flush()
    if data.signal_id is not None:
        _link_signal(session, db, referral, data.signal_id)
    audit.record(session, db, actor, "referral.create", resident_id)
    return referral


def _link_signal(session: Session, db: Database, referral: Referral, signal_id: uuid.UUID) -> None:
    """The signal now points at this referral and, while still open, counts as referred."""
    signal = get_live(session, Signal, signal_id, "Signaal")
    if signal.resident_id != referral.resident_id:
        raise ValidationError("signal", "Dit signaal hoort bij een andere inwoner.")
    signal.referral_id = referral.id
    if signal_rules.can_change(signal.status, "referred"):
        signal.status = "referred"
    session.add(touch(db, signal))


def _set_status(db: Database, referral: Referral, new_status: str) -> None:
    """The first time it leaves for the partner is its sent date (a referral rejected while
    only proposed was never sent)."""
    if new_status in rules.SHARING_STATUSES and referral.sent_on is None:
        referral.sent_on = db.today()
    referral.status = new_status


def change_status(
    db: Database, actor: uuid.UUID | None, referral_id: uuid.UUID, new_status: str, *, base: Base | None = None
) -> Referral:
    with db.transaction() as session:
        referral = get_live(session, Referral, referral_id, "Doorverwijzing")
        if not changes(base, {"status": new_status}, {"status": referral.status}, referral.version):
            return referral
        rules.check_status_change(referral.status, new_status, referral.consent_share)
        _set_status(db, referral, new_status)
        session.add(touch(db, referral))
        audit.record(session, db, actor, "referral.status", referral.resident_id, new_status)
        return referral


def record_feedback(
    db: Database,
    actor: uuid.UUID | None,
    referral_id: uuid.UUID,
    feedback: str,
    feedback_on: date,
    new_status: str | None = None,
    *,
    base: Base | None = None,
) -> Referral:
    """The partner's answer, with its date; optionally moves the status on in the same step.
    With `base`, a status or answer someone else changed since refuses (`domain.edits`)."""
    text = clean_text(feedback, "feedback", max_len=4000)
    if not text:
        raise ValidationError("feedback", "Vul de terugkoppeling in.")
    if feedback_on > db.today():
        raise ValidationError("feedback_on", "De terugkoppeling kan niet in de toekomst liggen.")
    with db.transaction() as session:
        referral = get_live(session, Referral, referral_id, "Doorverwijzing")
        if feedback_on < referral.referred_on:
            raise ValidationError("feedback_on", "De terugkoppeling ligt vóór de doorverwijzing.")
        current = {"status": referral.status, "feedback": referral.feedback, "feedback_on": referral.feedback_on}
        mine = {"status": new_status or referral.status, "feedback": text, "feedback_on": feedback_on}
        if base is not None and not new_status:
            mine["status"] = base.values.get("status", referral.status)  # not touched here
        new_status = changes(base, mine, current, referral.version).get("status")
        if new_status and new_status != referral.status:
            rules.check_status_change(referral.status, new_status, referral.consent_share)
            _set_status(db, referral, new_status)
        referral.feedback = text
        referral.feedback_on = feedback_on
        session.add(touch(db, referral))
        audit.record(session, db, actor, "referral.feedback", referral.resident_id)
        return referral


def for_resident(db: Database, resident_id: uuid.UUID) -> list[Referral]:
    with db.reading() as session:
        return list(
            session.exec(
                select(Referral)
                .where(Referral.resident_id == resident_id, col(Referral.deleted_at).is_(None))
                .order_by(col(Referral.referred_on).desc(), col(Referral.created_at).desc())
            )
        )
