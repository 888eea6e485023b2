"""Quick intake during drop-in hours: everything of one visit saved in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, touch
from wijkwerk_tui.db.tables import Area, Resident
from wijkwerk_tui.domain import consent as consent_rules
from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder, validate_step
from wijkwerk_tui.domain.names import PersonalData, check_personal_data, full_name, split_full_name
from wijkwerk_tui.domain.text import clean_line
from wijkwerk_tui.domain.vocab import check_code
from wijkwerk_tui.services import undo
from wijkwerk_tui.services.undo import Saved
from wijkwerk_tui.store import contacts, drafts, ladders, referrals, residents, settings, signals
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.referrals import ReferralData
from wijkwerk_tui.store.signals import SignalData

NOTE_MAX = 1000
LAST_AREA = "intake.last_area"
LAST_KIND = "intake.last_kind"


@dataclass(frozen=True)
class IntakeData:
    name: str = ""
    birth_year: str = ""
    area_id: uuid.UUID | None = None
    kind: str = "walk_in"
    participation: str = ""
    support: str = ""
    categories: tuple[str, ...] = ()
    note: str = ""
    partner_id: uuid.UUID | None = None
    referral_consent: bool | None = None
    consent: bool | None = None
    existing_resident_id: uuid.UUID | None = None  # chosen from the likely duplicates


@dataclass(frozen=True)
class IntakeResult:
    resident_id: uuid.UUID | None  # None: anonymous contact only
    new_resident: bool
    steps: int
    signals: int
    referral: bool
    resident_name: str = ""  # for the screen's confirmation line
    undo: Saved | None = None  # what "Laatste opslag ongedaan maken" takes back


def _step(ladder: Ladder, value: str, name: str) -> int | None:
    return validate_step(ladder, value, name) if value.strip() else None


def save_intake(
    db: Database, actor: uuid.UUID | None, data: IntakeData, draft: tuple[uuid.UUID | None, str] | None = None
) -> IntakeResult:
    """Resident (or an existing one), contact, ladder steps, signals and referral: all or nothing.

    `draft` (owner, kind): the draft this intake was typed in, removed in the same transaction,
    so a crash right after the save never offers the saved visit again.
    """
    today = db.today()
    if data.consent is None and data.existing_resident_id is None:
        raise ValidationError("consent", consent_rules.ASK)
    kind = check_code(CONTACT_KINDS, data.kind, "kind", "soort contact")
    note = clean_line(data.note, "note", max_len=NOTE_MAX)
    for code in data.categories:
        check_code(signal_rules.CATEGORIES, code, "signals", "signaalcategorie")
    if data.area_id is None:
        raise ValidationError("area", "Kies het gebied (typ de eerste letters).")
    participation = _step(Ladder.PARTICIPATION, data.participation, "participation")
    support = _step(Ladder.SUPPORT, data.support, "support")
    with db.transaction() as session:
        get_live(session, Area, data.area_id, "Gebied")
        settings.put(session, LAST_AREA, str(data.area_id))
        settings.put(session, LAST_KIND, kind)
        if draft is not None:
            drafts.clear_in(session, *draft)
        existing = None
        if data.existing_resident_id is not None:
            existing = get_live(session, Resident, data.existing_resident_id, "Inwoner")
        # An existing resident's yes on file counts; missing or withdrawn consent is asked.
        if not consent_rules.for_visit(data.consent, existing.consent_register if existing else None):
            # No consent to register: only an anonymous contact, so the visit still counts.
            if data.partner_id is not None:
                raise ValidationError(
                    "partner", "Zonder toestemming voor registratie kan er geen doorverwijzing worden vastgelegd."
                )
            contact = contacts.add_in(session, db, actor, None, ContactData(today, kind), data.area_id)
            contact.signal_categories = ",".join(data.categories)
            session.add(contact)
            session.flush()
            return IntakeResult(None, False, 0, 0, False, undo=undo.saved(db, actor, "het anonieme contact", [contact]))
        if existing is not None:
            resident = existing
            new = False
            if data.consent and not existing.consent_register:  # given again at this visit
                resident.consent_register, resident.consent_on = True, today
                session.add(touch(db, resident))
        else:
            given, prefix, family = split_full_name(clean_line(data.name, "name", max_len=200))
            if not (given or family):
                raise ValidationError("name", "Vul de naam in.")
            try:
                person = check_personal_data(PersonalData(given, prefix, family, data.birth_year), today)
            except ValidationError as error:
                raise ValidationError("birth_year" if error.field == "birth_year" else "name", error.message) from None
            resident = residents.create_in(session, db, actor, person, data.area_id, True, today)
            new = True
        made: list[undo.Undoable] = [resident] if new else []
        made.append(contacts.add_in(session, db, actor, resident.id, ContactData(today, kind, note=note), data.area_id))
        steps = 0
        for ladder, step in ((Ladder.PARTICIPATION, participation), (Ladder.SUPPORT, support)):
            if step is not None:
                made.append(ladders.record_in(session, db, actor, resident.id, ladder, step, today))
                steps += 1
        for code in data.categories:
            # Made at this visit: in the visit's area (a resident may come to another village's hour).
            signal = SignalData(code, source="resident", noticed_on=today)
            made.append(signals.add_in(session, db, actor, resident.id, signal, data.area_id))
        referral = False
        if data.partner_id is not None:
            if data.referral_consent is None:
                raise ValidationError(
                    "referral_consent", "Geef aan of de inwoner toestemming geeft om gegevens te delen."
                )
            made.append(
                referrals.add_in(
                    session,
                    db,
                    actor,
                    resident.id,
                    ReferralData(
                        data.partner_id,
                        note or referral_rules.FROM_DROP_IN,
                        data.referral_consent,
                        "" if data.referral_consent else referral_rules.NO_CONSENT_AT_DROP_IN,
                    ),
                )
            )
            referral = True
        name = full_name(resident.given_name, resident.family_prefix, resident.family_name)
        session.flush()
        last = undo.saved(db, actor, f"de intake van {name}", made, resident.id)
        return IntakeResult(resident.id, new, steps, len(data.categories), referral, name, last)


def last_choices(db: Database) -> tuple[uuid.UUID | None, str]:
    """The area and contact kind this device used last."""
    raw = settings.get(db, LAST_AREA)
    try:
        area = uuid.UUID(raw) if raw else None
    except ValueError:
        area = None
    return area, settings.get(db, LAST_KIND, "walk_in") or "walk_in"
