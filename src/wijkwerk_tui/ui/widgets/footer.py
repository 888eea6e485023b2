"""The keys of the screen on one line, each with its whole description, and the app's job on
the right.

Textual's footer makes a widget per key and cuts the last ones off at 80 columns (the
resident screen ended in "d Doorverwijzi▏"). This one draws one line: the palette and help
keys first, then the screen's keys in order while they fit whole; the rest are in the help
(F1), which lists every key. It redraws only when the keys on show change: opening a screen sends
three or four "bindings changed" signals in a row, and it waits until they settled. A click
on a key presses it.

On the right it shows what a background job is doing ("Back-up 40%"), on every screen, while
the keys keep working: the app's `job_status`, when the app has one.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from wijkwerk_tui.ui.dutch_keys import describe, key_display

# (key, shown key, description, enabled) for each key on show.
Keys = tuple[tuple[str, str, str, bool], ...]
PALETTE = "ctrl+p"


class JobStatus(Static):
    DEFAULT_CSS = """
    JobStatus { width: auto; height: 1; padding: 0 1; text-style: bold; color: $text-warning; }
    """

    def on_mount(self) -> None:
        self.display = False
        if hasattr(self.app, "job_status"):
            self.watch(self.app, "job_status", self._show)

    def _show(self, status: str) -> None:
        self.update(Text(status))
        self.display = bool(status)


# First the palette (the way to everything) and the help (every key), then the screen's own
# keys in order; Esc, which everyone knows, after them.
_FIRST = {PALETTE: 0, "f1": 1}


def _rank(item: tuple[str, str, str, bool]) -> int:
    return _FIRST.get(item[0], 3 if item[0] == "escape" else 2)


class FooterKeys(Widget):
    """The line of keys itself: as many whole keys as its width holds."""

    DEFAULT_CSS = """
    FooterKeys { width: 1fr; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: Keys = ()
        self.shown: list[tuple[str, str]] = []  # (shown key, description) drawn (tests read it)
        self._spans: list[tuple[int, int, str]] = []  # x from, x to, key

    def render(self) -> Text:
        width = self.size.width
        line, x = Text(no_wrap=True, overflow="crop"), 0
        self.shown, self._spans = [], []
        for key, shown, description, enabled in sorted(self.keys, key=_rank):
            part = Text()
            part.append(f" {shown} ", style="bold reverse" if enabled else "dim reverse")
            part.append(f"{description} ", style="" if enabled else "dim")
            if x + part.cell_len > width:
                continue  # whole or not at all: a later, shorter key may still fit
            line.append_text(part)
            self._spans.append((x, x + part.cell_len, key))
            self.shown.append((shown, description))
            x += part.cell_len
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


class Footer(Horizontal):
    DEFAULT_CSS = """
    Footer { dock: bottom; height: 1; background: $footer-background; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._pending = False
        self._shown: Keys | None = None
        self.rebuilds = 0  # how often the keys changed (tests)

    def compose(self) -> ComposeResult:
        yield FooterKeys()
        yield JobStatus()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    @property
    def shown(self) -> list[tuple[str, str]]:
        return self.query_one(FooterKeys).shown

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild_if_changed, screen)

    def _rebuild_if_changed(self, screen: Screen[Any]) -> None:
        self._pending = False
        if not self.is_attached or screen is not self.screen:
            return
        keys = _keys(screen)
        if keys != self._shown:
            self._shown = keys
            self.rebuilds += 1
            line = self.query_one(FooterKeys)
            line.keys = keys
            line.refresh()


def _keys(screen: Screen[Any]) -> Keys:
    """Keys bound with show=True (a focused list's arrows are not), one per action, and the palette."""
    found: list[tuple[str, str, str, bool]] = []
    actions: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action in actions or not (binding.show or key == PALETTE) or not binding.description:
            continue
        actions.add(binding.action)
        found.append((key, key_display(binding), describe(binding.description), active.enabled))
    # A dialog's bindings leave the app's out, but the palette and the help work there too.
    for binding in getattr(type(screen.app), "BINDINGS", []):
        if (
            isinstance(binding, Binding)
            and binding.key in _FIRST
            and binding.action not in actions
            and screen.app.check_action(binding.action, ()) is not False
        ):
            actions.add(binding.action)
            found.append((binding.key, key_display(binding), describe(binding.description), True))
    return tuple(found)
