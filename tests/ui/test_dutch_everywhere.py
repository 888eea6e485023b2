"""Issue 14.7-8: every screen and dialog, at 80x24, in Dutch and whole.

The English this test looks for is not typed by hand: it is collected from Textual itself
(every widget's binding descriptions, the key names in those bindings, the default prompts
and the command palette's own messages) and from argparse's messages. Every screen class in
the UI package must be visited (a new screen without a route here fails). On each screen:
no English phrase, every key in the footer with its whole description, every field label
whole.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import textual
import textual.widgets
from sqlalchemy import text
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

import wijkwerk_tui.ui
from tests.conftest import FROZEN_NOW, PASS, FakeClock
from tests.ui.helpers import planted_story, settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.store import workers
from wijkwerk_tui.ui.app import make_app
from wijkwerk_tui.ui.commands import main_actions
from wijkwerk_tui.ui.dutch_keys import DUTCH
from wijkwerk_tui.ui.widgets.field import FormField
from wijkwerk_tui.ui.widgets.footer import Footer

# Words that are Dutch as well, or what a keyboard key is labelled (the help names Home and End).
ALSO_DUTCH = {"Top", "Last", "Home", "End", "argument"}


def _textual_bindings() -> list[Binding]:
    found: list[Binding] = []
    modules = ["textual.app", "textual.screen", "textual.containers", "textual.command", "textual.widget"]
    modules += [info.name for info in pkgutil.iter_modules(textual.widgets.__path__, "textual.widgets.")]
    for name in modules:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == name:
                found += [b if isinstance(b, Binding) else Binding(*b) for b in cls.__dict__.get("BINDINGS", [])]
    return found


def _text_literals(path: Path) -> set[str]:
    """The string literals a module passes to `Text(...)`: what it draws on screen itself."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Text":
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def _gettext_literals(path: Path) -> set[str]:
    """The messages a module marks for translation with `_()` / `ngettext()` (argparse's)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def _phrases(raw: set[str]) -> set[str]:
    """Message templates cut at their placeholders into phrases of at least one whole word."""
    phrases = set()
    for message in raw:
        for cut in re.split(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}|\n", message):
            piece = cut.strip(" :.,'\"()[]-")
            if re.search(r"[A-Za-z]{2}", piece) and piece not in ALSO_DUTCH:
                phrases.add(piece)
    return phrases


BINDINGS = _textual_bindings()
TEXTUAL_ENGLISH = _phrases(
    {b.description for b in BINDINGS if b.description}
    | {str(inspect.signature(Select.__init__).parameters["prompt"].default)}
    | _text_literals(Path(textual.__file__).with_name("command.py"))
)
# Textual's names for keys (`pageup`, `escape`): never on screen in that form.
KEY_NAMES = {name for b in BINDINGS for part in b.key.split(",") if len(name := part.split("+")[-1].strip()) > 3}
ARGPARSE_ENGLISH = _phrases(_gettext_literals(Path(argparse.__file__)))


def english_in(text: str, phrases: set[str]) -> list[str]:
    return sorted(p for p in phrases if re.search(rf"(?<![\w+]){re.escape(p)}(?![\w+])", text))


def screen_lines(app: App[object]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_classes() -> set[str]:
    """Every Screen subclass the UI package defines (the bases excepted)."""
    found = set()
    for info in pkgutil.walk_packages(wijkwerk_tui.ui.__path__, "wijkwerk_tui.ui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.add(cls.__name__)
    return found - {"AppScreen", "AppModal", "FormScreen", "GateScreen"}


class Visits:
    """Checks the screen on top and records its class."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.problems: list[str] = []

    async def check(self, pilot: Pilot[object], expected: str) -> None:
        await settle(pilot)
        app, screen = pilot.app, pilot.app.screen
        name = type(screen).__name__
        assert name == expected, f"expected {expected}, on {name}"
        self.seen.add(name)
        # What is drawn, and every row of every table (also the rows scrolled out of view).
        tables = [" | ".join(map(str, t.get_row_at(i))) for t in screen.query(DataTable) for i in range(t.row_count)]
        text = "\n".join(screen_lines(app) + tables)
        english = english_in(text, TEXTUAL_ENGLISH)
        keys = [k for k in KEY_NAMES if re.search(rf"(?<![\w+]){re.escape(k)}(?!\w)", text)]
        if english or keys:
            self.problems.append(f"{name}: English {english}, key names {keys}")
        for footer in screen.query(Footer):
            line = screen_lines(app)[footer.region.y]
            for key, description in footer.shown:
                if f"{key} {description}" not in line:
                    self.problems.append(f"{name}: footer key {key} {description!r} not whole in {line!r}")
        for field in screen.query(FormField):
            label = field.query_one(".field-label", Static)
            width = label.content_region.width
            if field.display and label.region.height and len(str(label.render())) > width:
                self.problems.append(f"{name}: label {str(label.render())!r} cut to {width} columns")


Route = Callable[[Pilot[object], Visits], Awaitable[None]]


