"""A one-digit field that moves on by itself, so a ladder step costs one key."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class StepInput(Input):
    def __init__(self, top: int, **kwargs: object) -> None:
        super().__init__(max_length=1, compact=True, **kwargs)  # type: ignore[arg-type]
        self.top = top

    async def _on_key(self, event: events.Key) -> None:
        # A fast typist's keys arrive in one burst and are queued here before the focus moved
        # on (seen in a real terminal): pass them on to the field that has the focus now.
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        if event.character and event.character.isdigit():
            event.stop()
            event.prevent_default()
            self.value = event.character
            if 1 <= int(event.character) <= self.top:
                self.screen.focus_next()
            return
        await super()._on_key(event)
