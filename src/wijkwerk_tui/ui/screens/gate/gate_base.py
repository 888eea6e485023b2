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
        # Enter in a field moves on at once, before the next key is handed out: as a message
        # from the Input it came later, and a passphrase typed fast after the name landed in
        # the name field, in clear.
        Binding("enter", "enter", "Volgend veld", id="gate.enter", priority=True, show=False),
        Binding("escape", "cancel", "Terug", id="gate.cancel", show=False),
    ]
    hint = "Enter volgend veld · Ctrl+S verder"
    asks_before_quit = False  # a name or a passphrase typed here is nothing to lose

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#form-hint", Static).update(self.hint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":  # only in a text field: elsewhere Enter keeps its own meaning
            return isinstance(self.focused, Input)
        return super().check_action(action, parameters)

    def action_enter(self) -> None:
        """Enter moves on; in the last field it submits."""
        field = self.focused
        if not isinstance(field, Input):
            return
        inputs = [i for i in self.query(Input) if i.display and not i.disabled]
        last = bool(inputs) and field is inputs[-1]
        if not last:
            self.focus_next()  # at once: the next key typed goes to the next field
        # What the field holds is read once the keys already on their way to it are in.
        field.call_later(self._entered, field, last)

    def _entered(self, field: Input, last: bool) -> None:
        self.completed(field)
        if last:
            self.action_save()

    def completed(self, field: Input) -> None:
        """Hook: Enter was pressed in `field` and all it was typed has arrived."""

    def action_cancel(self) -> None:
        """No Escape out of a gate (subclasses may go back to the previous gate)."""
