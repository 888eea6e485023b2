"""Confidential signal text sealed to its readers (issue 18): the author and the coordinators
read it; the database key alone does not (a worker with Python and the key, a copy of the
decrypted file), nor another worker's key pair. The app and the inzage document show it to
those who may read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.conftest import PASS
from tests.ui.helpers import settle
from wijkwerk_tui.crypto import envelope, worker_key
from wijkwerk_tui.db.engine import open_database
from wijkwerk_tui.domain import sealed
from wijkwerk_tui.domain.accounts import WORKER
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.exchange import inzage_document
from wijkwerk_tui.queries import inzage
from wijkwerk_tui.security import vault
from wijkwerk_tui.store import residents, signals
from wijkwerk_tui.store.signals import SignalData

PIET, PIET_PASS = "Piet de Boer", "groene-piet-op-de-fiets"
MARIE, MARIE_PASS = "Marie Smit", "rode-marie-in-de-regen"
SECRET = "Buurvrouw zag blauwe plekken bij Kees"


@pytest.fixture
def written(setup_db, clock):  # type: ignore[no-untyped-def]
    """Piet (a worker) wrote a confidential signal and an ordinary one about Kees."""
    session, _code, path = setup_db
    vault.add_account(session, PIET, WORKER, PIET_PASS, PIET_PASS)
    vault.add_account(session, MARIE, WORKER, MARIE_PASS, MARIE_PASS)
    kees = residents.add_resident(session.db, session.worker_id, PersonalData("Kees", "", "Wolters", 1939), None)
    session.db.close()
    piet = vault.login(path, PIET, PIET_PASS, clock)
    hidden = signals.add_signal(
        piet.db, piet.worker_id, kees.id, SignalData("domestic_violence", description=SECRET, confidential=True)
    )
    open_ = signals.add_signal(piet.db, piet.worker_id, kees.id, SignalData("debts", description="Rekeningen"))
    piet.db.close()
    return path, kees.id, hidden.id, open_.id


def _everything(path: Path, key: bytes) -> str:
    """Every table of the decrypted database as text, as someone with Python and the key sees it."""
    db = open_database(path, key=key)
    try:
        with db.engine.connect() as connection:
            tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
            rows = [repr(tuple(row)) for name in tables for row in connection.execute(text(f'SELECT * FROM "{name}"'))]
            return "\n".join(rows)
    finally:
        db.close()


def test_the_database_key_alone_does_not_read_it(written, clock) -> None:  # type: ignore[no-untyped-def]
    path, _kees, hidden, _open = written
    marie = vault.login(path, MARIE, MARIE_PASS, clock)  # a worker of the same laptop, with the key
    key = marie.db.key
    with marie.db.reading() as s:
        stored = s.exec(text("SELECT description FROM signal WHERE id = :id"), params={"id": hidden.hex}).one()[0]
    assert stored.startswith(sealed.PREFIX)
    assert vault.readable(marie, stored) == sealed.FOR_OTHERS  # her own key pair is no reader
    assert marie.worker_key is not None and envelope.open_text(stored, marie.worker_key) is None
    marie.db.close()
    assert key is not None
    dump = _everything(path, key)
    assert "blauwe plekken" not in dump and "Rekeningen" in dump  # (the ordinary one stays plain)


def test_its_author_and_the_coordinators_read_it(written, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, kees, hidden, _open = written
    for name, passphrase in ((PIET, PIET_PASS), ("Sanne Kuiper", PASS)):
        session = vault.login(path, name, passphrase, clock)
        found = inzage.collect(session.db, session.worker_id, kees)
        shown = {s.id: s.description for s, _steps in found.signals}
        assert vault.readable(session, shown[hidden]) == SECRET
        markdown, raw = inzage_document.write(found, tmp_path / name, "", lambda t, s=session: vault.readable(s, t))
        assert SECRET in markdown.read_text() and SECRET in raw.read_text()
        without, _ = inzage_document.write(found, tmp_path / f"{name}-zonder")  # (no key at hand)
        assert sealed.FOR_OTHERS in without.read_text() and sealed.PREFIX not in without.read_text()
        session.db.close()


def test_text_from_before_sealing_is_sealed_at_the_next_login(written, clock) -> None:  # type: ignore[no-untyped-def]
    path, _kees, hidden, _open = written
    sanne = vault.login(path, "Sanne Kuiper", PASS, clock)
    with sanne.db.transaction() as s:  # as an older version (or a laptop without key pairs) left it
        s.exec(text("UPDATE signal SET description = :d WHERE id = :id"), params={"d": SECRET, "id": hidden.hex})
    sanne.db.close()
    piet = vault.login(path, PIET, PIET_PASS, clock)
    with piet.db.reading() as s:
        stored = s.exec(text("SELECT description FROM signal WHERE id = :id"), params={"id": hidden.hex}).one()[0]
    assert sealed.is_sealed(stored) and vault.readable(piet, stored) == SECRET
    piet.db.close()


def test_only_a_confidential_signal_s_text_is_taken_for_sealed(setup_db, clock) -> None:  # type: ignore[no-untyped-def]
    """A plain text that happens to start like a sealed one is shown as typed; and a coordinator
    whose public key is damaged does not stop anyone saving a confidential signal."""
    session, _code, _path = setup_db
    kees = residents.add_resident(session.db, session.worker_id, PersonalData("Kees", "", "Wolters", 1939), None)
    typed = sealed.PREFIX + " envelop met aanmaningen"
    plain = signals.add_signal(session.db, session.worker_id, kees.id, SignalData("debts", description=typed))
    assert vault.readable(session, plain.description, plain.confidential) == typed
    assert sealed.without_key(plain.description, plain.confidential) == typed
    marie = vault.add_account(session, MARIE, "coordinator", MARIE_PASS, MARIE_PASS)
    with session.db.transaction() as s:
        s.exec(text("UPDATE worker SET public_key = 'AAAA' WHERE id = :id"), params={"id": marie.id.hex})
    kept = signals.add_signal(
        session.db, session.worker_id, kees.id, SignalData("debts", description=SECRET, confidential=True)
    )
    assert vault.readable(session, kept.description) == SECRET


async def test_the_author_sees_it_when_he_opens_the_signal(written, clock) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    from wijkwerk_tui.ui.app import WijkwerkApp
    from wijkwerk_tui.ui.screens.resident.signal_status import SignalStatusDialog
    from wijkwerk_tui.ui.widgets.row_list import RowList

    path, kees, hidden, _open = written
    piet = vault.login(path, PIET, PIET_PASS, clock)
    app = WijkwerkApp(piet, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_resident(kees)
        await settle(pilot)
        table = app.screen.query_one("#signals", RowList)
        table.focus()
        table.cursor_row = next(i for i in range(table.row_count) if table.key_at(i) == str(hidden))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignalStatusDialog)
        assert SECRET in str(app.screen.query_one("#signal-description", Static).render())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300), st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=4))
def test_a_sealed_text_opens_for_each_reader_and_for_nobody_else(body: str, readers: int, strangers: int) -> None:
    keys = [worker_key.new_worker_key() for _ in range(readers)]
    others = [worker_key.new_worker_key() for _ in range(strangers)]
    stored = envelope.seal_text(body, [k.public for k in keys])
    assert sealed.is_sealed(stored) and (len(body) < 8 or body not in stored)
    assert all(envelope.open_text(stored, k) == body for k in keys)
    assert all(envelope.open_text(stored, k) is None for k in others)
    assert envelope.open_text(stored[:-5], keys[0]) is None  # damaged: nothing, no error
