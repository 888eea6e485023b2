"""The report screen, group activities and stories, driven with keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, TextArea

from tests.conftest import FROZEN_NOW
from tests.ui.helpers import cells, planted_story, settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.store import activities, contacts, residents, workers
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.dialogs.story_review import StoryReviewDialog
from wijkwerk_tui.ui.screens.lists.activities import ActivitiesScreen
from wijkwerk_tui.ui.screens.lists.activity_form import ActivityForm
from wijkwerk_tui.ui.screens.lists.frozen_reports import FrozenReportsScreen
from wijkwerk_tui.ui.screens.lists.report import ReportScreen
from wijkwerk_tui.ui.screens.resident.contact_form import ContactForm
from wijkwerk_tui.ui.widgets.bar_chart import BarChart, bar
from wijkwerk_tui.ui.widgets.row_list import RowList


def test_bar_lengths_are_proportional() -> None:
    assert bar(0, 10, 20) == "" and bar(10, 10, 20) == "█" * 20
    assert bar(5, 10, 20) == "█" * 10 and len(bar(1, 1000, 20)) == 1  # a non-zero value always shows


async def test_report_screen_shows_bars_and_exports(demo_db: Database, tmp_path: Path) -> None:
    app = make_app(db=demo_db, now=FROZEN_NOW)
    app.export_dir = tmp_path / "uit"
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_report()
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        charts = {c.title: c.bars for c in app.screen.query(BarChart)}
        assert "Contacten per maand" in charts and len(charts["Contacten per maand"]) == 11
        assert sum(v for _, v in charts["Participatieladder: treden aan het eind van de periode"]) > 0
        movement = cells(app.screen.query(DataTable).first())
        assert movement[0][0] == "Alle gebieden"
        start = app.screen.query_one("#start", Input)
        start.value = "31-02-2026"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "bestaat niet" in str(app.screen.query_one("#report-status").render())
        start.value = "1-1-2026"
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        while isinstance(app.screen, StoryReviewDialog):  # the demo's stories that name someone
            await pilot.press("ctrl+d")
            await settle(pilot)
    assert sorted(p.suffix for p in (tmp_path / "uit").iterdir()) == [".csv", ".html", ".json", ".md", ".xlsx"]


async def test_issue15_02_freeze_from_the_report_screen_and_compare(demo_db: Database) -> None:
    notices: list[str] = []
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_kw: notices.append(str(message))  # type: ignore[method-assign]
        await settle(pilot)
        app.action_report()
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and "vaststellen?" in str(
            app.screen.query_one("#question").render()
        )
        await pilot.press("j")
        await settle(pilot)
        assert any(n.startswith("Vastgesteld: kenmerk ") for n in notices)
        app.action_frozen_reports()
        await settle(pilot)
        assert isinstance(app.screen, FrozenReportsScreen)
        listed = cells(app.screen.query_one("#frozen", RowList))
        assert len(listed) == 1 and listed[0][0] in notices[-1]
        await pilot.press("enter")
        await settle(pilot)
        shown = str(app.screen.query_one("#comparison").render())
        assert "Vingerafdruk klopt." in shown and "Geen verschillen" in shown


async def test_issue15_09_flagged_stories_are_edited_or_left_out_before_the_export(
    demo_db: Database, tmp_path: Path
) -> None:
    planted = planted_story(demo_db)
    app = make_app(db=demo_db, now=FROZEN_NOW)
    app.export_dir = tmp_path / "uit"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_report()
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StoryReviewDialog)
        assert any(story == planted for _i, _a, _d, story, _f in dialog.flagged)
        kinds = {f.kind for _i, _a, _d, story, flags in dialog.flagged if story == planted for f in flags}
        assert kinds == {"naam", "leeftijd"}
        while isinstance(app.screen, StoryReviewDialog):
            current = app.screen.flagged[app.screen.position][3]
            if current == planted:  # first an edit that still names him: said once, then rewritten
                named = " ".join(planted.split()[:2]) + " kwam weer."
                app.screen.query_one("#story-text", TextArea).load_text(named)
                await pilot.press("ctrl+s")
                await settle(pilot)
                assert "Nog steeds herkenbaar: naam" in str(app.screen.query_one("#story-flags").render())
                assert app.screen.flagged[app.screen.position][3] == planted  # still this story
                # Rewritten, with a pasted bell and escape that must not reach the file.
                app.screen.query_one("#story-text", TextArea).load_text("Een buurman\x07 kwam\x1b weer naar de soos.")
                await pilot.press("ctrl+s")
            else:
                await pilot.press("ctrl+d")
            await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
    written = (tmp_path / "uit").glob("*.md")
    text = next(written).read_text(encoding="utf-8")
    assert "Een buurman kwam weer naar de soos." in text and planted not in text
    assert "\x07" not in text and "\x1b" not in text


async def test_issue15_09_escape_stops_the_export(demo_db: Database, tmp_path: Path) -> None:
    planted_story(demo_db)
    app = make_app(db=demo_db, now=FROZEN_NOW)
    app.export_dir = tmp_path / "uit"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_report()
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, StoryReviewDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "niets geschreven" in str(app.screen.query_one("#report-status").render())
    assert not (tmp_path / "uit").exists() or not list((tmp_path / "uit").iterdir())


async def test_a_worker_cannot_open_the_report(demo_db: Database) -> None:
    worker = next(w for w in workers.list_workers(demo_db) if w.role == "worker")
    app = make_app(db=demo_db, now=FROZEN_NOW, worker=worker)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_report()
        await settle(pilot)
        assert not isinstance(app.screen, ReportScreen)


async def test_issue15_10_register_a_group_activity_with_a_participant_and_a_volunteer(db: Database) -> None:
    boss = workers.add_worker(db, None, "Sanne", "coordinator")
    jan = residents.add_resident(db, boss.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    piet = residents.add_resident(db, boss.id, PersonalData("Piet", "", "Bakker", 1960), None, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        app.action_activities()
        await settle(pilot)
        assert isinstance(app.screen, ActivitiesScreen)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActivityForm)
        await type_text(pilot, "Koffieochtend")
        await pilot.press("tab", "tab", "tab")
        app.screen.query_one("#participants", Input).value = "14"
        app.screen.query_one("#volunteers", Input).value = "2"
        app.screen.query_one("#people-search", Input).focus()
        await type_text(pilot, "jans")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Jan Jansen" in str(app.screen.query_one("#picked").render())
        app.screen.query_one("#helpers #people-search", Input).focus()  # and Piet helped
        await type_text(pilot, "bakk")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Piet Bakker" in str(app.screen.query_one("#helpers #picked").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActivitiesScreen)
        assert cells(app.screen.query_one("#activities", DataTable))[0][1:] == ["Koffieochtend", "", "14", "2"]
    made = activities.list_activities(db)[0]
    assert (made.participants, made.volunteers) == (14, 2)
    from sqlalchemy import text

    with db.reading() as session:
        linked = session.execute(text("SELECT resident_id, role FROM activityresident ORDER BY role")).all()
    assert [tuple(r) for r in linked] == [(jan.id.hex, "participant"), (piet.id.hex, "volunteer")]


async def test_a_contact_can_carry_a_story(db: Database) -> None:
    boss = workers.add_worker(db, None, "Sanne", "coordinator")
    jan = residents.add_resident(db, boss.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    app = make_app(db=db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        app.open_resident(jan.id)
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        app.screen.query_one("#is_story", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)  # the save runs in a thread
        assert "zonder namen" in app.screen.query_one("#field-story").error
        app.screen.query_one("#story", TextArea).text = "Een oudere man komt weer naar de soos."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
    saved = contacts.for_resident(db, jan.id)[0]
    assert saved.is_story and saved.story.startswith("Een oudere man")


async def test_hardening_15_exports_screen_lists_and_clears_up_and_says_they_are_plain(
    setup_db, clock, tmp_path: Path
) -> None:
    """A coordinator chooses the export folder in Instellingen; the report export says the files
    are not encrypted; Exports lists them and clears them up, leaving other files alone."""
    from wijkwerk_tui.ui.screens.admin.settings_form import SettingsForm
    from wijkwerk_tui.ui.screens.lists.exports import ExportsScreen
    from wijkwerk_tui.ui.screens.lists.report import ReportScreen

    session, _code, _path = setup_db
    chosen = tmp_path / "gekozen"
    chosen.mkdir()
    (chosen / "eigen-bestand.txt").write_text("niet van wijkwerk")
    app = make_app(db=session.db, now=clock)
    notices: list[str] = []
    real_notify = app.notify
    app.notify = lambda message, *a, **k: (notices.append(str(message)), real_notify(message, *a, **k))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_settings()
        await settle(pilot)
        assert isinstance(app.screen, SettingsForm)
        app.screen.query_one("#export_folder", Input).value = "relatief"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "volledig pad" in app.screen.query_one("#field-export_folder").error
        app.screen.query_one("#export_folder", Input).value = str(chosen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.export_dir == chosen
        app.action_report()
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert any("niet versleuteld" in n for n in notices)
        written = sorted(p.name for p in chosen.iterdir())
        assert len(written) == 6 and "eigen-bestand.txt" in written
        app.action_exports()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportsScreen)
        assert len(cells(screen.query_one("#exports", RowList))) == 5
        await pilot.press("x", "j")
        await settle(pilot)
        assert len(cells(screen.query_one("#exports", RowList))) == 4
        await pilot.press("o", "j")
        await settle(pilot)
        assert cells(screen.query_one("#exports", RowList)) == []
        assert [p.name for p in chosen.iterdir()] == ["eigen-bestand.txt"]
