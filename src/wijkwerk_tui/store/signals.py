"""Signals (signaleringen), their status history and meldcode steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import Session, col, select

from wijkwerk_tui.crypto import envelope, worker_key
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import NotFound, get_live, get_live_many, stamp_new, touch
from wijkwerk_tui.db.tables import MeldcodeStep, Referral, Resident, Signal, SignalReopening, Worker
from wijkwerk_tui.domain import signals as rules
from wijkwerk_tui.domain.accounts import COORDINATOR, Viewer, can_see_signal
from wijkwerk_tui.domain.edits import Base, changes
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line, clean_text
from wijkwerk_tui.domain.vocab import check_code
from wijkwerk_tui.store import audit, trust
from wijkwerk_tui.store.access import viewer


@dataclass(frozen=True)
class SignalData:
    category: str
    urgency: str = "normal"
    source: str = "own"
    description: str = ""
    subject: str = ""  # for someone not known by name
    noticed_on: date | None = None
    follow_up_on: date | None = None
    confidential: bool = False
    # Meldcode steps taken, step number -> date (for huiselijk geweld / mishandeling).
    meldcode: dict[int, date] = field(default_factory=dict)


def add_signal(
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID | None,
    data: SignalData,
    area_id: uuid.UUID | None = None,
) -> Signal:
    with db.transaction() as session:
        return add_in(session, db, actor, resident_id, data, area_id)


def _record_meldcode(
    session: Session, db: Database, actor: uuid.UUID | None, signal: Signal, steps: dict[int, date]
) -> None:
    if steps and signal.category not in rules.MELDCODE_CATEGORIES:
        raise ValidationError("meldcode", "De meldcode hoort alleen bij signalen van huiselijk geweld of mishandeling.")
    existing = {
        m.step: m
        for m in session.exec(
            select(MeldcodeStep).where(MeldcodeStep.signal_id == signal.id, col(MeldcodeStep.deleted_at).is_(None))
        )
    }
    for step, done_on in sorted(steps.items()):
        if step not in rules.MELDCODE_STEPS:
            raise ValidationError("meldcode", "De meldcode kent stap 1 tot en met 5.")
        if done_on > db.today():
            raise ValidationError(f"meldcode_{step}", "Een stap kan niet in de toekomst zijn gezet.")
        row = existing.get(step) or stamp_new(db, actor, MeldcodeStep(signal_id=signal.id, step=step))
        row.done_on = done_on
        session.add(touch(db, row))


def add_in(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    resident_id: uuid.UUID | None,
    data: SignalData,
    area_id: uuid.UUID | None = None,
) -> Signal:
    return add_many_in(session, db, actor, [(resident_id, data, area_id)])[0]


def add_many_in(
    session: Session,
    db: Database,
    actor: uuid.UUID | None,
    items: Sequence[tuple[uuid.UUID | None, SignalData, uuid.UUID | None]],
) -> list[Signal]:
    """Signals (resident or None, what, area) inside the caller's transaction, in one flush."""
    today = db.today()
    made: list[Signal] = []
    for resident_id, data, area_id in items:
        category = check_code(rules.CATEGORIES, data.category, "category", "categorie")
        urgency = check_code(rules.URGENCIES, data.urgency, "urgency", "urgentie")
        source = check_code(rules.SOURCES, data.source, "source", "bron")
        description = clean_text(data.description, "description", max_len=4000)
        subject = clean_line(data.subject, "subject", max_len=200)
        noticed_on = data.noticed_on or today
        if noticed_on > today:
            raise ValidationError("noticed_on", "Een signaal kan niet in de toekomst zijn opgemerkt.")
        follow_up_on = data.follow_up_on or rules.default_follow_up(noticed_on)
        if follow_up_on < noticed_on:
            raise ValidationError("follow_up_on", "De opvolgdatum ligt vóór de datum van het signaal.")
        if resident_id is None and not subject:
            raise ValidationError("subject", "Beschrijf om wie het gaat als de inwoner nog niet bekend is.")
        if data.confidential and description:
            description = _sealed(session, actor, description)
        signal = Signal(
            resident_id=resident_id,
            subject=subject,
            area_id=area_id,
            category=category,
            urgency=urgency,
            source=source,
            description=description,
            noticed_on=noticed_on,
            follow_up_on=follow_up_on,
            confidential=data.confidential,
            worker_id=actor,
        )
        made.append(stamp_new(db, actor, signal))
    residents = get_live_many(session, Resident, [s.resident_id for s in made if s.resident_id is not None], "Inwoner")
    for signal in made:
        if signal.resident_id is not None and signal.area_id is None:  # where the resident lives
            signal.area_id = residents[signal.resident_id].area_id
    session.add_all(made)
    session.flush()
    for signal, (_resident_id, data, _area_id) in zip(made, items, strict=True):
        if data.meldcode:
            _record_meldcode(session, db, actor, signal, data.meldcode)
    audit.record_many(session, db, actor, [("signal.create", s.resident_id, s.category) for s in made])
    return made


