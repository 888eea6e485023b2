"""Single-key choices for fast entry: signal categories toggled by a letter, and a j/n answer.

Both say their state in words, not only in colour.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget


class KeyToggles(Widget, can_focus=True):
    """Options each with its own key; pressing the key switches the option on or off."""

    DEFAULT_CSS = """
    KeyToggles { height: auto; }
    KeyToggles:focus { background: $boost; }
    """

    class Changed(Message):
        def __init__(self, toggles: KeyToggles) -> None:
            super().__init__()
            self.toggles = toggles

    def __init__(self, options: list[tuple[str, str, str]], *, id: str | None = None) -> None:
        """`options`: (key, code, label)."""
        super().__init__(id=id)
        self._options = options
        self._on: set[str] = set()

    @property
    def form_value(self) -> tuple[str, ...]:
        return tuple(code for _, code, _ in self._options if code in self._on)

    def set_value(self, codes: list[str] | tuple[str, ...]) -> None:
        self._on = {c for c in codes if any(c == code for _, code, _ in self._options)}
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text()
        for i, (key, code, label) in enumerate(self._options):
            chosen = code in self._on
            text.append(f"{key}", style="bold underline")
            # No spaces inside an option, so a wrapping row never splits one.
            text.append(f"{'☒' if chosen else '☐'}{label.replace(' ', '-')}", style="bold reverse" if chosen else "")
            text.append("  " if i < len(self._options) - 1 else "")
        return text

    def on_key(self, event: events.Key) -> None:
        for key, code, _ in self._options:
            if event.character == key:
                event.stop()
                event.prevent_default()
                self._on.symmetric_difference_update({code})
                self.refresh(layout=True)
                self.post_message(self.Changed(self))
                return


class YesNo(Widget, can_focus=True):
    """A question answered with j (ja) or n (nee); shows the answer as a word."""

    DEFAULT_CSS = """
    YesNo { height: 1; }
    YesNo:focus { background: $boost; }
    """

    class Changed(Message):
        def __init__(self, answer: YesNo) -> None:
            super().__init__()
            self.answer = answer

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value: bool | None = None

    @property
    def form_value(self) -> bool | None:
        return self.value

    def set_value(self, value: bool | None) -> None:
        self.value = value
        self.refresh()

    def render(self) -> Text:
        text = Text("j = ja · n = nee  → ")
        if self.value is None:
            text.append("nog niet beantwoord", style="italic")
        else:
            text.append("JA" if self.value else "NEE", style="bold reverse")
        return text

    def on_key(self, event: events.Key) -> None:
        if event.character in ("j", "y", "n"):
            event.stop()
            event.prevent_default()
            self.value = event.character != "n"
            self.refresh()
            self.post_message(self.Changed(self))
