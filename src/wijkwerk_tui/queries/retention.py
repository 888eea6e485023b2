"""Who has passed the retention period: residents without contact for longer than the term
and without open work (an open signal, a referral awaiting feedback). Used by a laptop's sweep
(services.privacy) and by the organisation's, at the hub (hub.retention)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, func
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from wijkwerk_tui.db.tables import Contact, Referral, Resident, Signal
from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules


def expired_query(cutoff: date, *, last_from_contacts: bool = False) -> SelectOfScalar[Resident]:
    """Residents past the term without open work. The hub has no `last_contact_on` (a laptop's
    derived column): it reads the contacts themselves (`last_from_contacts`)."""
    open_signals = select(Signal.resident_id).where(
        col(Signal.status).in_(signal_rules.OPEN_STATUSES),
        col(Signal.deleted_at).is_(None),
        col(Signal.resident_id).is_not(None),
    )
    open_referrals = select(Referral.resident_id).where(
        col(Referral.status).in_(referral_rules.AWAITING_FEEDBACK), col(Referral.deleted_at).is_(None)
    )
    contact: Any
    if last_from_contacts:
        contact = (
            select(func.max(Contact.contact_on))
            .where(col(Contact.resident_id) == Resident.id, col(Contact.deleted_at).is_(None))
            .scalar_subquery()
        )
    else:
        contact = col(Resident.last_contact_on)
    last = func.coalesce(contact, func.date(Resident.created_at), type_=Date)
    return (
        select(Resident)
        .where(col(Resident.anonymised_at).is_(None), col(Resident.deleted_at).is_(None))
        .where(last < cutoff)
        .where(col(Resident.id).not_in(open_signals), col(Resident.id).not_in(open_referrals))
    )
