"""Need-to-know in the data layer (store.scope): a worker opens the files of his areas and
caseload; another file only with a reason, which is audited; coordinators open all; only a
coordinator sets a worker's areas."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from wijkwerk_tui.db.tables import AuditEvent, Contact
from wijkwerk_tui.domain.accounts import WORKER, PermissionDenied
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.security import vault
from wijkwerk_tui.services import resident_file
from wijkwerk_tui.store import areas, contacts, residents, scope
from wijkwerk_tui.store.contacts import ContactData

PIET, PIET_PASS = "Piet de Boer", "groene-piet-op-de-fiets"


@pytest.fixture
def office(setup_db, clock):  # type: ignore[no-untyped-def]
    """Piet works in Ruinen; Gerrit lives in Ruinen, Wil in Zuidwolde."""
    session, _code, _path = setup_db
    piet = vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    by_name = {a.name: a.id for a in areas.list_areas(session.db)}
    db = session.db
    gerrit = residents.add_resident(
        db, session.worker_id, PersonalData("Gerrit", "", "Hoekstra", 1951), by_name["Ruinen"]
    )
    wil = residents.add_resident(
        db, session.worker_id, PersonalData("Wil", "", "Zonderland", 1944), by_name["Zuidwolde"]
    )
    scope.set_areas(db, session.worker_id, piet.id, {by_name["Ruinen"]})
    return session, piet.id, gerrit.id, wil.id


def _actions(db, resident_id: uuid.UUID) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.resident_id == resident_id).order_by(AuditEvent.seq))
        return [(e.action, e.detail) for e in rows]


def test_a_worker_opens_his_area_and_needs_a_reason_elsewhere(office) -> None:
    session, piet, gerrit, wil = office
    db = session.db
    assert resident_file.load(db, piet, gerrit).resident.family_name == "Hoekstra"
    with pytest.raises(scope.NeedsReason, match="buiten uw gebieden"):
        resident_file.load(db, piet, wil)
    with pytest.raises(ValidationError, match="minstens"):
        resident_file.load(db, piet, wil, "kort")
    reason = "belde namens de huisarts"
    assert resident_file.load(db, piet, wil, reason).resident.family_name == "Zonderland"
    resident_file.record_view(db, piet, wil, reason)
    assert ("resident.breakglass", reason) in _actions(db, wil)
    # The coordinator opens every file, without a reason.
    assert resident_file.load(db, session.worker_id, wil).resident.family_name == "Zonderland"


def test_the_search_marks_whom_he_opens_only_with_a_reason_and_hides_their_steps(office) -> None:
    session, piet, _gerrit, _wil = office
    found = {r.name: r for r in search_residents(session.db, "", actor=piet)}
    assert not found["Gerrit Hoekstra"].needs_reason
    assert found["Wil Zonderland"].needs_reason
    assert found["Wil Zonderland"].participation_step is None
    mine = {r.name: r for r in search_residents(session.db, "", actor=session.worker_id)}
    assert not any(r.needs_reason for r in mine.values())


def test_a_contact_he_recorded_puts_the_resident_on_his_caseload(office) -> None:
    session, piet, _gerrit, wil = office
    db = session.db
    contacts.add_contact(db, piet, wil, ContactData(db.today(), note="op de markt gesproken"))
    assert resident_file.load(db, piet, wil).resident.family_name == "Zonderland"
    assert not {r.name: r for r in search_residents(db, "", actor=piet)}["Wil Zonderland"].needs_reason


def test_only_a_coordinator_sets_areas_and_none_means_every_area(office) -> None:
    session, piet, _gerrit, wil = office
    db = session.db
    with pytest.raises(PermissionDenied):
        scope.set_areas(db, piet, piet, set())
    scope.set_areas(db, session.worker_id, piet, set())
    assert resident_file.load(db, piet, wil).resident.family_name == "Zonderland"
    assert scope.worker_areas(db, piet) == frozenset()
    unknown = uuid.uuid4()
    scope.set_areas(db, session.worker_id, piet, {unknown})  # (an id no area has is not kept)
    assert scope.worker_areas(db, piet) == frozenset()


def test_the_areas_are_an_organisation_setting_which_syncs(office) -> None:
    from wijkwerk_tui.db.tables import OrgSetting, Setting
    from wijkwerk_tui.store import settings

    session, piet, _gerrit, _wil = office
    key = f"{settings.WORKER_AREAS_PREFIX}{piet}"
    with session.db.reading() as s:
        assert s.exec(select(OrgSetting).where(OrgSetting.key == key)).first() is not None
        assert s.get(Setting, key) is None


def test_overviews_list_no_signal_of_a_resident_outside_his_areas(office) -> None:
    from wijkwerk_tui.queries import overview
    from wijkwerk_tui.store import signals
    from wijkwerk_tui.store.signals import SignalData

    session, piet, gerrit, wil = office
    db = session.db
    for rid in (gerrit, wil):
        signals.add_signal(db, session.worker_id, rid, SignalData("loneliness", noticed_on=db.today()))
    assert {r.resident_id for r in overview.open_signal_rows(db, piet)} == {gerrit}
    assert {r.resident_id for r in overview.open_signal_rows(db, session.worker_id)} == {gerrit, wil}


def test_an_undone_contact_puts_nobody_on_his_caseload(office) -> None:
    session, piet, _gerrit, wil = office
    db = session.db
    contact = contacts.add_contact(db, piet, wil, ContactData(db.today(), note="op de markt gesproken"))
    with db.transaction() as s:  # (as an undo does: the row soft-deleted)
        row = s.get(Contact, contact.id)
        assert row is not None
        row.deleted_at = db.now()
        s.add(row)
    with pytest.raises(scope.NeedsReason):
        resident_file.load(db, piet, wil)
    assert {r.name: r for r in search_residents(db, "", actor=piet)}["Wil Zonderland"].needs_reason


def test_a_filter_on_what_is_in_the_file_finds_only_whom_he_opens(office) -> None:
    from wijkwerk_tui.queries.search import ResidentFilter
    from wijkwerk_tui.store import ladders

    session, piet, gerrit, wil = office
    db = session.db
    for rid in (gerrit, wil):
        ladders.record_step(db, session.worker_id, rid, Ladder.PARTICIPATION, 2, db.today())
    found = search_residents(db, "", ResidentFilter(participation_step=2), actor=piet)
    assert [r.id for r in found] == [gerrit]
    assert {r.id for r in search_residents(db, "", ResidentFilter(participation_step=2), actor=session.worker_id)} == {
        gerrit,
        wil,
    }


def test_an_inzage_of_a_resident_outside_his_areas_needs_a_reason_which_is_audited(office) -> None:
    from wijkwerk_tui.queries import inzage, who_looked

    session, piet, _gerrit, wil = office
    db = session.db
    with pytest.raises(scope.NeedsReason):
        inzage.collect(db, piet, wil)
    assert inzage.collect(db, piet, wil, "verzoek van de inwoner zelf").resident.family_name == "Zonderland"
    looks = who_looked.who_looked(db, session.worker_id, wil)
    assert [(look.action, look.reason) for look in looks if look.action == "resident.breakglass"] == [
        ("resident.breakglass", "verzoek van de inwoner zelf")
    ]


def test_the_command_line_asks_for_the_reason_only_where_one_is_needed(office) -> None:
    from tests.test_cli import _run

    session, _piet, _gerrit, wil = office
    path = str(session.db.path)
    outside = _run("--db", path, "inzage", str(wil), user=PIET, passphrase=PIET_PASS)
    assert outside.returncode == 1 and "--reden" in outside.stderr and "Traceback" not in outside.stderr
    unknown = _run("--db", path, "inzage", str(uuid.uuid4()), user=PIET, passphrase=PIET_PASS)
    assert unknown.returncode == 1 and "niet gevonden" in unknown.stderr and "--reden" not in unknown.stderr
