"""Erasing a file that others were merged into (Samenvoegen) erases them too: the question says
so before the coordinator answers."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Static

from tests.ui.helpers import open_resident_by_search, settle
from wijkwerk_tui.db.tables import Resident
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.services import merge_residents
from wijkwerk_tui.store import residents
from wijkwerk_tui.ui.app import WijkwerkApp
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen


@pytest.mark.parametrize("duplicates", [0, 1, 2])
async def test_the_erase_question_names_the_merged_files_and_all_are_erased(setup_db, clock, duplicates) -> None:
    session, _code, _path = setup_db
    db, me = session.db, session.worker_id
    kept = residents.add_resident(db, me, PersonalData("Gerrit", "", "Hoekstra", 1951), None, True)
    others = [residents.add_resident(db, me, PersonalData("Gerrit", "", "Hoeksma", 1951), None) for _ in range(2)]
    if duplicates == 1:
        merge_residents.merge(db, me, kept.id, others[0].id)
    if duplicates == 2:  # (one merged into the other first: erasure follows the links on)
        merge_residents.merge(db, me, others[1].id, others[0].id)
        merge_residents.merge(db, me, kept.id, others[1].id)
    app = WijkwerkApp(session, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_resident_by_search(pilot, "hoekstra")
        assert isinstance(app.screen, ResidentScreen)
        await app.workers.wait_for_complete()
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#question", Static).render())
        said = {0: "samengevoegd", 1: "Ook het dossier dat hiermee is samengevoegd", 2: "Ook de 2 dossiers"}
        assert (said[duplicates] in question) == bool(duplicates)
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await settle(pilot)
        with db.reading() as read:
            erased = {row.id: row.anonymised_at is not None for row in read.exec(select(Resident))}
        assert erased == {kept.id: True, others[0].id: duplicates >= 1, others[1].id: duplicates > 1}
