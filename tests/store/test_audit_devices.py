"""One audit chain per device (issue 17): entries of other laptops, arriving through the hub in
any order among this laptop's own, are verified in their own chains and never break this one;
a changed entry in any chain does; a restored or copied database forks its chain, which shows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, text

from tests.conftest import frozen_clock
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.db.tables import AuditEvent, Worker
from wijkwerk_tui.ops import backup
from wijkwerk_tui.ops.maintenance import check
from wijkwerk_tui.store import audit

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _chain(device: str, length: int, start: int = 1, prev: str = "") -> list[dict]:
    """A laptop's entries as its `audit.record_many` writes them."""
    rows = []
    for number in range(start, start + length):
        entry = audit.Entry(
            number, 2, uuid.uuid4(), START + timedelta(minutes=number), None, "resident.view", None, "", device, prev
        )
        prev = audit.digest(entry)
        rows.append({**vars(entry), "hash": prev})
    return rows


def _put(db: Database, rows: list[dict]) -> None:
    if not rows:
        return
    with db.transaction() as session:
        session.connection().execute(insert(AuditEvent), rows)


def test_issue17_chains_of_several_laptops_in_any_order_verify_and_a_changed_entry_does_not(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "a.db", frozen_clock)  # one file; each example starts it empty

    @settings(max_examples=80, deadline=None)
    @given(
        lengths=st.lists(st.integers(0, 5), min_size=1, max_size=3),
        order=st.randoms(use_true_random=False),
        tamper=st.none() | st.integers(0, 100),
    )
    def check(lengths: list[int], order: Random, tamper: int | None) -> None:
        with db.transaction() as session:
            session.execute(text("DELETE FROM auditevent"))
        audit.log(db, None, "login")  # this laptop's own chain
        rows = [row for n, length in enumerate(lengths) for row in _chain(str(uuid.UUID(int=n + 1)), length)]
        order.shuffle(rows)
        if tamper is not None and rows:
            rows[tamper % len(rows)]["detail"] = "veranderd"
        _put(db, rows)
        audit.log(db, None, "logout")
        report = audit.verify_chain(db)
        assert report.ok == (tamper is None or not rows)
        if report.ok:
            assert report.events == len(rows) + 2
            assert report.devices == 1 + sum(1 for length in lengths if length)

    try:
        check()
    finally:
        db.close()


def test_issue17_a_restored_database_forks_its_chain_which_shows_and_still_verifies(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db", frozen_clock)
    try:
        device = db.device_id
        for n in range(3):
            audit.log(db, None, "test.event", detail=str(n))
        with db.reading() as session:
            head = session.execute(text("SELECT hash FROM auditevent ORDER BY seq DESC LIMIT 1")).scalar()
        # What the laptop wrote after the backup reached the hub; back from a backup, it goes on
        # from entry 3 again. The hub sends the lost entries 4 and 5 back later.
        audit.log(db, None, "backup.restore")
        _put(db, _chain(device, 2, start=4, prev=str(head)))
        report = audit.verify_chain(db)
        assert (report.ok, report.forks, report.devices) == (True, 1, 1)
        assert "1× vertakt" in "\n".join(check(db).lines())
        with db.transaction() as session:
            session.execute(text("DELETE FROM auditevent WHERE detail = '1'"))  # a middle entry gone
        assert not audit.verify_chain(db).ok
    finally:
        db.close()


def test_issue17_the_noted_head_is_this_laptops_own_so_removing_its_newest_entries_shows(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db", frozen_clock)
    try:
        audit.log(db, None, "login")
        audit.log(db, None, "resident.view")
        noted = audit.head(db)
        assert noted is not None
        _put(db, _chain(str(uuid.UUID(int=7)), 3))  # another laptop's, synced in after the note
        assert audit.head(db) == noted  # still this laptop's newest
        assert audit.extends(db, noted)
        made = backup.make_backup(db)  # its manifest notes the same head (its own entry comes after)
        in_manifest = (backup.read_manifest(made) or {})["audit_head"]
        assert (in_manifest["seq"], in_manifest["hash"]) == noted
        with db.transaction() as session:  # this laptop's newest entries removed behind the app's back
            session.execute(
                text("DELETE FROM auditevent WHERE device_id = :d AND device_seq >= 2"), {"d": db.device_id}
            )
        assert audit.verify_chain(db).ok  # the rest still chains...
        assert not audit.extends(db, noted)  # ...but the noted head is gone
    finally:
        db.close()


def test_issue17_an_own_entry_with_its_worker_swapped_beside_an_origin_id_does_not_verify(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db", frozen_clock)
    try:
        with db.transaction() as session:
            workers = [Worker(name=name, device_id=db.device_id) for name in ("Anke", "Sanne")]
            session.add_all(workers)
            anke, someone = (w.id for w in workers)
        audit.log(db, anke, "resident.view")
        assert audit.verify_chain(db).ok
        with db.transaction() as session:  # (an own entry that came back through a copy of this laptop)
            session.execute(text("UPDATE auditevent SET origin_worker = worker_id"))
        assert audit.verify_chain(db).ok
        with db.transaction() as session:  # the hash still covers `anke` through origin_worker
            session.execute(
                text("UPDATE auditevent SET worker_id = :w, origin_worker = :o"), {"w": someone.hex, "o": anke.hex}
            )
        assert not audit.verify_chain(db).ok
    finally:
        db.close()


def test_issue17_a_head_noted_by_its_number_in_the_whole_file_still_counts(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db", frozen_clock)
    try:
        audit.log(db, None, "login")
        _put(db, _chain(str(uuid.UUID(int=7)), 3))  # another laptop's, synced in
        audit.log(db, None, "logout")
        with db.reading() as session:
            seq, digest = session.execute(text("SELECT seq, hash FROM auditevent ORDER BY seq DESC LIMIT 1")).one()
        assert seq == 5 and audit.head(db) == (2, digest)
        assert audit.extends(db, (seq, digest[:16]))  # as versions before 1 December 2026 noted it
        assert not audit.extends(db, (seq, "0" * 16))
    finally:
        db.close()
