"""Pick several people by typing part of a name: Enter adds the highlighted match,
Backspace in the empty search field removes the last one. Knows nothing of the database:
the screen passes a `find` function."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

Find = Callable[[str], list[tuple[uuid.UUID, str]]]


class PeoplePicker(Vertical):
    DEFAULT_CSS = """
    PeoplePicker { height: auto; }
    PeoplePicker OptionList { height: auto; max-height: 5; }
    PeoplePicker #picked { height: auto; color: $text-muted; }
    """

    def __init__(self, find: Find, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._find = find
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
        matches = self.query_one("#people-matches", OptionList)
        matches.clear_options()
        query = event.value.strip()
        found = [(pid, label) for pid, label in self._find(query) if pid not in self.picked] if len(query) >= 2 else []
        for pid, label in found:
            matches.add_option(Option(Text(label), id=str(pid)))
        matches.display = bool(found)
        matches.highlighted = 0 if found else None

    def on_key(self, event: events.Key) -> None:
        search = self.query_one("#people-search", Input)
        matches = self.query_one("#people-matches", OptionList)
        if event.key in ("down", "up") and matches.display:
            event.stop()
            matches.action_cursor_down() if event.key == "down" else matches.action_cursor_up()
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
