"""Single-key choices for fast entry: signal categories toggled by a letter, one of a few
options picked by its first letter, and a j/n answer.

Each shows its state in words or marks, not only in colour.
"""

from __future__ import annotations

from collections.abc import Mapping

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
        self.on_file = ""  # an answer already on file, shown instead of the question

    def show_on_file(self, answer: str) -> None:
        """Show `answer` instead of asking (and leave the Tab order); "" asks again."""
        self.on_file = answer
        self.value = None
        self.can_focus = not answer
        self.refresh()

    @property
    def form_value(self) -> bool | None:
        return self.value

    def set_value(self, value: bool | None) -> None:
        self.value = value
        self.refresh()

    def render(self) -> Text:
        if self.on_file and self.value is None:
            return Text(f"bekend: {self.on_file}", style="bold")
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


class KeyChoice(Widget, can_focus=True):
    """One of a few options, picked by its first letter (underlined), which moves on to the next
    field; the choice in reverse.

    `note` is a short remark after the options (e.g. that the choice was carried over from the
    previous intake); choosing again clears it.
    """

    DEFAULT_CSS = """
    KeyChoice { height: auto; }
    KeyChoice:focus { background: $boost; }
    """

    class Changed(Message):
        def __init__(self, choice: KeyChoice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, options: Mapping[str, str], value: str, *, id: str | None = None) -> None:
        """`options`: code -> label; each label's first letter is its key and must be unique."""
        super().__init__(id=id)
        self._options = dict(options)
        self._keys = {label[0].lower(): code for code, label in self._options.items()}
        assert len(self._keys) == len(self._options), "two options start with the same letter"
        self.value = value
        self.note = ""

    @property
    def form_value(self) -> str:
        return self.value

    def set_value(self, value: str, note: str = "") -> None:
        if value in self._options:
            self.value = value
        self.note = note
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text()
        for i, (code, label) in enumerate(self._options.items()):
            chosen = code == self.value
            word = label.replace(" ", "-")  # no spaces inside an option, so a wrap never splits one
            text.append(word[0], style="bold underline reverse" if chosen else "bold underline")
            text.append(word[1:], style="bold reverse" if chosen else "")
            text.append(" " if i < len(self._options) - 1 else "")
        if self.note:
            text.append(f"  {self.note}", style="italic")
        return text

    def takes_quick_key(self, character: str) -> bool:
        return character.lower() in self._keys

    def take_quick_key(self, character: str) -> None:
        """Called by the app as the key arrives (`WijkwerkApp.action_quick_key`), so keys typed
        after it already go to the next field."""
        self.set_value(self._keys[character.lower()])
        self.post_message(self.Changed(self))
        self.screen.focus_next()

    def on_key(self, event: events.Key) -> None:
        code = self._keys.get((event.character or "").lower())
        if code is None:
            return
        event.stop()
        event.prevent_default()
        self.set_value(code)
        self.post_message(self.Changed(self))
        self.screen.focus_next()  # chosen: on to the next field, as a ladder digit does
