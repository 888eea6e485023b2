"""The residents search, spelling-tolerant: exact matches first, then residents whose family
name only sounds like a typed word (`Resident.name_key`), marked `tolerant`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData, phonetic_key
from wijkwerk_tui.queries import search
from wijkwerk_tui.queries.search import ResidentFilter, ResidentRow, search_residents
from wijkwerk_tui.services import privacy
from wijkwerk_tui.store import areas, ladders, residents, signals, workers
from wijkwerk_tui.store.signals import SignalData


@dataclass
class Village:
    db: Database
    worker: uuid.UUID
    ruinen: uuid.UUID
    echten: uuid.UUID
    people: dict[str, uuid.UUID]


PEOPLE = {
    # key: (given, prefix, family, birth year, area)
    "gerrit_janssen_1935": ("Gerrit", "", "Janssen", 1935, "ruinen"),
    "piet_janssen_1936": ("Piet", "", "Janssen", 1936, "ruinen"),
    "anna_jansen_1935": ("Anna", "", "Jansen", 1935, "echten"),
    "jan_jansen_1951": ("Jan", "", "Jansen", 1951, "ruinen"),
    "kees_janse_1935": ("Kees", "", "Janse", 1935, "ruinen"),  # another key: janse
    "els_meijer_1950": ("Els", "", "Meijer", 1950, "echten"),
    "ria_meyer_1950": ("Ria", "", "Meyer", 1950, "ruinen"),
    "henk_smit_1960": ("Henk", "", "Smit", 1960, "ruinen"),
    "joke_van_der_veen_1944": ("Joke", "van der", "Veen", 1944, "echten"),
}


@pytest.fixture
def village(db: Database) -> Village:
    worker = workers.add_worker(db, None, "Sanne Kuiper", "coordinator").id
    ruinen = areas.add_area(db, worker, "Ruinen").id
    echten = areas.add_area(db, worker, "Echten").id
    where = {"ruinen": ruinen, "echten": echten}
    people = {
        key: residents.add_resident(db, worker, PersonalData(given, prefix, family, year), where[area], True).id
        for key, (given, prefix, family, year, area) in PEOPLE.items()
    }
    return Village(db, worker, ruinen, echten, people)


def _found(rows: list[ResidentRow], village: Village) -> list[tuple[str, bool]]:
    """(key in PEOPLE, tolerant) per row, in order."""
    names = {rid: key for key, rid in village.people.items()}
    return [(names[row.id], row.tolerant) for row in rows]


def test_jansen_1935_finds_gerrit_janssen_as_tolerant(village: Village) -> None:
    rows = search_residents(village.db, "jansen 1935", tolerant=True)
    assert _found(rows, village) == [("anna_jansen_1935", False), ("gerrit_janssen_1935", True)]
    gerrit = rows[1]
    assert (gerrit.name, gerrit.sort_name, gerrit.birth_year, gerrit.area) == (
        "Gerrit Janssen",
        "Janssen, Gerrit",
        1935,
        "Ruinen",
    )


def test_janssen_1935_finds_him_exactly_and_jansen_tolerant(village: Village) -> None:
    rows = search_residents(village.db, "janssen 1935", tolerant=True)
    assert _found(rows, village) == [("gerrit_janssen_1935", False), ("anna_jansen_1935", True)]


def test_without_tolerant_only_exact_matches(village: Village) -> None:
    """Other callers (palette, activity form, tests) keep the exact search."""
    assert _found(search_residents(village.db, "jansen 1935"), village) == [("anna_jansen_1935", False)]
    assert search_residents(village.db, "meyer 1950")[0].tolerant is False


def test_year_and_year_prefix_narrow_the_tolerant_ones(village: Village) -> None:
    db = village.db
    assert [k for k, _ in _found(search_residents(db, "jansen 1936", tolerant=True), village)] == ["piet_janssen_1936"]
    assert _found(search_residents(db, "jansen 193", tolerant=True), village) == [
        ("anna_jansen_1935", False),
        ("gerrit_janssen_1935", True),
        ("piet_janssen_1936", True),
    ]
    assert search_residents(db, "jansen 1937", tolerant=True) == []
    assert search_residents(db, "jansen 19350", tolerant=True) == []  # no year has five digits


def test_other_words_must_still_fit(village: Village) -> None:
    """A given name (or its start), a tussenvoegsel or an area narrows the tolerant ones as
    it narrows the exact ones; a word that fits nothing leaves nothing."""
    db = village.db
    assert _found(search_residents(db, "ger jansen", tolerant=True), village) == [("gerrit_janssen_1935", True)]
    assert _found(search_residents(db, "jansen ruinen 1935", tolerant=True), village) == [("gerrit_janssen_1935", True)]
    assert search_residents(db, "piet jansen 1935", tolerant=True) == []
    assert search_residents(db, "xyz jansen", tolerant=True) == []
    assert _found(search_residents(db, "van der ven", tolerant=True), village) == [("joke_van_der_veen_1944", True)]


def test_meijer_is_meyer(village: Village) -> None:
    assert _found(search_residents(village.db, "meyer", tolerant=True), village) == [
        ("ria_meyer_1950", False),
        ("els_meijer_1950", True),
    ]
    assert _found(search_residents(village.db, "meijer", tolerant=True), village) == [
        ("els_meijer_1950", False),
        ("ria_meyer_1950", True),
    ]


def test_another_key_is_not_tolerant(village: Village) -> None:
    """Janse is not Jansen (another key): found only as typed."""
    rows = search_residents(village.db, "janse 1935", tolerant=True)
    assert {key for key, tolerant in _found(rows, village) if tolerant} == set()
    assert "kees_janse_1935" not in [
        k for k, _ in _found(search_residents(village.db, "jansen", tolerant=True), village)
    ]


def test_tolerant_rows_respect_the_filters(village: Village) -> None:
    db, people = village.db, village.people
    in_echten = search_residents(db, "janssen 1935", ResidentFilter(area_id=village.echten), tolerant=True)
    assert _found(in_echten, village) == [("anna_jansen_1935", True)]
    assert (
        search_residents(db, "janssen 1935", ResidentFilter(area_id=village.ruinen), tolerant=True)[-1].id
        == (people["gerrit_janssen_1935"])
    )
    ladders.record_step(db, village.worker, people["anna_jansen_1935"], Ladder.PARTICIPATION, 3, db.today())
    ladders.record_step(db, village.worker, people["jan_jansen_1951"], Ladder.SUPPORT, 2, db.today())
    assert _found(search_residents(db, "janssen", ResidentFilter(participation_step=3), tolerant=True), village) == [
        ("anna_jansen_1935", True)
    ]
    assert _found(search_residents(db, "janssen", ResidentFilter(support_step=2), tolerant=True), village) == [
        ("jan_jansen_1951", True)
    ]
    signals.add_signal(db, village.worker, people["jan_jansen_1951"], SignalData("loneliness"))
    with_signal = search_residents(
        db, "janssen", ResidentFilter(open_signals=True), tolerant=True, actor=village.worker
    )
    assert _found(with_signal, village) == [("jan_jansen_1951", True)]


def test_deleted_and_anonymised_residents_are_not_found_tolerant(village: Village) -> None:
    db, people = village.db, village.people
    residents.delete_resident(db, village.worker, people["gerrit_janssen_1935"])
    assert _found(search_residents(db, "jansen 1935", tolerant=True), village) == [("anna_jansen_1935", False)]
    privacy.erase_resident(db, village.worker, people["anna_jansen_1935"])
    assert search_residents(db, "janssen 1935", tolerant=True) == []
    assert _found(search_residents(db, "janssen", tolerant=True), village) == [
        ("piet_janssen_1936", False),
        ("jan_jansen_1951", True),
    ]
    # Anonymised is enough, even with its keys left (erasure clears them too).
    with db.transaction() as session:
        session.execute(
            text("UPDATE resident SET anonymised_at = '2026-11-23 09:00:00' WHERE id = :id"),
            {"id": people["jan_jansen_1951"].hex},
        )
    assert _found(search_residents(db, "janssen", tolerant=True), village) == [("piet_janssen_1936", False)]


def test_pages_run_through_exact_then_tolerant(village: Village) -> None:
    """ "janssen": Gerrit and Piet Janssen exactly, then the three Jansens. Every page size and
    start gives the same list: a page may hold both, or start past the last exact match."""
    db = village.db
    everything = search_residents(db, "janssen", limit=100, tolerant=True)
    assert _found(everything, village) == [
        ("gerrit_janssen_1935", False),
        ("piet_janssen_1936", False),
        ("anna_jansen_1935", True),
        ("jan_jansen_1951", True),
    ]
    for size in (1, 2, 3):
        for offset in range(6):
            page = search_residents(db, "janssen", limit=size, offset=offset, tolerant=True)
            assert page == everything[offset : offset + size], (size, offset)


# The spelling-tolerant key collapses doubled letters, but next to a letter it combines with
# (ei, ij, ph, dt, ck) a doubled letter changes the key: the property uses letters that
# combine with none.
SAFE = "abfglmnorsuvwz"
family_names = st.text(SAFE, min_size=2, max_size=10).map(str.capitalize)


def _variants(name: str) -> list[str]:
    """The name with one letter doubled, or (where one is doubled) undoubled."""
    lower = name.lower()
    doubled = [lower[: i + 1] + lower[i] + lower[i + 1 :] for i in range(len(lower))]
    undoubled = [lower[:i] + lower[i + 1 :] for i in range(1, len(lower)) if lower[i] == lower[i - 1]]
    return doubled + undoubled


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=family_names, year=st.integers(1920, 2010), data=st.data())
def test_one_letter_doubled_or_undoubled_still_finds_the_resident(
    db: Database, family: str, year: int, data: st.DataObject
) -> None:
    worker = workers.add_worker(db, None, f"W{uuid.uuid4().hex[:8]}").id
    rid = residents.add_resident(db, worker, PersonalData("Gerrit", "", family, year), None, True).id
    variant = data.draw(st.sampled_from(_variants(family)), label="variant")
    assert phonetic_key(variant) == phonetic_key(family)
    rows = search_residents(db, f"{variant} {year}", limit=1000, tolerant=True)
    mine = [row for row in rows if row.id == rid]
    assert len(mine) == 1
    # Found as typed only when the variant is the start of the name (undoubling the last letter).
    assert mine[0].tolerant is not family.lower().startswith(variant)


@pytest.fixture
def crowd(db: Database) -> tuple[Database, list[str]]:
    """Residents whose names sound alike in several ways, and the words to search them by."""
    worker = workers.add_worker(db, None, "Sanne Kuiper", "coordinator").id
    area_ids = [areas.add_area(db, worker, name).id for name in ("Ruinen", "Echten")]
    families = ["Jansen", "Janssen", "Jansens", "Meijer", "Meyer", "Mulder", "Smit", "Smid", "Smits", "Bos", "Boss"]
    given_names = ["Gerrit", "Geesje", "Anna", "Jan", "Piet"]
    for n in range(60):
        family = families[n % len(families)]
        given = given_names[(n * 7) % len(given_names)]
        person = PersonalData(given, "", family, 1930 + (n * 13) % 12)
        residents.add_resident(db, worker, person, area_ids[n % 2], True)
    words = [f.lower() for f in families] + ["jansen", "meier", "bos", "smid", "ger", "anna", "ruinen", "echten"]
    words += ["193", "1935", "1936", "19", "x"]
    return db, words


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_exact_ones_come_first_never_repeat_and_pages_agree(crowd: tuple[Database, list[str]], data) -> None:
    db, words = crowd
    query = " ".join(data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=3), label="words"))
    everything = search_residents(db, query, limit=1000, tolerant=True)
    ids = [row.id for row in everything]
    assert len(ids) == len(set(ids))
    flags = [row.tolerant for row in everything]
    assert flags == sorted(flags)  # no exact one after a tolerant one
    assert [row.id for row in everything if not row.tolerant] == [r.id for r in search_residents(db, query, limit=1000)]
    for part in (False, True):  # each part in list order
        names = [tuple(row.sort_name.split(", ")) for row in everything if row.tolerant is part]
        assert names == sorted(names)
    size = data.draw(st.integers(1, 7), label="page size")
    paged: list[ResidentRow] = []
    for offset in range(0, len(everything) + size, size):
        paged += search_residents(db, query, limit=size, offset=offset, tolerant=True)
    assert paged == everything


def test_the_portable_path_gives_what_sqlite_gives(
    crowd: tuple[Database, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other databases match with LIKE on the same folded key: the same exact and tolerant rows
    (for whole words; LIKE also finds a word's middle, which no query here has)."""
    db, _ = crowd
    queries = ["jansen 1935", "janssen", "meyer", "smid 193", "ger jansen", "bos", "echten smit"]
    with_fts = {q: search_residents(db, q, limit=1000, tolerant=True) for q in queries}
    monkeypatch.setattr(db.engine.dialect, "name", "portable")
    assert "LIKE" in str(search._matching(db, ["jansen"], "exact").compile())
    for q in queries:
        assert search_residents(db, q, limit=1000, tolerant=True) == with_fts[q], q


