"""The intake's promise, at the store: everything of one visit in one transaction, or nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.services.intake import LAST_AREA, IntakeData, save_intake
from wijkwerk_tui.store import areas, contacts, drafts, partners, residents, settings, workers
from wijkwerk_tui.store.partners import PartnerData

TABLES = ("resident", "contact", "ladderstep", "ladder_summary", "signal", "referral", "auditevent", "draft")


def _counts(db: Database) -> dict[str, int]:
    with db.reading() as session:
        return {t: int(session.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0) for t in TABLES}


@pytest.fixture
def office(db: Database) -> tuple[Database, uuid.UUID, uuid.UUID, uuid.UUID]:
    worker = workers.add_worker(db, None, "Sanne")
    area = areas.add_area(db, worker.id, "Ruinen")
    partner = partners.add_partner(db, worker.id, PartnerData("Schuldhulpverlening", "Schulden"))
    return db, worker.id, area.id, partner.id


def _visit(area: uuid.UUID, partner: uuid.UUID | None, referral_consent: bool | None) -> IntakeData:
    return IntakeData(
        name="Gerrit Hoekstra",
        birth_year="1951",
        area_id=area,
        kind="walk_in",
        participation="2",
        support="3",
        categories=("loneliness", "debts"),
        note="Kwam voor de koffie",
        partner_id=partner,
        referral_consent=referral_consent,
        consent=True,
    )


def test_a_refusal_after_rows_were_added_writes_nothing(office) -> None:
    """The sharing question is checked last, after resident, contact, steps and signals were
    added to the transaction: all of them go, the draft and the device's last area stay."""
    db, worker, area, partner = office
    drafts.save(db, worker, "intake", {"name": "Gerrit Hoekstra"})
    before, last_area = _counts(db), settings.get(db, LAST_AREA)
    with pytest.raises(ValidationError) as refused:
        save_intake(db, worker, _visit(area, partner, referral_consent=None), draft=(worker, "intake"))
    assert refused.value.field == "referral_consent"
    assert _counts(db) == before
    assert settings.get(db, LAST_AREA) == last_area
    assert drafts.load(db, worker, "intake") == {"name": "Gerrit Hoekstra"}


def test_a_save_writes_everything_and_takes_its_draft_along(office) -> None:
    db, worker, area, partner = office
    drafts.save(db, worker, "intake", {"name": "Gerrit Hoekstra"})
    before = _counts(db)
    result = save_intake(db, worker, _visit(area, partner, referral_consent=True), draft=(worker, "intake"))
    after = _counts(db)
    assert result.new_resident and result.steps == 2 and result.signals == 2 and result.referral
    assert result.resident_name == "Gerrit Hoekstra"
    grown = {t: after[t] - before[t] for t in TABLES}
    assert grown["resident"] == 1 and grown["contact"] == 1 and grown["ladderstep"] == 2
    assert grown["signal"] == 2 and grown["referral"] == 1 and grown["draft"] == -1
    assert drafts.load(db, worker, "intake") is None
    assert settings.get(db, LAST_AREA) == str(area)


@pytest.mark.parametrize(
    ("on_file", "answered", "outcome"),
    [
        (True, None, "contact"),  # a yes on file counts
        (None, None, "refused"),  # missing: asked
        (False, None, "refused"),  # withdrawn: asked again
        (False, True, "consent again"),  # given again at this visit: on file from today
        (True, False, "anonymous"),  # a no at the visit: only an anonymous contact
    ],
)
def test_issue14_04_consent_on_file(office, on_file: bool | None, answered: bool | None, outcome: str) -> None:
    db, worker, area, _partner = office
    gerrit = residents.add_resident(db, worker, PersonalData("Gerrit", "", "Janssen", 1935), area, on_file)
    visit = IntakeData(area_id=area, existing_resident_id=gerrit.id, consent=answered)
    if outcome == "refused":
        with pytest.raises(ValidationError) as refused:
            save_intake(db, worker, visit)
        assert refused.value.field == "consent"
        assert _counts(db)["contact"] == 0
        return
    result = save_intake(db, worker, visit)
    assert (result.resident_id is None) == (outcome == "anonymous")
    assert len(contacts.for_resident(db, gerrit.id)) == (0 if outcome == "anonymous" else 1)
    given, since = residents.consent_on_file(db, gerrit.id)
    assert given is (True if outcome == "consent again" else on_file)
    if outcome == "consent again":
        assert since == db.today()
