"""A file made by the first schema revision opens and upgrades without loss."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import frozen_clock
from wijkwerk_tui.db import migrate
from wijkwerk_tui.db.engine import DatabaseError, make_engine, open_database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import residents, settings

RESIDENTS = [
    ("00000000000040008000000000000001", "Ayşe", "", "Özdemir", 1980, "ayse ozdemir 1980"),
    ("00000000000040008000000000000002", "Jan", "", "Jansen", 1951, "jan jansen 1951"),
]


def _make_revision_one_file(path: Path) -> None:
    engine = make_engine(path)
    migrate.upgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO setting (key, value) VALUES ('device_id', 'old-device')"))
        for pk, (rid, given, prefix, family, year, key) in enumerate(RESIDENTS, start=1):
            connection.execute(
                text(
                    "INSERT INTO resident (pk, id, given_name, family_prefix, family_name, birth_year, phone, email,"
                    " search_key, device_id, created_at, updated_at) VALUES (:pk, :id, :g, :p, :f, :y, '', '',"
                    " :k, 'old-device', '2025-01-01 10:00:00.000000', '2025-01-01 10:00:00.000000')"
                ),
                {"pk": pk, "id": rid, "g": given, "p": prefix, "f": family, "y": year, "k": key},
            )
        connection.execute(
            text(
                "INSERT INTO ladderstep (id, resident_id, ladder, step, measured_on, note, device_id, created_at, updated_at)"
                " VALUES ('00000000000040008000000000000099', :rid, 'participation', 2, '2025-01-01', 'eerste meting',"
                " 'old-device', '2025-01-01 10:00:00.000000', '2025-01-01 10:00:00.000000')"
            ),
            {"rid": RESIDENTS[0][0]},
        )
    engine.dispose()


def test_head_constant_matches_the_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.SCRIPT_LOCATION))
    assert ScriptDirectory.from_config(config).get_current_head() == migrate.HEAD


def test_revision_one_file_upgrades_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _make_revision_one_file(path)
    db = open_database(path, frozen_clock)
    try:
        assert migrate.current_revision(db.engine) == migrate.HEAD
        assert db.device_id == "old-device"
        assert residents.count_residents(db) == 2
        # The new full-text index covers rows that existed before it.
        assert [r.name for r in search_residents(db, "ozdemir")] == ["Ayşe Özdemir"]
        with db.reading() as session:
            note = session.execute(text("SELECT note FROM ladderstep")).scalar()
            fk = session.execute(text("PRAGMA foreign_keys")).scalar()
            keys = dict(session.execute(text("SELECT family_name, name_key FROM resident")).all())
            summary = session.execute(text("SELECT ladder, history FROM ladder_summary")).all()
        assert note == "eerste meting" and fk == 1
        assert [tuple(r) for r in summary] == [("participation", "2025-01-0120")]  # backfilled (0007, 0012)
        assert keys == {"Özdemir": "osdemir", "Jansen": "jansen"}  # backfilled by revision 0003
        # And the upgraded file takes new work.
        residents.add_resident(db, None, PersonalData("Piet", "", "Bakker", 1970), None, True)
        assert residents.count_residents(db) == 3
    finally:
        db.close()


def test_connection_settings(db) -> None:
    with db.reading() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_not_a_database_gives_a_dutch_error(tmp_path: Path) -> None:
    path = tmp_path / "kapot.db"
    path.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert "geen wijkwerk-database" in str(info.value)
    sqlite3.connect(tmp_path / "x.db").close()


def test_revision_0011_upgrades_a_file_whose_signals_point_at_referrals(tmp_path: Path) -> None:
    """The benchmark's old file failed here once: a copy-and-move of `referral` cannot drop the
    table while signals point at it. Existing referrals get the resident's area and a sent date."""
    path = tmp_path / "0010.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0010")
    stamp = "'dev', '2025-01-01 10:00:00.000000', '2025-01-01 10:00:00.000000'"
    area, rid, partner = "0" * 31 + "a", RESIDENTS[0][0], "0" * 31 + "b"
    with engine.begin() as connection:
        for sql in (
            f"INSERT INTO area (id, name, sort_order, active, device_id, created_at, updated_at) VALUES ('{area}',"
            f" 'Ruinen', 0, 1, {stamp})",
            f"INSERT INTO resident (pk, id, given_name, family_prefix, family_name, phone, email, search_key, area_id,"
            f" name_key, device_id, created_at, updated_at) VALUES (1, '{rid}', 'A', '', 'B', '', '', 'a b', '{area}',"
            f" 'b', {stamp})",
            f"INSERT INTO partner (id, name, kind, phone, email, website, address, active, device_id, created_at,"
            f" updated_at) VALUES ('{partner}', 'P', '', '', '', '', '', 1, {stamp})",
        ):
            connection.execute(text(sql))
        for n, (status, feedback) in enumerate((("sent", None), ("rejected", None), ("rejected", "2025-02-01"))):
            connection.execute(
                text(
                    "INSERT INTO referral (id, resident_id, partner_id, reason, consent_share, no_consent_reason,"
                    f" status, referred_on, feedback_on, feedback, device_id, created_at, updated_at) VALUES"
                    f" ('{n:032d}', '{rid}', '{partner}', 'r', 1, '', '{status}', '2025-01-10', :fb, '', {stamp})"
                ),
                {"fb": feedback},
            )
        connection.execute(
            text(
                "INSERT INTO signal (id, resident_id, subject, area_id, category, urgency, source, status,"
                f" description, noticed_on, confidential, referral_id, device_id, created_at, updated_at) VALUES"
                f" ('{'9' * 32}', '{rid}', '', '{area}', 'debts', 'normal', 'own', 'referred', '', '2025-01-09', 0,"
                f" '{0:032d}', {stamp})"
            )
        )
    engine.dispose()
    db = open_database(path, frozen_clock)
    try:
        assert migrate.current_revision(db.engine) == migrate.HEAD
        with db.reading() as session:
            rows = session.execute(text("SELECT status, area_id, sent_on FROM referral ORDER BY id")).all()
        # Sent, rejected unanswered (never sent), rejected with an answer (it went out).
        assert [tuple(r) for r in rows] == [
            ("sent", area, "2025-01-10"),
            ("rejected", area, None),
            ("rejected", area, "2025-01-10"),
        ]
    finally:
        db.close()


def test_issue17_revision_0017_moves_the_organisations_settings_into_their_synced_table(tmp_path: Path) -> None:
    path = tmp_path / "0016.db"
    engine = make_engine(path)
    migrate.upgrade(engine, "0016")
    kept = {
        "organisation": "Welzijn De Wolden",
        "retention_years": "5",
        "ladder_labels.participation": '{"1": "Thuis"}',
        "export_folder": "/srv/exports",
        "device_id": "7d7c3f0e-4f43-4c4e-9a53-3f1f2a1d9b11",
    }
    with engine.begin() as connection:
        for key, value in kept.items():
            connection.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
    engine.dispose()
    db = open_database(path, frozen_clock)
    try:
        for key, value in kept.items():
            assert settings.get(db, key) == value
        with db.reading() as session:
            laptop = set(session.execute(text("SELECT key FROM setting")).scalars())
            shared = set(session.execute(text("SELECT key FROM orgsetting")).scalars())
        assert shared == {"organisation", "retention_years", "ladder_labels.participation"}
        assert {"export_folder", "device_id"} <= laptop and not laptop & shared
    finally:
        db.close()
