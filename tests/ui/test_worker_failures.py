"""One rule for leaving the UI thread: every worker that fails gives one Dutch notice, without
details, and leaves the screen usable.

Every `@work` method in the UI is found by introspection; each is made to fail once (its
body replaced by one that raises with a resident's name in the message, its `@work`
options kept) and driven the way a person reaches it. A new `@work` method without a
driver here fails `test_every_worker_has_a_driver`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import textual._work_decorator
from textual import work
from textual.pilot import Pilot
from textual.widgets import Input

import wijkwerk_tui.ui
from tests.conftest import FROZEN_NOW
from tests.ui.helpers import settle, type_text
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.queries.search import search_residents
from wijkwerk_tui.store import settings, workers
from wijkwerk_tui.ui.app import WijkwerkApp, make_app
from wijkwerk_tui.ui.dialogs.form import NOT_SAVED
from wijkwerk_tui.ui.dialogs.help import HelpScreen
from wijkwerk_tui.ui.safe_errors import FAILED

SECRET = "Hoekstra"  # what an exception's message might quote: never on screen


def work_methods() -> dict[str, tuple[type, str]]:
    """Every method in the UI package decorated with Textual's `@work`, as Class.method."""
    found: dict[str, tuple[type, str]] = {}
    for info in pkgutil.walk_packages(wijkwerk_tui.ui.__path__, "wijkwerk_tui.ui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not (isinstance(cls, type) and cls.__module__ == module.__name__):
                continue
            for attr, value in vars(cls).items():
                code = getattr(value, "__code__", None)
                if code is not None and code.co_filename == textual._work_decorator.__file__:
                    found[f"{cls.__name__}.{attr}"] = (cls, attr)
    return found


def broken_copy(cls: type, attr: str, calls: list[str]) -> Callable[..., Any]:
    """The same `@work` options, a body that fails with personal data in its message."""
    options = inspect.getclosurevars(vars(cls)[attr]).nonlocals

    def fails(self: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(attr)
        raise RuntimeError(f"{SECRET}, 1951, Ruinen: kon niet verder")

    fails.__name__ = attr
    return work(
        fails,
        thread=options["thread"],
        group=options["group"],
        exclusive=options["exclusive"],
        exit_on_error=options["exit_on_error"],
    )


Driver = Callable[[Pilot[object], WijkwerkApp, uuid.UUID], Awaitable[None]]


async def _resident(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    app.open_resident(rid)
    await settle(pilot)


async def _press(pilot: Pilot[object], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def keys(*pressed: str, resident: bool = False) -> Driver:
    async def drive(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
        if resident:
            await _resident(pilot, app, rid)
        await _press(pilot, *pressed)

    return drive


def call(action: Callable[[WijkwerkApp], object], *then: str) -> Driver:
    async def drive(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
        action(app)
        await settle(pilot)
        if then:
            await _press(pilot, *then)

    return drive


async def _handle_alerts(pilot: Pilot[object], app: WijkwerkApp) -> None:
    """With an alert from the hub kept, Meldingen afhandelen asks, and "j" marks it handled."""
    said = [{"id": str(uuid.uuid4()), "at": FROZEN_NOW.isoformat(), "said": "Audittrail van laptop a: ingekort"}]
    settings.set_value(app.db, settings.HUB_AUDIT_ALERTS, json.dumps(said))
    app.action_alerts_seen()
    await settle(pilot)
    await _press(pilot, "j")


async def _people(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    app.action_activities()
    await settle(pilot)
    await _press(pilot, "a")
    app.screen.query_one("#people-search", Input).focus()
    await type_text(pilot, "jans")
    await settle(pilot)


async def _deactivate(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    app.action_accounts()
    await settle(pilot)
    await _press(pilot, "down", "d")  # the second account: not one's own


async def _intake_typed(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _press(pilot, "n")
    await type_text(pilot, "Jansen")
    await _press(pilot, "tab")  # leaving a field writes the draft


async def _intake_discarded(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _intake_typed(pilot, app, rid)
    await _press(pilot, "escape", "j")


async def _reload_resident(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _resident(pilot, app, rid)
    app.screen.load()
    await settle(pilot)


async def _remove_export(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    app.export_dir.mkdir(parents=True, exist_ok=True)
    (app.export_dir / "rapportage-20260101-20261231.md").write_text("# Rapportage")
    app.action_exports()
    await settle(pilot)
    await _press(pilot, "x", "j")


async def _existing_chosen(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    [row] = search_residents(app.db, "", limit=1)
    await _press(pilot, "n")
    await type_text(pilot, row.name)
    await settle(pilot)
    await _press(pilot, "ctrl+d", "enter")  # the existing resident: his consent on file is read


async def _undone(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _resident(pilot, app, rid)
    await _press(pilot, "c", "ctrl+s")  # a contact moment saved
    await settle(pilot)
    await _press(pilot, "ctrl+o", "j")  # and taken back


async def _report_export(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    from wijkwerk_tui.ui.dialogs.story_review import StoryReviewDialog

    app.action_report()
    await settle(pilot)
    await _press(pilot, "ctrl+e")
    while isinstance(app.screen, StoryReviewDialog):  # the demo's stories that name someone
        await _press(pilot, "ctrl+d")


async def _frozen_compare(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    from datetime import date

    from wijkwerk_tui.domain import report_build
    from wijkwerk_tui.queries import report_data
    from wijkwerk_tui.store import frozen_reports

    period = report_data.Period(date(2026, 1, 1), date(2026, 6, 30))
    built = report_build.build(report_data.load(app.db, app.worker_id, period))
    frozen_reports.freeze(app.db, app.worker_id, built, None)
    app.action_frozen_reports()
    await settle(pilot)
    await _press(pilot, "enter")


def _import_file() -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "lijst.csv"
    path.write_text("naam;geboortejaar;wie;PL 2025\nBakker, Gerrit;1944;x;2\n", encoding="utf-8")
    return path


async def _import_previewed(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    app.action_import()
    await settle(pilot)
    await type_text(pilot, str(_import_file()))
    await _press(pilot, "enter")


async def _import_remembered(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _import_previewed(pilot, app, rid)
    app.screen.query_one("#import-columns").focus()
    await _press(pilot, "down", "down", "enter", "end", "enter")  # "wie": not imported
    await _press(pilot, "b")


async def _import_applied(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _import_previewed(pilot, app, rid)
    await _press(pilot, "ctrl+s", "j")


async def _import_undone(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    await _import_applied(pilot, app, rid)
    await _press(pilot, "i", "x", "j")


async def _conflict_chosen(pilot: Pilot[object], app: WijkwerkApp, rid: uuid.UUID) -> None:
    """A conflict the last sync brought (as the laptop keeps it), chosen with 1."""
    from datetime import UTC, datetime

    from wijkwerk_tui.db.sync_tables import HubConflict

    with app.db.transaction() as session:
        session.add(
            HubConflict(
                table_name="resident",
                row_id=rid,
                field="phone",
                hub_value='"0612345678"',
                their_value='"0687654321"',
                their_device="b",
                their_hlc="",
                change_id=uuid.uuid4(),
                made_at=datetime.now(UTC),
            )
        )
    app.action_conflicts()
    await settle(pilot)
    await _press(pilot, "1")


STARTUP = {"WijkwerkApp._session_start", "WijkwerkApp._daily_backup"}  # fail while the app starts

DRIVERS: dict[str, Driver] = {
    "StartScreen.load": keys("r"),
    "ResidentsScreen.search": keys("slash", "j", "a"),
    "OverviewsScreen.fetch": keys("o"),
    "PartnersScreen.load": keys("k"),
    "PartnersScreen._toggle": keys("k", "x"),
    "ActivitiesScreen.load": call(lambda app: app.action_activities()),
    "ActivityForm._find": _people,
    "FormScreen._write": keys("c", "ctrl+s", resident=True),
    "IntakeScreen._write_draft": _intake_typed,
    "IntakeScreen.find_duplicates": keys("n", "J", "a", "n", "s", "e", "n"),
    "LockScreen.load_names": keys("ctrl+l"),
    "Navigation._backup_now": call(lambda app: app.action_backup_now()),
    "Navigation._open_resident": _resident,
    "Navigation._push_loaded": keys("slash"),
    "Navigation._retention_count": call(lambda app: app.action_retention()),
    "Navigation._retention_sweep": call(lambda app: app._retention_sweep()),
    "ReportScreen._compute": call(lambda app: app.action_report()),
    "ReportScreen._check_stories": call(lambda app: app.action_report(), "ctrl+e"),
    "ReportScreen._export": _report_export,
    "ReportScreen._freeze": call(lambda app: app.action_report(), "ctrl+t", "j"),
    "FrozenReportsScreen._compare": _frozen_compare,
    "ResidentScreen._erase": keys("x", "j", resident=True),
    "ResidentScreen._inzage": keys("i", resident=True),
    "ResidentScreen._remember": _resident,
    "ResidentScreen.load": _reload_resident,
    "WhoLookedScreen._load": keys("w", resident=True),
    "ExportsScreen._remove": _remove_export,
    "AccountsScreen.load": call(lambda app: app.action_accounts()),
    "CheckScreen.run_check": call(lambda app: app.action_check()),
    "AccountsScreen._deactivate": _deactivate,
    "WijkwerkApp._audit_lock": keys("ctrl+l"),
    "WijkwerkApp._daily_backup": keys(),
    "WijkwerkApp._load_draft": call(lambda app: app._load_draft()),
    "WijkwerkApp._session_start": keys(),
    "WijkwerkApp.drop_draft": _intake_discarded,
    "IntakeScreen._load_consent": _existing_chosen,
    "UndoLastSave._undo": _undone,
    "ImportScreen._load": _import_previewed,
    "ImportScreen._apply": _import_applied,
    "ImportScreen._remember": _import_remembered,
    "ImportBatchesScreen._undo": _import_undone,
    "Syncing._sync": keys("f5"),
    "ConflictsScreen._choose": _conflict_chosen,
    "ConflictsScreen._reload": call(lambda app: app.action_conflicts(), "f1", "escape"),
    "MergeForm._find": keys("m", "j", "a", resident=True),
    "Syncing._ask_alerts_seen": call(lambda app: app.action_alerts_seen()),
    "Syncing._alerts_seen": lambda pilot, app, rid: _handle_alerts(pilot, app),
    "UnusualViewsScreen.load": call(lambda app: app.action_unusual_views()),
    "WorkerAreasDialog.load": call(lambda app: app.action_accounts(), "b"),
    "WorkerAreasDialog._save": call(lambda app: app.action_accounts(), "b", "ctrl+s"),
}


def test_every_worker_has_a_driver() -> None:
    found = work_methods()
    assert len(found) >= 25  # the introspection finds them (it found 30 when this was written)
    assert set(found) == set(DRIVERS)
    for cls, attr in found.values():
        options = inspect.getclosurevars(vars(cls)[attr]).nonlocals
        assert options["exit_on_error"] is False, attr  # a failure is handled, never the app's end
        # Textual otherwise describes a worker by its arguments (a typed name, a draft) in its log.
        assert options["description"], attr


async def _still_usable(pilot: Pilot[object], app: WijkwerkApp) -> None:
    """The app goes on: the screen answers keys (the focused field takes them, or the help opens and closes)."""
    assert app.return_code is None
    focused = app.screen.focused
    if isinstance(focused, Input):  # a field takes what is typed (there `?` is a character)
        before_text = focused.value
        await type_text(pilot, "1")
        assert focused.value != before_text and focused.value.endswith("1")
        return
    before = app.screen
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is before


@pytest.mark.parametrize("method", sorted(DRIVERS))
async def test_a_failing_worker_gives_the_notice_and_a_usable_screen(
    method: str, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls, attr = work_methods()[method]
    calls: list[str] = []
    coordinator = next(w for w in workers.list_workers(demo_db) if w.role == "coordinator")
    rid = search_residents(demo_db, "", limit=1)[0].id
    app = make_app(db=demo_db, now=FROZEN_NOW, worker=coordinator)
    app.export_dir = tmp_path / "export"
    notices: list[str] = []
    notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, *a, **k: (notices.append(str(message)), notify(message, *a, **k))
    )
    if method in STARTUP:
        monkeypatch.setattr(cls, attr, broken_copy(cls, attr, calls))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if method not in STARTUP:
            monkeypatch.setattr(cls, attr, broken_copy(cls, attr, calls))
        await DRIVERS[method](pilot, app, rid)
        await settle(pilot)
        assert calls, f"the driver did not reach {method}"
        assert FAILED in notices, notices
        assert not any(SECRET in notice for notice in notices)
        monkeypatch.undo()  # it failed once; the app goes on with the real thing
        await _still_usable(pilot, app)


async def test_a_failed_save_keeps_the_form_and_can_be_tried_again(demo_db: Database) -> None:
    cls, attr = work_methods()["FormScreen._write"]
    calls: list[str] = []
    rid = search_residents(demo_db, "", limit=1)[0].id
    app = make_app(db=demo_db, now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _resident(pilot, app, rid)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(cls, attr, broken_copy(cls, attr, calls))
            await _press(pilot, "c")
            form = app.screen
            form.query_one("#duration_min", Input).value = "25"
            await _press(pilot, "ctrl+s")
            assert NOT_SAVED in str(form.query_one("#form-error").render())
            assert form.query_one("#duration_min", Input).value == "25"  # nothing typed is lost
            await _press(pilot, "ctrl+s")
            assert calls == ["_write", "_write"]  # not stuck "saving"
        await _press(pilot, "ctrl+s")  # the real save now
        assert app.screen is not form


async def test_a_store_call_failing_in_the_search_worker(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store itself fails: a notice, the screen stays, the next key searches."""
    import wijkwerk_tui.ui.screens.lists.residents as screen_module

    real = screen_module.search_residents

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"no such column near '{SECRET}'")

    app = make_app(db=demo_db, now=FROZEN_NOW)
    notices: list[str] = []
    notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, *a, **k: (notices.append(str(message)), notify(message, *a, **k))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _press(pilot, "slash")
        screen = app.screen
        monkeypatch.setattr(screen_module, "search_residents", broken)
        await type_text(pilot, "ja")
        await settle(pilot)
        assert notices and notices[-1] == FAILED and not any(SECRET in n for n in notices)
        assert app.screen is screen
        monkeypatch.setattr(screen_module, "search_residents", real)
        await type_text(pilot, "n")
        await settle(pilot)
        assert screen.shown_query == "jan"
