"""Textual's footer, rebuilt only when the keys it shows change, with the app's job on the right.

Textual's Footer rebuilds all its key widgets on every "bindings changed" signal. Opening
a screen sends three or four in a row (focus moved, screen stack changed, ...), each
rebuild ~15-20 ms at 80 columns: together they held back the resident's file by up to
100 ms. This one waits until the signals have settled, then rebuilds only when the keys
on show differ from what it shows. (Like Textual's, it first draws its keys after the
screen's first frame, so they never hold that frame back.)

On its right it shows what a background job is doing ("Back-up 40%"), on every screen,
while the keys keep working: the app's `job_status`, when the app has one.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets import Static

Keys = tuple[tuple[str, str, bool], ...]


class JobStatus(Static):
    DEFAULT_CSS = """
    JobStatus { dock: right; width: auto; height: 1; padding: 0 1; text-style: bold; color: $text-warning; }
    """

    def on_mount(self) -> None:
        if hasattr(self.app, "job_status"):
            self.watch(self.app, "job_status", self._show)

    def _show(self, status: str) -> None:
        self.update(Text(status))
        self.display = bool(status)


class Footer(TextualFooter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending = False
        self._shown: Keys | None = None
        self.rebuilds = 0  # how often the keys were built (tests)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStatus()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild_if_changed, screen)

    def _rebuild_if_changed(self, screen: Screen[Any]) -> None:
        self._pending = False
        if not self.is_attached or screen is not self.screen:
            return
        keys = _keys(screen)
        if keys != self._shown and screen.app.app_focus:  # Textual skips rebuilds without focus
            self._shown = keys
            self.rebuilds += 1
            super().bindings_changed(screen)


def _keys(screen: Screen[Any]) -> Keys:
    """What the footer shows: keys bound with show=True (a focused list's arrows are not)."""
    return tuple(
        (key, active.binding.description, active.enabled)
        for key, active in screen.active_bindings.items()
        if active.binding.show
    )
