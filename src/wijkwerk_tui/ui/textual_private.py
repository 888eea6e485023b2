"""Textual's private API, in one place: used only where Textual offers no public way.

Each use says why; `tests/ui/test_textual_private.py` fails when a Textual release changes
what is used here, so an upgrade cannot silently bring back the crash report with locals.
"""

from __future__ import annotations

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
