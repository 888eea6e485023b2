"""What `ui.textual_private` borrows from Textual is still there and still means the same.

If a Textual release renames or reshapes any of it, this fails before the crash report
with local variables (a resident's data on a shared screen) can come back unnoticed.
"""

import asyncio
import inspect

from textual.app import App

from wijkwerk_tui.ui.app import WijkwerkApp


def test_the_private_hook_and_fields_exist() -> None:
    app: App[object] = App()
    assert callable(app._handle_exception)
    assert inspect.signature(App._handle_exception).parameters.keys() == {"self", "error"}
    assert app._exception is None and isinstance(app._exception_event, asyncio.Event)
    assert app._exit_renderables == [] and hasattr(app, "_return_code")
    assert callable(app._close_messages_no_wait)


def test_textual_still_prints_locals_there_and_we_replace_it() -> None:
    # Textual's own report shows local variables: the reason for the override.
    assert "show_locals=True" in inspect.getsource(App._fatal_error)
    assert WijkwerkApp._handle_exception is not App._handle_exception
