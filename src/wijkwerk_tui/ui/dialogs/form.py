"""What every form shares: Ctrl+S saves in one store call, off the UI thread; errors land at
their field; Escape on a changed form asks before discarding.

Subclasses build their fields with `field(...)` and implement `save()`: it reads and checks
the fields on the UI thread and returns the one store call that writes them (a `Write`),
which runs in a thread worker and returns a short Dutch confirmation. A DomainError raised
on either side is shown at the field it names (or under the form); nothing was written,
because the store rolled back. Anything else is the app's notice, and the form stays as typed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker

from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.ui.base import AppModal
from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog
from wijkwerk_tui.ui.widgets.field import FormField
from wijkwerk_tui.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual.widgets import Checkbox, OptionList, Select, TextArea

    from wijkwerk_tui.services.undo import Done

# The store call a form makes, ready to run in a thread: returns the confirmation, or that with
# what an undo would take back (`services.undo.Done`).
Write = Callable[[], "str | Done"]
NOT_SAVED = "⚠ Opslaan is niet gelukt. Er is niets opgeslagen; uw invoer staat er nog."


def _if_loaded(module: str, name: str) -> Any:
    """Textual's widget class `name` if its module is loaded, else () (nothing is an instance
    of it): no widget of a class not yet imported can be on screen. The login, drawn before
    anything else, has none of these, and importing them would hold back its first frame."""
    loaded = sys.modules.get(f"textual.widgets.{module}")
    return getattr(loaded, name) if loaded is not None else ()


class FormScreen(AppModal[bool]):
    """A modal form. Dismisses with True after a save, False when discarded."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical#form {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FormScreen #form-title { text-style: bold; color: $accent; height: auto; }
    FormScreen #form-body { height: auto; max-height: 1fr; }
    FormScreen #form-error { color: $text-error; height: auto; }
    FormScreen #form-hint { color: $text-muted; height: 1; }
    """
    BINDINGS = [
        # Not a priority binding: it waits for the keys typed before it (a priority binding
        # saved while the last characters were still on their way to the field).
        Binding("ctrl+s", "save", "Opslaan", id="form.save"),
        Binding("escape", "cancel", "Terug", id="form.cancel"),
    ]

    form_title = "Formulier"
    asks_before_quit = True  # Ctrl+Q on a changed form asks first (gates and the intake need not)
    writing = False  # a save is running in its thread: a second Ctrl+S or Escape waits for it

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(self.form_title), id="form-title")
            body = VerticalScroll(id="form-body")
            body.can_focus = False  # focus goes to the fields, not to the scroll area
            with body:
                yield from self.compose_fields()
            yield Static(id="form-error")
            yield Static(Text("Ctrl+S opslaan · Esc terug · Tab volgend veld"), id="form-hint")
        yield Footer()

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self._initial = self.snapshot()
        for widget in self.query_one("#form-body").query("*"):
            if widget.focusable:
                widget.focus()
                break
        self.prepare()

    def prepare(self) -> None:
        """Hook: fill fields after mount (before the first snapshot counts, call `rebaseline`)."""

    def rebaseline(self) -> None:
        self._initial = self.snapshot()

    # -- fields ---------------------------------------------------------
    def field(self, label: str, body: Widget, name: str) -> FormField:
        return FormField(label, body, name)

    def value_of(self, name: str) -> Any:
        from textual.widgets import Select, TextArea

        body = self.query_one(f"#field-{name}", FormField).body
        if isinstance(body, TextArea):
            return body.text
        if isinstance(body, Select):
            return None if body.value is Select.NULL else body.value
        return getattr(body, "value", None)

    def snapshot(self) -> tuple[Any, ...]:
        values: list[Any] = []
        text_area: type[TextArea] = _if_loaded("_text_area", "TextArea")
        select: type[Select[Any]] = _if_loaded("_select", "Select")
        checkbox: type[Checkbox] = _if_loaded("_checkbox", "Checkbox")
        option_list: type[OptionList] = _if_loaded("_option_list", "OptionList")
        for widget in self.query("*"):
            if isinstance(widget, text_area):
                values.append(widget.text)
            elif isinstance(widget, (Input, select, checkbox)):
                values.append(widget.value)
            elif isinstance(widget, option_list):
                values.append(widget.highlighted)
            elif hasattr(widget, "form_value"):
                values.append(widget.form_value)
        return tuple(values)

    @property
    def dirty(self) -> bool:
        return self.snapshot() != getattr(self, "_initial", ())

    # -- errors -----------------------------------------------------------
    def clear_errors(self) -> None:
        for field in self.query(FormField):
            field.set_error(None)
        self.query_one("#form-error", Static).update("")

    def show_error(self, error: DomainError) -> None:
        target = None
        field = getattr(error, "field", None)  # ValidationError, and login errors
        if field:
            matches = [f for f in self.query(FormField) if f.field == field]
            target = matches[0] if matches else None
        if target is None:
            self.query_one("#form-error", Static).update(Text(f"⚠ {error.message}"))
            return
        target.set_error(error.message)
        target.body.focus()
        target.scroll_visible()

    # -- saving -------------------------------------------------------------
    def save(self) -> Write:
        """Read and check the fields; return the store call that writes them."""
        raise NotImplementedError

    def action_save(self) -> None:
        if self.writing:
            return
        self.clear_errors()
        try:
            write = self.save()
        except DomainError as error:
            self.show_error(error)
            return
        self.writing = True
        self._write(write)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False, description="form-save")
    def _write(self, write: Write) -> None:
        try:
            message = write()
        except DomainError as error:  # refused: the store rolled back, nothing was written
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self._written, message)

    def _refused(self, error: DomainError) -> None:
        self.writing = False
        self.refused(error)

    def refused(self, error: DomainError) -> None:
        """Hook: the store (or the vault) said no."""
        self.show_error(error)

    def _written(self, result: str | Done) -> None:
        self.writing = False
        self.app.saved()
        if not isinstance(result, str):
            if result.undo is not None:
                self.app.remember_save(result.undo)
            result = result.message
        self.after_save(result)

    def work_failed(self, worker: Worker[Any]) -> None:
        self.writing = False
        self.query_one("#form-error", Static).update(Text(NOT_SAVED))

    def after_save(self, message: str) -> None:
        """Hook: what happens once the store committed. Default: confirm and close."""
        self.app.notify(message, markup=False)
        self.dismiss(True)

    # -- leaving --------------------------------------------------------------
    discard_question = "Wijzigingen niet opslaan en het formulier sluiten?"

    def discard(self) -> None:
        """Hook: close without saving."""
        self.dismiss(False)

    def action_cancel(self) -> None:
        if self.writing:
            return
        if not self.dirty:
            self.discard()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.discard()

        self.app.push_screen(ConfirmDialog(self.discard_question), answered)