async def _press(pilot: Pilot[object], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _resident_with(db: Database, table: str) -> uuid.UUID:
    """A resident with at least one live row in `table` (signal, referral, goal)."""
    query = (
        f"SELECT r.id FROM resident r WHERE r.deleted_at IS NULL AND EXISTS "
        f"(SELECT 1 FROM {table} x WHERE x.resident_id = r.id AND x.deleted_at IS NULL) LIMIT 1"
    )
    with db.reading() as session:
        return uuid.UUID(hex=session.execute(text(query)).scalar_one())


async def _back_to(pilot: Pilot[object], name: str) -> None:
    """Escape until `name` is on top again (a changed form asks first: yes, leave it)."""
    for _ in range(6):
        if type(pilot.app.screen).__name__ == name:
            return
        await _press(pilot, "j" if type(pilot.app.screen).__name__ == "ConfirmDialog" else "escape")
    raise AssertionError(f"could not get back to {name}")


async def _signed_in(pilot: Pilot[object], visits: Visits) -> None:
    app = pilot.app
    await visits.check(pilot, "StartScreen")
    await _press(pilot, "f1")
    await visits.check(pilot, "HelpScreen")
    await _press(pilot, "escape", "ctrl+p")
    await type_text(pilot, "zzqqxx")  # nothing matches: the palette says so in Dutch
    found = app.screen.query_one(CommandList)
    actions = {title for title, _help, _call in main_actions(app)}
    for _ in range(150):  # the palette searches in the background; Textual's own line comes after 0.5 s
        shown = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
        if shown and not set(shown) & actions:
            break
        await pilot.pause(0.02)
    await visits.check(pilot, "CommandPalette")
    assert "Niets gevonden" in "\n".join(screen_lines(app))
    await _press(pilot, "escape", "slash")
    await type_text(pilot, "ja")
    await visits.check(pilot, "ResidentsScreen")
    await _press(pilot, "escape")
    app.open_resident(_resident_with(app.db, "signal"))
    await visits.check(pilot, "ResidentScreen")
    await _press(pilot, "f1")  # the help of a screen with a focused list: Textual's keys in Dutch
    await visits.check(pilot, "HelpScreen")
    await _press(pilot, "escape")
    for key, dialog in (
        ("p", "LadderDialog"),
        ("c", "ContactForm"),
        ("g", "GoalForm"),
        ("e", "ResidentForm"),
        ("m", "MergeForm"),
    ):
        await _press(pilot, key)
        await visits.check(pilot, dialog)
        await _press(pilot, "f1")  # a text field's keys
        await visits.check(pilot, "HelpScreen")
        await _back_to(pilot, "ResidentScreen")
    await _press(pilot, "s")
    await visits.check(pilot, "SignalForm")
    app.screen.query(Select).first().focus()
    await _press(pilot, "enter")  # the list of a Select open: its own key in the footer
    await visits.check(pilot, "SignalForm")
    await _back_to(pilot, "ResidentScreen")
    await _press(pilot, "d")
    await visits.check(pilot, "ReferralForm")
    await _back_to(pilot, "ResidentScreen")
    for key, screen in (("w", "WhoLookedScreen"), ("x", "ConfirmDialog")):
        await _press(pilot, key)
        await visits.check(pilot, screen)
        await _press(pilot, "escape")  # no: not erased
        await _back_to(pilot, "ResidentScreen")
    for table, dialog in (
        ("signal", "SignalStatusDialog"),
        ("referral", "ReferralUpdateDialog"),
        ("goal", "GoalStatusDialog"),
    ):
        await _press(pilot, "escape")
        app.open_resident(_resident_with(app.db, table))
        await visits.check(pilot, "ResidentScreen")
        app.screen.query_one(f"#{table}s").focus()
        await _press(pilot, "enter")
        await visits.check(pilot, dialog)
        await _back_to(pilot, "ResidentScreen")
    await _press(pilot, "escape", "n")
    await visits.check(pilot, "IntakeScreen")
    await _press(pilot, "f1")
    await visits.check(pilot, "HelpScreen")
    await _press(pilot, "escape")
    await type_text(pilot, "Jan de Vries")  # likely duplicates: the table under the name
    await visits.check(pilot, "IntakeScreen")
    await _press(pilot, "escape")
    await visits.check(pilot, "ConfirmDialog")
    await _press(pilot, "j")
    for action, screen in (
        ("overviews", "OverviewsScreen"),
        ("partners", "PartnersScreen"),
        ("activities", "ActivitiesScreen"),
        ("exports", "ExportsScreen"),
        ("report", "ReportScreen"),
        ("frozen_reports", "FrozenReportsScreen"),
        ("import", "ImportScreen"),
        ("accounts", "AccountsScreen"),
        ("check", "CheckScreen"),
        ("settings", "SettingsForm"),
        ("change_passphrase", "PassphraseForm"),
        ("conflicts", "ConflictsScreen"),
        ("unusual_views", "UnusualViewsScreen"),
    ):
        await app.run_action(action)
        await visits.check(pilot, screen)
        if screen == "ReportScreen":  # the stories the demo names someone in, before an export
            await _press(pilot, "ctrl+e")
            await visits.check(pilot, "StoryReviewDialog")
            await _press(pilot, "escape")
        if screen == "ImportScreen":  # a file's dry run, a column's meaning, earlier imports
            sheet = app.export_dir.parent / "lijst.csv"
            sheet.write_text("naam;geboortejaar;wie;PL 2025\nBakker, Gerrit;1944;x;2\n", encoding="utf-8")
            await type_text(pilot, str(sheet))
            await _press(pilot, "enter")
            await visits.check(pilot, "ImportScreen")
            app.screen.query_one("#import-columns").focus()
            await _press(pilot, "enter")
            await visits.check(pilot, "ColumnMeaningDialog")
            await _press(pilot, "escape", "i")
            await visits.check(pilot, "ImportBatchesScreen")
            await _press(pilot, "escape")
        if screen in ("PartnersScreen", "ActivitiesScreen", "AccountsScreen"):
            await _press(pilot, "ctrl+n" if screen == "PartnersScreen" else "a")
            await visits.check(
                pilot, {"PartnersScreen": "PartnerForm", "ActivitiesScreen": "ActivityForm"}.get(screen, "AccountForm")
            )
            await _press(pilot, "escape")
        if screen == "AccountsScreen":  # a worker's areas (need-to-know)
            await _press(pilot, "b")
            await visits.check(pilot, "WorkerAreasDialog")
            await _press(pilot, "escape")
        await _press(pilot, "escape")
        await app.run_action("home")
    from wijkwerk_tui.store.scope import NEEDS_REASON
    from wijkwerk_tui.ui.dialogs.reason import ReasonDialog

    app.push_screen(ReasonDialog(NEEDS_REASON))  # (a worker opening a file outside his areas)
    await visits.check(pilot, "ReasonDialog")
    await _press(pilot, "escape")
    await _press(pilot, "ctrl+l")
    await visits.check(pilot, "LockScreen")


async def test_issue14_07_08_every_screen_in_dutch_and_whole(
    demo_db: Database, setup_db: tuple, clock: FakeClock, tmp_path: Path
) -> None:
    visits = Visits()
    planted_story(demo_db)  # so the export stops at the story check
    coordinator = next(w for w in workers.list_workers(demo_db) if w.role == "coordinator")
    app = make_app(db=demo_db, now=FROZEN_NOW, worker=coordinator)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(80, 24)) as pilot:
        await _signed_in(pilot, visits)
    # The gate: first run, the recovery code, login, recovery, a missing key file, damage.
    first = make_app(tmp_path / "nieuw.db", now=FakeClock())
    async with first.run_test(size=(80, 24)) as pilot:
        await visits.check(pilot, "SetupScreen")
        for value in ("Welzijn Oost", "Ruinen", "Sanne Kuiper", PASS, PASS):
            await type_text(pilot, value)
            await pilot.press("enter")
        await visits.check(pilot, "RecoveryCodeScreen")
    session, _code, path = setup_db
    session.db.close()
    gate = make_app(path, now=clock)
    async with gate.run_test(size=(80, 24)) as pilot:
        await visits.check(pilot, "LoginScreen")
        await _press(pilot, "ctrl+r")
        await visits.check(pilot, "RecoverScreen")
    keys = path.with_name(path.name + ".keys")
    keys.rename(tmp_path / "elders.keys")
    async with make_app(path, now=clock).run_test(size=(80, 24)) as pilot:
        await visits.check(pilot, "NoticeScreen")
    (tmp_path / "elders.keys").rename(keys)
    await _damaged_gate(path, clock, visits)
    assert visits.problems == [], "\n".join(visits.problems)
    assert screen_classes() - visits.seen == set(), "screens without a route in this test"


