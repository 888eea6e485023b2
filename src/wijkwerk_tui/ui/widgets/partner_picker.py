"""Type-ahead over the sociale kaart: type part of a name or kind, arrows pick, the
highlighted partner is the choice. Knows nothing of the database: it is given the list."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkwerk_tui.domain.text import fold

Partner = tuple[uuid.UUID, str, str]  # id, name, kind
NONE_FOUND = "Geen partner op de sociale kaart gevonden met deze letters."


class PartnerPicker(Vertical):
    DEFAULT_CSS = """
    PartnerPicker { height: auto; }
    PartnerPicker OptionList { height: auto; max-height: 6; }
    PartnerPicker #partner-none { color: $text-warning; height: auto; }
    """

    class Changed(Message):
        """The search text changed (its Input's own Changed stays inside the picker)."""

        def __init__(self, picker: PartnerPicker, query: str) -> None:
            super().__init__()
            self.picker = picker
            self.query = query

        @property
        def control(self) -> PartnerPicker:
            return self.picker

    def __init__(self, partners: list[Partner], *, id: str | None = None, optional: bool = False) -> None:
        """`optional`: nothing is chosen until something is typed, and the list stays out of the Tab order."""
        super().__init__(id=id)
        self._partners = partners
        self._optional = optional

    def compose(self) -> ComposeResult:
        yield Input(placeholder="typ om te zoeken op de sociale kaart", id="partner-search", compact=True)
        yield OptionList(id="partner-list")
        yield Static(Text(NONE_FOUND, style="italic"), id="partner-none")
        yield Static(id="partner-chosen")

    def on_mount(self) -> None:
        if self._optional:
            self.query_one("#partner-list", OptionList).can_focus = False
        self._fill("")

    def _fill(self, query: str) -> None:
        needle = fold(query)
        listing = self.query_one("#partner-list", OptionList)
        listing.clear_options()
        listing.display = not (self._optional and not needle)
        if self._optional and not needle:
            self.query_one("#partner-none", Static).display = False
            self.query_one("#partner-chosen", Static).display = False
            return
        for pid, name, kind in self._partners:
            if not needle or needle in fold(f"{name} {kind}"):
                label = Text(name)
                if kind:
                    label.append(f"  ({kind})", style="dim")
                listing.add_option(Option(label, id=str(pid)))
        listing.highlighted = 0 if listing.option_count else None
        # An empty list would be an empty box: say that nothing matches instead.
        listing.display = bool(listing.option_count)
        self.query_one("#partner-none", Static).display = bool(needle) and not listing.option_count
        self._show_chosen()

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._show_chosen()

    def _show_chosen(self) -> None:
        """Which partner a save would refer to, in words: with several matches the first is
        highlighted, and a worker answering the sharing question must see whom it is for."""
        chosen = self.query_one("#partner-chosen", Static)
        listing = self.query_one("#partner-list", OptionList)
        several = listing.option_count > 1
        chosen.display = self._optional and listing.highlighted is not None and listing.display
        if not chosen.display:
            return
        name = next((n for pid, n, _k in self._partners if str(pid) == self._highlighted_id()), "")
        line = Text(f"→ {name}", style="bold")
        if several:
            line.append(f"  ({listing.option_count} gevonden: ↑/↓ kiest)", style="italic")
        chosen.update(line)

    def _highlighted_id(self) -> str:
        listing = self.query_one("#partner-list", OptionList)
        if listing.highlighted is None:
            return ""
        return listing.get_option_at_index(listing.highlighted).id or ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "partner-search":
            event.stop()
            self._fill(event.value)
            self.post_message(self.Changed(self, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "partner-search":
            event.stop()
            self.query_one("#partner-list", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        # Down from the search box goes into the list (or, when optional, moves the highlight).
        listing = self.query_one("#partner-list", OptionList)
        if event.key in ("down", "up") and isinstance(self.screen.focused, Input):
            event.stop()
            if self._optional:
                if event.key == "down":
                    listing.action_cursor_down()
                else:
                    listing.action_cursor_up()
            else:
                listing.focus()

    @property
    def value(self) -> uuid.UUID | None:
        listing = self.query_one("#partner-list", OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id
        return uuid.UUID(option_id) if option_id else None
