"""The `/` search is spelling-tolerant: `jansen 1935` shows Gerrit Janssen, marked ≈."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import cells, settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import areas, residents, workers
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.screens.lists.residents import ResidentsScreen
from wijkwerk_tui.ui.screens.resident.resident import ResidentScreen
from wijkwerk_tui.ui.widgets.row_list import RowList


@pytest.fixture
def people(db: Database):
    worker = workers.add_worker(db, None, "Sanne Kuiper", "coordinator")
    ruinen = areas.add_area(db, worker.id, "Ruinen").id
    made = {
        "gerrit": residents.add_resident(db, worker.id, PersonalData("Gerrit", "", "Janssen", 1935), ruinen, True),
        "anna": residents.add_resident(db, worker.id, PersonalData("Anna", "", "Jansen", 1935), ruinen, True),
        "jan": residents.add_resident(db, worker.id, PersonalData("Jan", "", "Jansen", 1951), ruinen, True),
    }
    return db, made


def _status(screen: ResidentsScreen) -> str:
    return str(screen.query_one("#result-status").render())


async def test_jansen_1935_shows_gerrit_janssen_marked_after_the_exact_match(people) -> None:
    db, made = people
    async with make_app(db=db, now=FROZEN_NOW).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ResidentsScreen)
        await type_text(pilot, "jansen 1935")
        await settle(pilot)
        assert screen.shown_query == "jansen 1935"
        rows = cells(screen.query_one("#results", RowList))
        assert [row[:3] for row in rows] == [
            ["Jansen, Anna", "1935", "Ruinen"],
            ["≈ Janssen, Gerrit", "1935", "Ruinen"],
        ]
        status = _status(screen)
        assert status.startswith("1 gevonden, 1 met een gelijkende naam (≈).")
        assert cell_len(status) <= 80 - 2  # fits beside its padding at 80 columns
        # On the screen too, whole at 80 columns: the marked name and the status line.
        shown = pilot.app.export_screenshot().replace("&#160;", " ")  # the SVG writes spaces as &#160;
        assert "≈ Janssen, Gerrit" in shown
        assert "1 gevonden, 1 met een gelijkende naam (≈).  ↓ naar de lijst, Enter opent" in shown
        # Enter on the list opens the one marked alike.
        await pilot.press("down", "down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        assert pilot.app.screen.resident_id == made["gerrit"].id


async def test_one_match_only_alike_opens_with_a_second_enter(people) -> None:
    """Enter in the search field opens a single exact match at once; a single match that only
    sounds alike is shown first, and opens with Enter on the list."""
    db, made = people
    async with make_app(db=db, now=FROZEN_NOW).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        await type_text(pilot, "gerrit jansen")
        await settle(pilot)
        assert cells(screen.query_one("#results", RowList)) == [["≈ Janssen, Gerrit", "1935", "Ruinen", "-", "-"]]
        assert _status(screen).startswith("1 met een gelijkende naam (≈).")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.focused is screen.query_one("#results", RowList)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ResidentScreen)
        assert pilot.app.screen.resident_id == made["gerrit"].id


async def test_janssen_1935_is_exact_and_unmarked(people) -> None:
    db, _made = people
    async with make_app(db=db, now=FROZEN_NOW).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        await type_text(pilot, "janssen 1935")
        await settle(pilot)
        rows = cells(screen.query_one("#results", RowList))
        assert [row[0] for row in rows] == ["Janssen, Gerrit", "≈ Jansen, Anna"]
        await type_text(pilot, "x")  # "janssen 1935x": nothing fits, exact or alike
        await settle(pilot)
        assert cells(screen.query_one("#results", RowList)) == []
        assert _status(screen).startswith("Geen inwoners gevonden.")


async def test_the_list_is_redrawn_whole_as_it_shrinks_and_grows(people) -> None:
    """The results list keeps its size while typing, so it is only painted again (no layout of
    the screen): no line of an earlier list may stay on screen."""
    db, _made = people
    everyone = ["Jansen, Anna", "Jansen, Jan", "≈ Janssen, Gerrit"]
    async with make_app(db=db, now=FROZEN_NOW).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        for keys, names in (
            ("jansen", everyone),
            (" 195", ["Jansen, Jan"]),
            ("backspace", everyone),  # "jansen 19"
            ("3", ["Jansen, Anna", "≈ Janssen, Gerrit"]),  # "jansen 193"
        ):
            await (pilot.press("backspace") if keys == "backspace" else type_text(pilot, keys))
            await settle(pilot)
            assert [row[0] for row in cells(screen.query_one("#results", RowList))] == names
            shown = pilot.app.export_screenshot().replace("&#160;", " ")
            assert [name for name in everyone if f"{name} " in shown] == names, keys


async def test_filling_the_list_asks_for_no_layout_of_the_screen(people, monkeypatch) -> None:
    """The results list and the status line keep their size: filling them after each key asks
    Textual only to paint them again. (A layout of the whole screen, filters and all, took as
    long as the search itself at 100 000 residents.) Lists of automatic height (the resident's
    sections) still ask: the snapshots of the resident screen hold them."""
    from textual.widget import Widget

    db, _made = people
    asked: list[tuple[str, bool]] = []
    refresh = Widget.refresh

    def recording(self, *regions, **kwargs):  # type: ignore[no-untyped-def]
        if showing:
            asked.append((f"{type(self).__name__}#{self.id}", bool(kwargs.get("layout"))))
        return refresh(self, *regions, **kwargs)

    showing = False
    monkeypatch.setattr(Widget, "refresh", recording)
    async with make_app(db=db, now=FROZEN_NOW).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ResidentsScreen)
        show = screen._show

        def watched(query: str, rows) -> None:  # type: ignore[no-untyped-def]
            nonlocal showing
            showing = True
            try:
                show(query, rows)
            finally:
                showing = False

        monkeypatch.setattr(screen, "_show", watched)
        await type_text(pilot, "jansen 1935")
        await settle(pilot)
        assert screen.shown_query == "jansen 1935"
        assert {"RowList#results", "Static#result-status"} <= {who for who, _layout in asked}
        assert [who for who, layout in asked if layout] == []