def readers(session: Session, author: uuid.UUID | None) -> list[str]:
    """Who can read a confidential signal's text: its author and the active coordinators, by
    the public keys of their accounts as this laptop honours them (store.trust)."""
    pinned = trust.pinned(session)
    found = session.exec(
        select(Worker).where(
            col(Worker.deleted_at).is_(None),
            or_(col(Worker.id) == author, (col(Worker.role) == COORDINATOR) & col(Worker.active)),
        )
    )
    return sorted({w.public_key for w in found if worker_key.is_public_key(w.public_key) and trust.trusted(w, pinned)})


def _sealed(session: Session, author: uuid.UUID | None, text: str) -> str:
    """A confidential text sealed to its readers, so that the database key alone does not
    read it (a worker with Python, a copy of the file). Left as it is only on a laptop where
    no reader has a key pair yet (from before key pairs): README, "Confidential signal text"."""
    with session.no_autoflush:
        keys = readers(session, author)
    return envelope.seal_text(text, keys) if keys else text


def seal_plain(db: Database) -> int:
    """Seal the text of confidential signals still stored plain (written before this version, or
    on a laptop where nobody had a key pair yet), where readers now have key pairs: one
    transaction, synced like any change. Returns how many. Only public keys are needed. Run
    at every login: a read finds nothing to do on a laptop where all is sealed (no write)."""
    plain_text = (
        col(Signal.confidential),
        col(Signal.deleted_at).is_(None),
        col(Signal.description) != "",
        ~col(Signal.description).startswith(envelope.SEALED_TEXT),
    )
    with db.reading() as session:
        if session.exec(select(Signal.id).where(*plain_text).limit(1)).first() is None:
            return 0
    sealed = 0
    with db.transaction() as session:
        keys: dict[uuid.UUID | None, list[str]] = {}  # per author (the coordinators are the same for all)
        for signal in session.exec(select(Signal).where(*plain_text)).all():
            author = signal.created_by or signal.worker_id
            if author not in keys:
                with session.no_autoflush:
                    keys[author] = readers(session, author)
            if keys[author]:
                signal.description = envelope.seal_text(signal.description, keys[author])
                session.add(touch(db, signal))
                sealed += 1
        if sealed:
            audit.record(session, db, db.actor, "signal.sealed", detail=str(sealed))
    return sealed


