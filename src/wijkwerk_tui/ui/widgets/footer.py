"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its key widgets on every "bindings changed" signal. Opening
a screen sends three or four in a row (focus moved, screen stack changed, ...), each
rebuild ~15-20 ms at 80 columns: together they held back the resident's file by up to
100 ms. This one waits until the signals have settled, then rebuilds only when the keys
on show differ from what it shows. (Like Textual's, it first draws its keys after the
screen's first frame, so they never hold that frame back.)
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._pending = False
        self._shown: tuple | None = None
        self.rebuilds = 0  # how often the keys were built (tests)

    def bindings_changed(self, screen: Screen) -> None:
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild_if_changed, screen)

    def _rebuild_if_changed(self, screen: Screen) -> None:
        self._pending = False
        if not self.is_attached or screen is not self.screen:
            return
        keys = _keys(screen)
        if keys != self._shown and screen.app.app_focus:  # Textual skips rebuilds without focus
            self._shown = keys
            self.rebuilds += 1
            super().bindings_changed(screen)


def _keys(screen: Screen) -> tuple:
    """What the footer shows: keys bound with show=True (a focused list's arrows are not)."""
    return tuple(
        (key, active.binding.description, active.enabled)
        for key, active in screen.active_bindings.items()
        if active.binding.show
    )
