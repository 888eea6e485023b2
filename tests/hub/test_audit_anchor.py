"""The hub as the audit's anchor (issue 18): a chain that does not go on from what the hub holds
of it is flagged for coordinators, never refused; a restore shows as a restore; the hub's
own copy of every chain is verified by `wijkwerk check --hub`."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select, text

from tests.conftest import PASS, FakeClock
from tests.hub import laptops
from tests.hub.hub_process import Hub
from tests.ui.helpers import settle
from wijkwerk_tui import cli_hub
from wijkwerk_tui.db.sync_tables import HubAuditAlert, core
from wijkwerk_tui.db.tables import AuditEvent
from wijkwerk_tui.domain.accounts import PermissionDenied
from wijkwerk_tui.domain.hlc import HybridClock
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.hub import audit_anchor
from wijkwerk_tui.hub.changes import Incoming
from wijkwerk_tui.hub.serve import hub_engine
from wijkwerk_tui.ops import backup, maintenance
from wijkwerk_tui.security import vault
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import hub_alerts, sync
from wijkwerk_tui.store import audit, residents, settings
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.commands import main_actions
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.syncing import ALERT_SAID


@pytest.fixture
def real_clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


def _kinds(hub: Hub) -> list[str]:
    engine = hub_engine(hub.database)
    try:
        return [alert.kind for alert in audit_anchor.alerts(engine)]
    finally:
        engine.dispose()


def _work(laptop: Unlocked, name: str) -> None:
    """A save: its audit entry goes up with the next sync."""
    residents.add_resident(laptop.db, laptop.worker_id, PersonalData(name, "", "Jansen", 1950), None)


def test_issue18_chains_that_go_on_raise_nothing_and_the_hubs_copy_verifies(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    for round_ in range(3):
        _work(a, f"Anna{round_}")
        _work(b, f"Bert{round_}")
        sync.sync(a.db)
        sync.sync(b.db)
    assert _kinds(hub) == []
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert cli_hub.check_hub() == 0
    said = capsys.readouterr().out
    assert "2 laptops" in said and "in orde" in said and "Geen meldingen" in said

    # Someone with the hub's database edits an entry it holds: the hub's own copy no longer verifies.
    engine = hub_engine(hub.database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE auditevent SET detail = 'anders' WHERE device_seq = 2"))
    engine.dispose()
    assert cli_hub.check_hub() == 1
    assert "BESCHADIGD" in capsys.readouterr().out


def test_issue18_a_shortened_chain_is_flagged_and_every_coordinator_sees_it(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    for name in ("Anna", "Bert", "Cor"):
        _work(a, name)
    sync.sync(a.db)
    # A worker with Python and the key removes the newest entries (sent already) ...
    newest = audit.head(a.db)
    assert newest is not None
    with a.db.engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM auditevent WHERE device_id = ? AND device_seq > ?", (a.db.device_id, newest[0] - 3)
        )
    assert audit.verify_chain(a.db).ok  # on the laptop alone, nothing shows
    _work(a, "Dirk")  # ... and goes on: the next entries take numbers the hub holds
    result = sync.sync(a.db)

    assert _kinds(hub) == ["ingekort"]
    assert result.alerts == 1
    assert sync.sync(b.db).alerts == 1
    lines = "\n".join(maintenance.check(b.db).lines())
    assert "Audittrail van laptop a, vanaf regel" in lines and "ingekort of herschreven" in lines
    assert sync.sync(b.db).alerts == 0  # said once
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert cli_hub.check_hub() == 1
    assert "ingekort of herschreven" in capsys.readouterr().out
    _work(a, "Eva")
    sync.sync(a.db)
    assert _kinds(hub) == ["ingekort"]  # one alert for the chain, not one per entry after


def test_issue18_a_restored_laptop_shows_as_restored_not_as_tampered(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    saved = backup.make_backup(a.db)
    _work(a, "Anna")
    sync.sync(a.db)
    a.db.close()
    restored = vault.restore(a.db.path, saved, "Sanne Kuiper", PASS, real_clock)
    _work(restored, "Bert")
    result = sync.sync(restored.db)
    assert result.copied
    assert _kinds(hub) == ["teruggezet"]
    said = settings.hub_alerts(restored.db)
    assert len(said) == 1 and "teruggezet uit een back-up" in said[0][1]


async def test_issue18_the_coordinator_is_told_at_the_sync_that_brings_an_alert(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    _work(a, "Anna")
    sync.sync(a.db)
    sync.sync(b.db)
    with a.db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM auditevent WHERE device_id = ?", (a.db.device_id,))
    _work(a, "Bert")  # a chain rebuilt from its first entry
    sync.sync(a.db)
    app = make_app(db=b.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at login
        notices = [str(n.message) for n in app._notifications]
        assert ALERT_SAID in notices
        await pilot.press("ctrl+p")
        await pilot.press(*"Database controleren")
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#check-report").render())
        assert "Audittrail van laptop a" in shown and "ingekort of herschreven" in shown


@given(st.lists(st.one_of(st.dictionaries(st.sampled_from(["at", "said", "x"]), st.text()), st.text(), st.integers())))
def test_issue18_what_the_hub_says_about_chains_reaches_the_terminal_cleaned(sent: list[object]) -> None:
    # The hub's text reaches a coordinator's terminal: no escape sequence, no bidi override,
    # bounded; whatever else came is dropped, not an error.
    kept = json.loads(settings.hub_alerts_text(sent))
    assert len(kept) == sum(isinstance(item, dict) for item in sent[-settings.ALERTS_KEPT :])
    for item in kept:
        said = item["said"]
        assert len(said) <= settings.ALERT_LENGTH
        assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in said)


def _entry(chain: str, number: int, prev: str, entry_id: uuid.UUID | None = None) -> Incoming:
    row = entry_id or uuid.uuid4()
    values = {"device_id": chain, "device_seq": number, "prev_hash": prev, "digest": 2}
    values |= {"at": datetime.now(UTC), "action": "login", "detail": "", "worker_id": None, "resident_id": None}
    stamp = HybridClock(chain).now(datetime.now(UTC))
    return _sealed(Incoming(uuid.uuid4(), "auditevent", row, "insert", {}, 0, stamp, None, values=values))


def _sealed(entry: Incoming) -> Incoming:
    """Its hash as the laptop makes it (the hub checks it)."""
    v = entry.values
    made = audit.Entry(
        v["device_seq"], 2, entry.row_id, v["at"], None, v["action"], None, v["detail"], v["device_id"], v["prev_hash"]
    )
    v["hash"] = audit.digest(made)
    return entry


CHAIN = "11111111-1111-1111-1111-111111111111"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("goes on", []),
        ("goes on, sent out of order", []),
        ("the same entry again", []),
        ("over a held number, by itself", ["ingekort"]),
        ("over a held number, by a copy", ["teruggezet"]),
        ("after a missing one", ["gat"]),
        ("naming another previous", ["breuk"]),
        ("numbered 0", ["breuk"]),
        ("with the id of a held entry", ["breuk"]),
        ("changed after it was written", ["gewijzigd"]),
        ("made up, linking on", ["gewijzigd"]),
    ],
)
def test_issue18_how_the_hub_reads_a_push_of_audit_entries(hub: Hub, case: str, expected: list[str]) -> None:
    engine = hub_engine(hub.database)
    table = core(AuditEvent)
    held = [uuid.uuid4() for _ in range(3)]
    try:
        with engine.begin() as connection:
            connection.execute(delete(table).where(table.c.device_id == CHAIN))
            connection.execute(delete(core(HubAuditAlert)).where(core(HubAuditAlert).c.chain == CHAIN))
            for n, entry_id in enumerate(held, start=1):
                connection.execute(
                    table.insert().values(
                        id=entry_id,
                        at=datetime.now(UTC),
                        action="login",
                        detail="",
                        device_id=CHAIN,
                        prev_hash=f"h{n - 1}" if n > 1 else "",
                        hash=f"h{n}",
                        digest=2,
                        device_seq=n,
                    )
                )
            pushes = {
                "goes on": [_entry(CHAIN, 4, "h3")],
                "goes on, sent out of order": [_entry(CHAIN, 5, "x"), _entry(CHAIN, 4, "h3")],
                "the same entry again": [_entry(CHAIN, 2, "h1", held[1])],
                "over a held number, by itself": [_entry(CHAIN, 3, "h2")],
                "over a held number, by a copy": [_entry(CHAIN, 3, "h2")],
                "after a missing one": [_entry(CHAIN, 5, "h4")],
                "naming another previous": [_entry(CHAIN, 4, "elders")],
                "numbered 0": [_entry(CHAIN, 0, "")],
                "with the id of a held entry": [_entry(CHAIN, 4, "h3", held[0])],
                "changed after it was written": [_entry(CHAIN, 4, "h3")],
                "made up, linking on": [_entry(CHAIN, 4, "h3"), _entry(CHAIN, 5, "x")],
            }
            push = pushes[case]
            if case == "goes on, sent out of order":
                push[0].values["prev_hash"] = push[1].values["hash"]
                _sealed(push[0])
            if case == "changed after it was written":
                push[0].values["detail"] = "anders"  # (its hash as it was)
            if case == "made up, linking on":
                push[0].values["hash"] = "f" * 64  # the next one links to the made-up hash
                push[1].values["prev_hash"] = push[0].values["hash"]
                _sealed(push[1])
            sender = "22222222-2222-2222-2222-222222222222" if case.endswith("by a copy") else CHAIN
            audit_anchor.check(connection, sender, push, datetime.now(UTC))
            kinds = (
                connection.execute(select(core(HubAuditAlert).c.kind).where(core(HubAuditAlert).c.chain == CHAIN))
                .scalars()
                .all()
            )
        assert sorted(kinds) == expected
    finally:
        engine.dispose()


def _shorten(laptop: Unlocked, name: str) -> None:
    """A worker with Python and the key deletes the newest entries (sent already) and goes on."""
    newest = audit.head(laptop.db)
    assert newest is not None
    with laptop.db.engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM auditevent WHERE device_id = ? AND device_seq > ?", (laptop.db.device_id, newest[0] - 2)
        )
    _work(laptop, name)
    sync.sync(laptop.db)


def test_issue18_a_coordinator_marks_an_alert_handled_and_the_next_break_is_a_new_alert(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    piet = vault.add_account(b, "Piet Worker", "worker", PASS + " extra", PASS + " extra")
    for name in ("Anna", "Bert", "Cor"):
        _work(a, name)
    sync.sync(a.db)
    _shorten(a, "Dirk")
    assert sync.sync(b.db).alerts == 1

    # Only a coordinator: refused on the laptop, and at the hub for a token holder naming a worker.
    with pytest.raises(PermissionDenied):
        hub_alerts.mark_seen(b.db, piet.id)
    with laptops.as_laptop(hub.url, b) as client:
        refused = client.post("/v1/alerts/seen", json={"worker": str(piet.id), "ids": settings.hub_alert_ids(b.db)})
    assert refused.status_code == 403 and "coördinator" in refused.json()["fout"]
    monkeypatch.setenv("WIJKWERK_HUB_DATABASE", hub.database)
    assert cli_hub.check_hub() == 1

    assert hub_alerts.mark_seen(b.db, b.worker_id) == 1
    assert settings.hub_alerts(b.db) == []
    with b.db.reading() as read:
        said = read.execute(select(AuditEvent).where(AuditEvent.action == "hub.alerts_seen")).scalars().all()
    assert [(e.worker_id, e.detail) for e in said] == [(b.worker_id, "1")]
    assert sync.sync(a.db).alerts == 0 and settings.hub_alerts(a.db) == []  # gone on every laptop
    capsys.readouterr()
    assert cli_hub.check_hub() == 0
    assert "afgehandeld door Sanne Kuiper op laptop b" in capsys.readouterr().out

    _shorten(a, "Eva")  # the same laptop again: a new alert, not silenced by the handled one
    assert _kinds(hub) == ["ingekort", "ingekort"]
    assert sync.sync(b.db).alerts == 1
    assert cli_hub.check_hub() == 1


async def test_issue18_alerts_are_handled_from_the_palette_by_a_coordinator(
    tmp_path: Path, hub: Hub, real_clock: FakeClock
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    for name in ("Anna", "Bert"):
        _work(a, name)
    sync.sync(a.db)
    _shorten(a, "Cor")
    app = make_app(db=b.db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the sync at login brings the alert
        assert len(settings.hub_alerts(b.db)) == 1
        offered = {title: action for title, _help, action in main_actions(app)}
        offered["Meldingen afhandelen"]()  # (as chosen in the palette, Ctrl+P)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert str(app.screen.query_one("#question").render()).startswith("1 melding van de hub")
        await pilot.press("j")
        await settle(pilot)
        assert "1 melding afgehandeld bij de hub." in [str(n.message) for n in app._notifications]
        assert settings.hub_alerts(b.db) == []
    assert _kinds(hub) == ["ingekort"]


@pytest.mark.parametrize("how", ["another laptop's chain", "a worker swapped beside the hash"])
def test_issue18_entries_a_laptop_may_not_send_are_not_taken_and_are_flagged(
    tmp_path: Path, hub: Hub, real_clock: FakeClock, how: str
) -> None:
    a = laptops.joined(tmp_path, "a", hub.url, hub.database, real_clock)
    b = laptops.joined(tmp_path, "b", hub.url, hub.database, real_clock)
    sync.sync(a.db)
    sync.sync(b.db)
    _work(b, "Bert")
    # A worker with Python on laptop b edits what waits to be sent.
    field, value = ("device_id", a.db.device_id) if how.startswith("another") else ("origin_worker", str(uuid.uuid4()))
    with b.db.engine.begin() as connection:
        changed = connection.exec_driver_sql(
            "UPDATE outbox SET fields = json_set(fields, ?, ?) WHERE table_name = 'auditevent' AND pushed_at IS NULL",
            (f"$.{field}", value),
        ).rowcount
    assert changed >= 1
    sync.sync(b.db)
    assert _kinds(hub) == ["geweigerd"]
    engine = hub_engine(hub.database)
    try:
        with engine.connect() as connection:
            taken = connection.execute(
                select(core(AuditEvent).c.id).where(core(AuditEvent).c.action == "resident.create")
            ).all()
        (alert,) = audit_anchor.alerts(engine)
    finally:
        engine.dispose()
    assert taken == []  # (not taken: b's new entries waited in that outbox)
    assert alert.chain == (a.db.device_id if how.startswith("another") else b.db.device_id)
    assert alert.sender_name == "b" and "niet overgenomen" in alert.said