async def _damaged_gate(path: Path, clock: FakeClock, visits: Visits) -> None:
    from wijkwerk_tui.ops import backup
    from wijkwerk_tui.security import vault

    session = vault.login(path, "Sanne Kuiper", PASS, clock)
    backup.make_backup(session.db, session.worker_id)
    session.db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"\xff" * 16 + path.read_bytes()[16:])
    app = make_app(path, now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "Sanne Kuiper")
        await pilot.press("enter")
        await type_text(pilot, PASS)
        await pilot.press("enter")
        await visits.check(pilot, "RestoreOffer")


def test_issue14_07_every_textual_binding_has_a_dutch_line() -> None:
    missing = sorted({b.description for b in BINDINGS if b.description} - set(DUTCH))
    assert missing == []


@pytest.mark.parametrize("args", [["--help"], ["demo", "--help"], ["export", "--help"], ["report", "--bogus"], []])
def test_issue14_07_the_command_line_speaks_dutch(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from wijkwerk_tui.cli import build_parser

    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(args or ["--no-such-option"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert text.strip()
    assert english_in(text, ARGPARSE_ENGLISH) == []


def test_issue14_07_every_argparse_message_has_a_dutch_line() -> None:
    from wijkwerk_tui.cli_dutch import DUTCH as CLI_DUTCH

    assert sorted(_gettext_literals(Path(argparse.__file__)) - set(CLI_DUTCH)) == []