def update_signal(
    db: Database,
    actor: uuid.UUID | None,
    signal_id: uuid.UUID,
    new_status: str,
    close_reason: str | None = None,
    referral_id: uuid.UUID | None = None,
    meldcode: dict[int, date] | None = None,
    *,
    base: Base | None = None,
) -> Signal:
    """Status, link to a referral and meldcode steps, saved together or not at all. With `base`
    (what the dialog showed), a status or link it did not change is left as it is now, and one
    someone else changed since refuses (`domain.edits`)."""
    with db.transaction() as session:
        signal = get_live(session, Signal, signal_id, "Signaal")
        current = {"status": signal.status, "referral_id": signal.referral_id}
        mine = {"status": new_status, "referral_id": referral_id or signal.referral_id}
        changed = changes(base, mine, current, signal.version)
        new_status = changed.get("status", signal.status)
        referral_id = changed.get("referral_id")
        if new_status != signal.status:
            rules.check_status_change(signal.status, new_status, close_reason)
            if signal.status == "closed" and signal.closed_on is not None:
                # Reopened: the closing stays on record, so a report of the past still sees it.
                session.add(
                    stamp_new(
                        db,
                        actor,
                        SignalReopening(
                            signal_id=signal.id,
                            closed_on=signal.closed_on,
                            close_reason=signal.close_reason,
                            reopened_on=db.today(),
                        ),
                    )
                )
            signal.status = new_status
            signal.close_reason = close_reason if new_status == "closed" else None
            signal.closed_on = db.today() if new_status == "closed" else None
        if referral_id is not None and referral_id != signal.referral_id:
            referral = get_live(session, Referral, referral_id, "Doorverwijzing")
            if referral.resident_id != signal.resident_id:
                raise ValidationError("referral", "Deze doorverwijzing hoort bij een andere inwoner.")
            signal.referral_id = referral_id
        _record_meldcode(session, db, actor, signal, meldcode or {})
        session.add(touch(db, signal))
        audit.record(session, db, actor, "signal.update", signal.resident_id, signal.status)
        return signal


def record_meldcode_step(
    db: Database, actor: uuid.UUID | None, signal_id: uuid.UUID, step: int, done_on: date | None, note: str = ""
) -> MeldcodeStep:
    if step not in rules.MELDCODE_STEPS:
        raise ValidationError("meldcode_step", "De meldcode kent stap 1 tot en met 5.")
    if done_on is not None and done_on > db.today():
        raise ValidationError("meldcode_step", "Een stap kan niet in de toekomst zijn gezet.")
    note = clean_line(note, "meldcode_note", max_len=400)
    with db.transaction() as session:
        signal = get_live(session, Signal, signal_id, "Signaal")
        if signal.category not in rules.MELDCODE_CATEGORIES:
            raise ValidationError("meldcode_step", "De meldcode hoort alleen bij signalen van huiselijk geweld.")
        row = session.exec(
            select(MeldcodeStep).where(
                MeldcodeStep.signal_id == signal_id, MeldcodeStep.step == step, col(MeldcodeStep.deleted_at).is_(None)
            )
        ).first()
        if row is None:
            row = stamp_new(db, actor, MeldcodeStep(signal_id=signal_id, step=step))
        row.done_on = done_on
        row.note = note
        session.add(touch(db, row))
        audit.record(session, db, actor, "signal.meldcode", signal.resident_id, str(step))
        return row


def meldcode_steps(db: Database, actor: uuid.UUID | None, signal_id: uuid.UUID) -> list[MeldcodeStep]:
    """The meldcode steps of a signal the actor may see (a confidential one is "not found")."""
    with db.reading() as session:
        signal = get_live(session, Signal, signal_id, "Signaal")
        if not can_see_signal(viewer(session, actor), signal.confidential, signal.created_by, signal.worker_id):
            raise NotFound("Signaal niet gevonden.")
        return list(
            session.exec(
                select(MeldcodeStep)
                .where(MeldcodeStep.signal_id == signal_id, col(MeldcodeStep.deleted_at).is_(None))
                .order_by(col(MeldcodeStep.step))
            )
        )


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The SQL form of `domain.accounts.can_see_signal`, for every read that shows signals."""
    if viewer.is_coordinator:
        return true()
    return or_(
        col(Signal.confidential).is_(False),
        col(Signal.created_by) == viewer.worker_id,
        col(Signal.worker_id) == viewer.worker_id,
    )


def for_resident(db: Database, actor: uuid.UUID | None, resident_id: uuid.UUID) -> list[Signal]:
    """The resident's signals that the actor may see, newest first."""
    with db.reading() as session:
        return list(
            session.exec(
                select(Signal)
                .where(Signal.resident_id == resident_id, col(Signal.deleted_at).is_(None))
                .where(visible_to(viewer(session, actor)))
                .order_by(col(Signal.noticed_on).desc(), col(Signal.created_at).desc())
            )
        )
