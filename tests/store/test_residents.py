import uuid

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import NotFound
from wijkwerk_tui.db.tables import AuditEvent, Resident
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import ResidentFilter, fts_match, search_residents
from wijkwerk_tui.store import areas, residents, workers


def _count(db: Database, model: type) -> int:
    with db.reading() as session:
        return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def setup(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    worker = workers.add_worker(db, None, "Test Werker")
    area = areas.add_area(db, worker.id, "Ruinen")
    return worker.id, area.id


def test_add_stamps_provenance(db: Database, setup: tuple[uuid.UUID, uuid.UUID]) -> None:
    worker, area = setup
    r = residents.add_resident(db, worker, PersonalData("Gerrit", "", "Hoekstra", 1951), area, True)
    assert r.created_by == worker and r.device_id == db.device_id
    assert r.created_at.tzinfo is not None and r.id.version == 4
    loaded = residents.get_resident(db, worker, r.id)
    assert loaded.created_at == r.created_at and loaded.created_at.utcoffset().total_seconds() == 0
    assert loaded.consent_on == db.today()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PersonalData("", "", "", 1950), "given_name"),
        (PersonalData("Piet", "", "Jansen", 1850), "birth_year"),
        (PersonalData("Piet", "", "Jansen", "19x0"), "birth_year"),
        (PersonalData("Piet", "", "Jansen", 2099), "birth_year"),
        (PersonalData("Piet", "", "J" * 121), "family_name"),
        (PersonalData("Piet", "", "Jansen", phone="bel me"), "phone"),
        (PersonalData("Piet", "", "Jansen", email="piet.at.home"), "email"),
    ],
)
def test_rejected_input_writes_nothing(
    db: Database, setup: tuple[uuid.UUID, uuid.UUID], data: PersonalData, field: str
) -> None:
    worker, area = setup
    before = (_count(db, Resident), _count(db, AuditEvent))
    with pytest.raises(ValidationError) as info:
        residents.add_resident(db, worker, data, area, True)
    assert info.value.field == field
    assert info.value.message  # Dutch text for the field
    assert (_count(db, Resident), _count(db, AuditEvent)) == before


def test_unknown_area_rolls_back(db: Database, setup: tuple[uuid.UUID, uuid.UUID]) -> None:
    worker, _ = setup
    with pytest.raises(ValidationError):
        residents.add_resident(db, worker, PersonalData("Piet", "", "Jansen"), uuid.uuid4(), True)
    assert _count(db, Resident) == 0


def test_soft_deleted_resident_disappears(db: Database, setup: tuple[uuid.UUID, uuid.UUID]) -> None:
    worker, area = setup
    r = residents.add_resident(db, worker, PersonalData("Piet", "", "Jansen", 1960), area, True)
    assert [x.id for x in search_residents(db, "jansen")] == [r.id]
    residents.delete_resident(db, worker, r.id)
    assert search_residents(db, "jansen") == []
    assert search_residents(db, "") == []
    assert residents.count_residents(db) == 0
    assert _count(db, Resident) == 1  # the tombstone stays for sync and audit
    with pytest.raises(NotFound):
        residents.get_resident(db, worker, r.id)


def test_search_is_accent_and_case_insensitive(db: Database, setup: tuple[uuid.UUID, uuid.UUID]) -> None:
    worker, area = setup
    oz = residents.add_resident(db, worker, PersonalData("Ayşe", "", "Özdemir", 1980), area, True)
    ja = residents.add_resident(db, worker, PersonalData("Jan", "", "Jansen", 1951), area, True)
    vr = residents.add_resident(db, worker, PersonalData("Anna", "de", "Vries", 1944), area, True)
    assert [r.id for r in search_residents(db, "Ozdemir")] == [oz.id]
    assert [r.id for r in search_residents(db, "ayse")] == [oz.id]
    assert [r.id for r in search_residents(db, "jansen")] == [ja.id]
    assert [r.id for r in search_residents(db, "JAN 1951")] == [ja.id]
    assert [r.id for r in search_residents(db, "vri")] == [vr.id]
    assert {r.id for r in search_residents(db, "ruinen")} == {oz.id, ja.id, vr.id}
    assert search_residents(db, "jansen-de") == []  # no FTS syntax error
    assert search_residents(db, 'jan"') != []  # stray quote is harmless
    assert search_residents(db, "AND OR NOT *") == []


def test_search_key_follows_an_update(db: Database, setup: tuple[uuid.UUID, uuid.UUID]) -> None:
    worker, area = setup
    r = residents.add_resident(db, worker, PersonalData("Jan", "", "Jansen", 1951), area, True)
    residents.update_resident(db, worker, r.id, PersonalData("Jan", "", "Bakker", 1951), area, True)
    assert search_residents(db, "jansen") == []
    assert [x.id for x in search_residents(db, "bakker")] == [r.id]


def test_filters_and_paging(demo_db: Database) -> None:
    everyone = search_residents(demo_db, "", limit=1000)
    # 80 built; the demo deletes one in a hundred (entered by mistake): those are not found.
    assert len(everyone) == residents.count_residents(demo_db) and 75 <= len(everyone) <= 80
    first_page = search_residents(demo_db, "", limit=30)
    second_page = search_residents(demo_db, "", limit=30, offset=30)
    assert [r.id for r in first_page + second_page] == [r.id for r in everyone[:60]]
    on_step_two = search_residents(demo_db, "", ResidentFilter(participation_step=2), limit=1000)
    assert on_step_two and all(r.participation_step == 2 for r in on_step_two)
    boss = next(w.id for w in workers.list_workers(demo_db) if w.role == "coordinator")  # sees every signal
    with demo_db.reading() as session:
        with_open = session.execute(
            text("SELECT COUNT(DISTINCT resident_id) FROM signal WHERE status != 'closed' AND resident_id IS NOT NULL")
        ).scalar()
    assert len(search_residents(demo_db, "", ResidentFilter(open_signals=True), limit=1000, actor=boss)) == with_open


def test_fts_match_quotes_every_token() -> None:
    assert fts_match('Jansen-de "x') == '"jansen-de"* "x"*'
    assert fts_match("  ") == ""
