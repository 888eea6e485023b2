"""A labelled form field with a place for its own Dutch error message."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static


class FormField(Vertical):
    """Label and input on one line, the error (if any) right below it."""

    DEFAULT_CSS = """
    FormField { height: auto; margin-bottom: 0; }
    FormField > Horizontal { height: auto; }
    FormField .field-label { width: 20; padding-right: 1; color: $text-muted; }
    FormField .field-body { width: 1fr; height: auto; }
    FormField .field-error { display: none; color: $text-error; padding-left: 20; height: auto; }
    FormField.-invalid .field-error { display: block; }
    FormField.-invalid .field-label { color: $text-error; text-style: bold; }
    """

    def __init__(self, label: str, body: Widget, field: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"field-{field}")
        self.field = field
        self._label = label
        self._body = body

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(Text(self._label), classes="field-label")
            with Vertical(classes="field-body"):
                yield self._body
        yield Static(classes="field-error")

    @property
    def body(self) -> Widget:
        return self._body

    def set_error(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-error", Static).update(Text(f"⚠ {message}" if message else ""))

    @property
    def error(self) -> str:
        if not self.has_class("-invalid"):
            return ""
        return str(self.query_one(".field-error", Static).render()).removeprefix("⚠ ")
