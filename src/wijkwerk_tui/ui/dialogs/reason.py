"""Break-glass: the reason to open a file outside one's areas and caseload (store.scope).
Enter opens it with the reason, Escape does not open it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.need_to_know import MAX_REASON, REASON_HINT, check_reason


class ReasonDialog(ModalScreen[str]):
    DEFAULT_CSS = """
    ReasonDialog { align: center middle; }
    ReasonDialog > Vertical {
        width: 70; max-width: 100%; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ReasonDialog #reason-error { color: $error; height: auto; }
    ReasonDialog #reason-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss('')", "Niet openen", id="reason.cancel")]

    def __init__(self, explanation: str) -> None:
        super().__init__()
        self._explanation = explanation

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._explanation))
            yield Label("Reden")
            yield Input(id="reason", max_length=MAX_REASON, placeholder="bijv. belde over een gezamenlijke afspraak")
            yield Static("", id="reason-error")
            yield Static(Text(REASON_HINT))
            yield Static("Enter openen met deze reden · Escape niet openen", id="reason-keys")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#reason-error", Static).update("")  # (said for what was typed before)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            reason = check_reason(event.value)
        except ValidationError as refused:
            self.query_one("#reason-error", Static).update(Text(refused.message))
            return
        self.dismiss(reason)
