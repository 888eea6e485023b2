"""Pick several people by typing part of a name: Enter adds the highlighted match,
Backspace in the empty search field removes the last one. Knows nothing of the database:
it asks its screen with a `Lookup` message, and the screen answers with `show_matches`."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

MIN_QUERY = 2


class PeoplePicker(Vertical):
    DEFAULT_CSS = """
    PeoplePicker { height: auto; }
    PeoplePicker OptionList { height: auto; max-height: 5; }
    PeoplePicker #picked { height: auto; color: $text-muted; }
    """

    class Lookup(Message):
        """The typed text changed: the screen looks it up (in a worker) and calls `show_matches`."""

        def __init__(self, picker: PeoplePicker, query: str) -> None:
            super().__init__()
            self.picker = picker
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.picked: dict[uuid.UUID, str] = {}

    @property
    def form_value(self) -> tuple[uuid.UUID, ...]:
        return tuple(self.picked)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="typ een naam; Enter koppelt", id="people-search", compact=True)
        matches = OptionList(id="people-matches")
        matches.can_focus = False
        yield matches
        yield Static(id="picked")

    def on_mount(self) -> None:
        self.query_one("#people-matches", OptionList).display = False
        self._show_picked()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        query = event.value.strip()
        if len(query) >= MIN_QUERY:
            self.post_message(self.Lookup(self, query))
        else:
            self.show_matches(query, [])

    def show_matches(self, query: str, found: list[tuple[uuid.UUID, str]]) -> None:
        """The people matching `query` (ignored when the text has moved on since)."""
        if query != self.query_one("#people-search", Input).value.strip():
            return
        matches = self.query_one("#people-matches", OptionList)
        matches.clear_options()
        shown = [(pid, label) for pid, label in found if pid not in self.picked]
        for pid, label in shown:
            matches.add_option(Option(Text(label), id=str(pid)))
        matches.display = bool(shown)
        matches.highlighted = 0 if shown else None

    def on_key(self, event: events.Key) -> None:
        search = self.query_one("#people-search", Input)
        matches = self.query_one("#people-matches", OptionList)
        if event.key in ("down", "up") and matches.display:
            event.stop()
            if event.key == "down":
                matches.action_cursor_down()
            else:
                matches.action_cursor_up()
        elif event.key == "backspace" and not search.value and self.picked:
            event.stop()
            self.picked.popitem()
            self._show_picked()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        matches = self.query_one("#people-matches", OptionList)
        if matches.display and matches.highlighted is not None:
            event.stop()  # Enter here links a person; it does not submit the form
            option = matches.get_option_at_index(matches.highlighted)
            self.picked[uuid.UUID(str(option.id))] = str(option.prompt)
            event.input.value = ""
            self._show_picked()

    def _show_picked(self) -> None:
        names = ", ".join(self.picked.values())
        self.query_one("#picked", Static).update(Text(f"Gekoppeld: {names}" if names else "Niemand gekoppeld"))
