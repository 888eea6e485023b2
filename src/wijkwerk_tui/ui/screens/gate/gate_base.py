"""Forms that stand in front of the app (setup, login, recovery, lock): opaque, no way around them."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, Static

from wijkwerk_tui.ui.dialogs.form import FormScreen


class GateScreen(FormScreen):
    """A form that covers everything below it. Enter in the last field submits."""

    DEFAULT_CSS = """
    GateScreen { background: $background; }
    GateScreen #gate-banner { color: $warning; text-style: bold; height: auto; }
    GateScreen #gate-note { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Verder", id="gate.submit", priority=True),
        Binding("escape", "cancel", "Terug", id="gate.cancel", show=False),
    ]
    hint = "Enter volgend veld · Ctrl+S verder"
    asks_before_quit = False  # a name or a passphrase typed here is nothing to lose

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#form-hint", Static).update(self.hint)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on; in the last field it submits."""
        event.stop()
        inputs = [i for i in self.query(Input) if i.display and not i.disabled]
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        """No Escape out of a gate (subclasses may go back to the previous gate)."""
