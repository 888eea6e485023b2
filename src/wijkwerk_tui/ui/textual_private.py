"""Textual's private API, in one place: used only where Textual offers no public way.

Each use says why; `tests/ui/test_textual_private.py` fails when a Textual release changes
what is used here, so an upgrade cannot silently bring back the crash report with locals.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import RenderableType
from textual.app import App


def fail_without_locals(app: App[Any], error: Exception, report: RenderableType) -> None:
    """What `App._handle_exception` does, with `report` instead of Textual's crash report.

    Textual prints a traceback *with local variables* (a resident's data) when an exception
    escapes, and the only hook is the private `_handle_exception`. Its bookkeeping is kept:
    the return code, the first exception (which `run_test` re-raises in tests), and the
    orderly close.
    """
    app._return_code = 1
    if app._exception is None:
        app._exception = error
        app._exception_event.set()
    app.bell()
    app._exit_renderables.append(report)
    app._close_messages_no_wait()


def guard_pastes() -> None:
    """Give Textual's terminal drivers an input parser that defuses ESC inside a paste.

    A driver builds its `XTermParser` inside its input thread, from its module's global
    name, and Textual has no setting or hook for the input stream; so that name is pointed
    at a subclass whose `feed` filters through `PasteGuard` first. Idempotent.
    """
    from textual._xterm_parser import XTermParser
    from textual.drivers import linux_driver

    from wijkwerk_tui.ui.paste_guard import PasteGuard

    if getattr(linux_driver.XTermParser, "guards_pastes", False):
        return

    class PasteSafeParser(XTermParser):
        guards_pastes = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._guard = PasteGuard()

        def feed(self, data: str) -> Any:
            return super().feed(self._guard.filter(data) if data else data)

    drivers: list[Any] = [linux_driver]
    if sys.platform == "win32":  # Windows Terminal sends the same sequences
        from textual.drivers import win32

        drivers.append(win32)
    for driver in drivers:
        setattr(driver, "XTermParser", PasteSafeParser)  # noqa: B010 - mypy: a class is no variable
