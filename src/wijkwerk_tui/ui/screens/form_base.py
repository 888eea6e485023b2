"""What every form shares: Ctrl+S saves in one store call, errors land at their field,
Escape on a changed form asks before discarding.

Subclasses build their fields with `field(...)` and implement `save()`, which calls one
store function and returns a short Dutch confirmation. A ValidationError raised there is
shown at the field it names; nothing was written, because the store rolled back.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea

from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.ui.screens.confirm import ConfirmDialog
from wijkwerk_tui.ui.widgets.field import FormField
from wijkwerk_tui.ui.widgets.footer import Footer

_VALUE_WIDGETS = (Input, Select, Checkbox, TextArea)


class FormScreen(ModalScreen[bool]):
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
        Binding("ctrl+s", "save", "Opslaan", id="form.save", priority=True),
        Binding("escape", "cancel", "Terug", id="form.cancel"),
    ]

    form_title = "Formulier"

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
        body = self.query_one(f"#field-{name}", FormField).body
        if isinstance(body, TextArea):
            return body.text
        if isinstance(body, Select):
            return None if body.value is Select.NULL else body.value
        return body.value  # type: ignore[attr-defined]

    def snapshot(self) -> tuple[Any, ...]:
        values: list[Any] = []
        for widget in self.query("*"):
            if isinstance(widget, TextArea):
                values.append(widget.text)
            elif isinstance(widget, _VALUE_WIDGETS):
                values.append(widget.value)  # type: ignore[attr-defined]
            elif isinstance(widget, OptionList):
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

    # -- actions ------------------------------------------------------------
    def save(self) -> str:
        """Validate, call one store function, return a Dutch confirmation."""
        raise NotImplementedError

    def action_save(self) -> None:
        self.clear_errors()
        try:
            message = self.save()
        except DomainError as error:
            self.show_error(error)
            return
        except Exception as error:  # noqa: BLE001 - never a traceback on screen; the store rolled back
            self.query_one("#form-error", Static).update(
                Text(
                    f"⚠ Opslaan is niet gelukt ({type(error).__name__}). Er is niets opgeslagen; uw invoer staat er nog."
                )
            )
            return
        # Something was written: screens below reload when they come back into view.
        self.app.data_version = getattr(self.app, "data_version", 0) + 1  # type: ignore[attr-defined]
        self.after_save(message)

    def after_save(self, message: str) -> None:
        """Hook: what happens once the store committed. Default: confirm and close."""
        self.app.notify(message, markup=False)
        self.dismiss(True)

    discard_question = "Wijzigingen niet opslaan en het formulier sluiten?"

    def discard(self) -> None:
        """Hook: close without saving."""
        self.dismiss(False)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.discard()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.discard()

        self.app.push_screen(ConfirmDialog(self.discard_question), answered)
