"""A one-digit field that moves on by itself, so a ladder step costs one key."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input


class StepInput(Input):
    def __init__(self, top: int, **kwargs: Any) -> None:
        # Digits only: a letter typed here (a key meant for the signals) is refused as typed,
        # not kept for a save to refuse.
        super().__init__(max_length=1, compact=True, restrict=r"[0-9]*", **kwargs)
        self.top = top

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # A digit is not this Input's to consume: the app's binding for it (`quick_key`) must
        # stay in the chain, or Textual drops it as a key the focused Input would type.
        if character is not None and character.isdigit():
            return False
        return super().check_consume_key(key, character)

    def takes_quick_key(self, character: str) -> bool:
        return character.isdigit()

    def take_quick_key(self, character: str) -> None:
        """The digit, and on to the next field when it is a step: called by the app as the key
        arrives (`WijkwerkApp.action_quick_key`), so keys typed after it go to the next field."""
        self.value = character
        if 1 <= int(character) <= self.top:
            self.screen.focus_next()

    def on_key(self, event: events.Key) -> None:
        # Runs before Input's own key handling (this class comes first in the MRO), which
        # `prevent_default` then skips.
        focused = self.screen.focused
        if focused is not None and focused is not self:
            # A fast typist's keys arrive in one burst and are queued here before the focus
            # moved on (seen in a real terminal): pass them on to the field that has it now.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            self.value = event.character
            if 1 <= int(event.character) <= self.top:
                self.screen.focus_next()