def test_a_family_name_of_one_sound(db: Database) -> None:
    """(van der) Aa: its key is one letter, and still a key."""
    worker = workers.add_worker(db, None, "Sanne Kuiper").id
    rid = residents.add_resident(db, worker, PersonalData("Wim", "van der", "Aa", 1940), None, True).id
    assert [(r.id, r.tolerant) for r in search_residents(db, "van der aaa", tolerant=True)] == [(rid, True)]


def test_walking_the_list_order_or_looking_matches_up_gives_the_same(
    crowd: tuple[Database, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With many matches the exact search walks the list's index, with few it looks them up
    (`WALK_FROM`): the same pages either way."""
    db, _ = crowd
    queries = ["", "jansen", "jansen 1935", "janssen", "meyer", "smi", "ger", "echten", "19", "x"]
    pages = [(limit, offset) for limit in (3, 50) for offset in (0, 2, 40)]
    monkeypatch.setattr(search, "WALK_FROM", 10**9)
    looked_up = {
        (q, p): search_residents(db, q, limit=p[0], offset=p[1], tolerant=True) for q in queries for p in pages
    }
    with db.engine.connect() as connection:
        assert not search._many_matches(db, connection, ["jansen"])
        monkeypatch.setattr(search, "WALK_FROM", 1)
        assert search._many_matches(db, connection, ["jansen"])
    for (q, page), rows in looked_up.items():
        assert search_residents(db, q, limit=page[0], offset=page[1], tolerant=True) == rows, (q, page)
