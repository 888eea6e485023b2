"""Erasure everywhere (issue 18, the README's map "Where personal data lives"): once an erasure
has synced, no synced place still holds the resident's name, contact details or texts: not
either laptop's database (every table, the search index's own tables and the outbox and the
copy of the hub's conflicts included, read decrypted), and not any table of the hub (its rows,
its change log, its conflict records)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries import search
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import merge_residents, privacy, sync, sync_apply, sync_process
from wijkwerk_tui.store import contacts, erased, goals, ladders, partners, referrals, residents, settings, signals

NAME = "Wolterinkx"
# Each of them unique, so a hit can only be a copy of what was typed about him.
SECRETS = (
    NAME,
    "0611223344",
    "0699887766",
    "kees.wolterinkx@example.org",
    "trapleuning-notitie",
    "schuldeiser-omschrijving",
    "verwijsreden-buurtteam",
    "doel-boodschappen",
    "contactnotitie-keukentafel",
)


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _laptop_hits(laptop: Unlocked) -> list[str]:
    """Every table of the decrypted database, the search index's shadow tables too (their
    tokens are bytes inside blobs): which secrets are still somewhere, and where."""
    hits = []
    with laptop.db.engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars().all()
        for table in tables:
            for row in connection.exec_driver_sql(f'SELECT * FROM "{table}"'):
                for value in row:
                    found = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                    hits += [f"{table}: {s}" for s in SECRETS if s.lower() in found.lower()]
    return hits


def _hub_hits(hub: Hub) -> list[str]:
    engine = create_engine(hub.database)
    hits = []
    try:
        with engine.connect() as connection:
            tables = (
                connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
            )
            for table in tables:
                for (row,) in connection.execute(text(f'SELECT t::text FROM "{table}" t')):
                    hits += [f"{table}: {s}" for s in SECRETS if s.lower() in row.lower()]
    finally:
        engine.dispose()
    return hits


def test_issue18_after_an_erasure_has_synced_no_synced_place_holds_the_name(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    data = PersonalData("Kees", "", NAME, 1939, birth_date=date(1939, 4, 2), email="kees.wolterinkx@example.org")
    kees = residents.add_resident(a.db, a.worker_id, data, None)
    ladders.record_step(
        a.db, a.worker_id, kees.id, Ladder.PARTICIPATION, 2, date(2026, 11, 2), note="trapleuning-notitie"
    )
    signal = signals.add_signal(
        a.db, a.worker_id, kees.id, signals.SignalData("debts", description="schuldeiser-omschrijving")
    )
    team = partners.add_partner(a.db, a.worker_id, partners.PartnerData("Buurtteam De Wolden"))
    reason = referrals.ReferralData(team.id, "verwijsreden-buurtteam", consent_share=True, signal_id=signal.id)
    referrals.add_referral(a.db, a.worker_id, kees.id, reason)
    goals.add_goal(a.db, a.worker_id, kees.id, goals.GoalData("doel-boodschappen"))
    contacts.add_contact(
        a.db, a.worker_id, kees.id, contacts.ContactData(date(2026, 11, 3), note="contactnotitie-keukentafel")
    )
    sync.sync(a.db)
    sync.sync(b.db)
    # Both laptops give him a phone number offline: the hub keeps both values in a conflict.
    for laptop, phone in ((a, "0611223344"), (b, "0699887766")):
        changed = PersonalData("Kees", "", NAME, 1939, birth_date=date(1939, 4, 2), phone=phone)
        residents.update_resident(laptop.db, laptop.worker_id, kees.id, changed, None, None)
    sync.sync(a.db)
    assert sync.sync(b.db).conflicts == 1
    sync.sync(a.db)
    before = {"a": _laptop_hits(a), "b": _laptop_hits(b), "hub": _hub_hits(hub)}
    assert all(before.values()), before  # (the scan finds them while they are there)

    privacy.erase_resident(a.db, a.worker_id, kees.id)
    assert _laptop_hits(a) == []  # before any sync too: the outbox, the conflicts' copy
    sync.sync(a.db)
    sync.sync(b.db)
    sync.sync(a.db)

    assert _laptop_hits(a) == []
    assert _laptop_hits(b) == []
    assert _hub_hits(hub) == []


def _outbox_hits(laptop: Unlocked) -> list[str]:
    with laptop.db.engine.connect() as connection:
        waiting = connection.exec_driver_sql("SELECT fields FROM outbox WHERE pushed_at IS NULL").scalars().all()
    return [s for s in SECRETS for fields in waiting if s.lower() in fields.lower()]


def test_issue18_an_erasure_wipes_what_waits_to_be_sent_about_him_too(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    # Registered and written about offline, erased before any sync: what waits in the outbox
    # held his name and notes until the next sync, perhaps weeks away.
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    data = PersonalData("Kees", "", NAME, 1939, phone="0611223344", email="kees.wolterinkx@example.org")
    kees = residents.add_resident(a.db, a.worker_id, data, None)
    ladders.record_step(
        a.db, a.worker_id, kees.id, Ladder.PARTICIPATION, 2, date(2026, 11, 2), note="trapleuning-notitie"
    )
    signals.add_signal(a.db, a.worker_id, kees.id, signals.SignalData("debts", description="schuldeiser-omschrijving"))
    goals.add_goal(a.db, a.worker_id, kees.id, goals.GoalData("doel-boodschappen"))
    contacts.add_contact(
        a.db, a.worker_id, kees.id, contacts.ContactData(date(2026, 11, 3), note="contactnotitie-keukentafel")
    )
    assert len(set(_outbox_hits(a))) >= 6  # (the scan finds them while they wait)

    privacy.erase_resident(a.db, a.worker_id, kees.id)
    assert _outbox_hits(a) == []
    assert _laptop_hits(a) == []
    sync.sync(a.db)  # the rewritten changes go up, then the erasure: all taken, nothing of him
    assert _hub_hits(hub) == []
    engine = create_engine(hub.database)
    with engine.connect() as connection:
        erased_at = connection.execute(
            text("SELECT anonymised_at FROM resident WHERE id = :id"), {"id": kees.id}
        ).scalar()
    engine.dispose()
    assert erased_at is not None


def _erasure_from_elsewhere(laptop: Unlocked, resident_id: uuid.UUID) -> dict[str, object]:
    """A page's erasure as the hub sends it, made on another laptop (stamped as this one's
    latest change, so the clock takes it)."""
    with laptop.db.engine.connect() as connection:
        stamp = connection.exec_driver_sql("SELECT max(hlc) FROM outbox").scalar()
    return {
        "seq": 1,
        "id": str(uuid.uuid4()),
        "table": "resident",
        "row": str(resident_id),
        "kind": "erase",
        "fields": {"anonymised_at": datetime.now(UTC).isoformat()},
        "version": 2,
        "hlc": stamp,
        "device": "elsewhere",
        "worker": None,
    }


def test_issue18_an_erasure_from_the_hub_wipes_this_laptops_unsent_edits_about_him(
    tmp_path: Path, real_clock: FakeClock
) -> None:
    # A laptop whose push the hub refused (a wrong clock) still pulls: an erasure made
    # elsewhere arrives while its own edits about him wait in its outbox.
    b = laptops.laptop(tmp_path, "b", real_clock)
    b.db.sync_on = True
    kees = residents.add_resident(b.db, b.worker_id, PersonalData("Kees", "", NAME, 1939, phone="0611223344"), None)
    ladders.record_step(
        b.db, b.worker_id, kees.id, Ladder.PARTICIPATION, 2, date(2026, 11, 2), note="trapleuning-notitie"
    )
    assert {"Wolterinkx", "0611223344", "trapleuning-notitie"} <= set(_outbox_hits(b))
    sync_apply.apply_page(b.db, [_erasure_from_elsewhere(b, kees.id)])
    assert residents.get_resident(b.db, b.worker_id, kees.id, audited=False).anonymised_at is not None
    assert _outbox_hits(b) == []


def _index_hits(laptop: Unlocked) -> list[str]:
    return [hit for hit in _laptop_hits(laptop) if hit.startswith("resident_fts")]


def test_issue18_a_sync_cut_off_after_an_erasure_merges_the_index_at_the_next_one(
    tmp_path: Path, real_clock: FakeClock
) -> None:
    b = laptops.laptop(tmp_path, "b", real_clock)
    b.db.sync_on = True
    kees = residents.add_resident(b.db, b.worker_id, PersonalData("Kees", "", NAME, 1939), None)
    sync_apply.apply_page(
        b.db, [_erasure_from_elsewhere(b, kees.id)]
    )  # ... and the sync is killed here, before its end
    assert _index_hits(b)  # the index still holds his name's tokens
    sync.finish_erasures(b.db)  # what the next sync's pull ends with, erasures or not
    assert _index_hits(b) == []
    assert settings.get(b.db, sync_apply.FOLD_PENDING) == ""


def test_issue18_the_apps_sync_finishes_an_erasure_despite_the_apps_own_read_snapshot(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    # In the app the sync runs in a child process while the app searches on a shared read
    # snapshot: the child cannot empty the WAL then, so the app finishes after the child.
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    kees = residents.add_resident(a.db, a.worker_id, PersonalData("Kees", "", NAME, 1939), None)
    sync.sync(a.db)
    sync.sync(b.db)
    privacy.erase_resident(a.db, a.worker_id, kees.id)
    sync.sync(a.db)
    assert _index_hits(b)

    syncing = b.db.syncing_elsewhere
    over = threading.Event()

    @contextmanager
    def watched() -> Iterator[None]:
        with syncing():
            yield
        over.set()

    def keep_searching() -> None:  # a worker typing while the sync runs
        while not over.is_set():
            search.search_residents(b.db, "kees", limit=10)

    b.db.syncing_elsewhere = watched  # type: ignore[method-assign]
    typing = threading.Thread(target=keep_searching)
    typing.start()
    try:
        sync_process.sync_apart(b.db)
    finally:
        over.set()
        typing.join()
    assert _index_hits(b) == []
    assert settings.get(b.db, sync_apply.FOLD_PENDING) == ""


def _twice(laptop: Unlocked) -> tuple[uuid.UUID, uuid.UUID]:
    """Kees registered twice on this laptop: the record kept, and the one to merge into it."""
    keep = residents.add_resident(laptop.db, laptop.worker_id, PersonalData("Kees", "", NAME, 1939), None)
    data = PersonalData("Kees", "", NAME, 1939, phone="0611223344", email="kees.wolterinkx@example.org")
    other = residents.add_resident(laptop.db, laptop.worker_id, data, None)
    contacts.add_contact(
        laptop.db,
        laptop.worker_id,
        other.id,
        contacts.ContactData(date(2026, 11, 3), note="contactnotitie-keukentafel"),
    )
    return keep.id, other.id


def test_issue18_an_erasure_reaches_the_record_merged_into_him(tmp_path: Path, hub: Hub, real_clock: FakeClock) -> None:
    # Samenvoegen leaves the other record as a tombstone with its own name and phone.
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    keep, other = _twice(a)
    merge_residents.merge(a.db, a.worker_id, keep, other)
    sync.sync(a.db)
    sync.sync(b.db)
    assert _laptop_hits(b) and _hub_hits(hub)

    privacy.erase_resident(a.db, a.worker_id, keep)
    assert _laptop_hits(a) == []
    assert erased.erased_ids(a.db.path) >= {keep, other}  # a restored backup is erased again, both
    for laptop in (a, b, a):
        sync.sync(laptop.db)
    assert _laptop_hits(a) == _laptop_hits(b) == _hub_hits(hub) == []


@pytest.mark.parametrize("erased", ["kept", "duplicate"])
@pytest.mark.parametrize("merge_first", [True, False], ids=["merge-reaches-hub-first", "erasure-reaches-hub-first"])
def test_issue18_an_erasure_reaches_a_merge_made_on_a_laptop_that_had_not_seen_it(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, erased: str, merge_first: bool
) -> None:
    # Laptop a merges the duplicate into Kees while laptop b, not knowing of the merge, erases
    # Kees, or the duplicate (whose phone and e-mail the kept record took). The merge says they
    # are one person: whichever reaches the hub first, both records end erased everywhere.
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    keep, other = _twice(a)
    sync.sync(a.db)
    sync.sync(b.db)
    merge_residents.merge(a.db, a.worker_id, keep, other)
    privacy.erase_resident(b.db, b.worker_id, keep if erased == "kept" else other)
    assert _laptop_hits(b)  # (b erased one record: the other is not merged with it there)
    first, second = (a, b) if merge_first else (b, a)
    for laptop in (first, second, first, second):
        sync.sync(laptop.db)
    assert _hub_hits(hub) == []
    assert _laptop_hits(a) == _laptop_hits(b) == []
    for laptop in (a, b):
        with laptop.db.engine.connect() as connection:
            erased_here = connection.exec_driver_sql(
                "SELECT count(*) FROM resident WHERE anonymised_at IS NOT NULL AND id IN (?, ?)", (keep.hex, other.hex)
            ).scalar()
        assert erased_here == 2  # the tombstone too


def test_issue18_a_meldcode_step_edited_offline_about_someone_erased_elsewhere_syncs(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    # The edit of a step of the meldcode arrives after the erasure: taken in wiped, and the
    # laptop that made it goes on syncing (it once made the hub fail the whole push, every time).
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    kees = residents.add_resident(a.db, a.worker_id, PersonalData("Kees", "", NAME, 1939), None)
    category = sorted(signal_rules.MELDCODE_CATEGORIES)[0]
    signal = signals.add_signal(a.db, a.worker_id, kees.id, signals.SignalData(category, noticed_on=date(2026, 11, 2)))
    signals.record_meldcode_step(a.db, a.worker_id, signal.id, 1, date(2026, 11, 2), note="eerste")
    sync.sync(a.db)
    sync.sync(b.db)
    signals.record_meldcode_step(b.db, b.worker_id, signal.id, 1, date(2026, 11, 2), note="trapleuning-notitie")
    privacy.erase_resident(a.db, a.worker_id, kees.id)
    sync.sync(a.db)
    sync.sync(b.db)
    assert sync.status(b.db).waiting == 0
    sync.sync(a.db)
    assert _hub_hits(hub) == []
    assert _laptop_hits(a) == _laptop_hits(b) == []
