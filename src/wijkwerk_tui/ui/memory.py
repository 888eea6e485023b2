"""Garbage collection in the worker's pauses, not in the middle of a key press.

A closed screen leaves thousands of objects in reference cycles; only a full collection
frees them, and at the default settings one ran every few screens, at a random moment:
45-110 ms, often while the next resident's file was being drawn. So: once the start
screen is up, freeze what lives as long as the app (Textual, SQLAlchemy, the screens
opened most) out of the collector's sight; make automatic full collections rare; and
collect fully once the keyboard has been quiet for a moment.

Before the first frame there is no collection at all: what the app builds then (the
stylesheet, the first screen's widgets) lives on, and the twenty-odd young collections
that would walk it only delayed the first frame (~7 ms of a ~300 ms start).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

QUIET_S = 2.0
THRESHOLDS = (700, 10, 1000)  # young collections as usual; full ones (almost) only on a pause


_frozen = False


def pause_for_first_frame() -> None:
    """From the app's start (its Load event) until its first frame: no automatic collection."""
    gc.disable()


def first_frame_drawn() -> None:
    gc.enable()


def freeze_long_lived() -> None:
    """Once per process (an app is started once; a test run starts many)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    import wijkwerk_tui.ui.screens.lists.residents
    import wijkwerk_tui.ui.screens.resident.intake
    import wijkwerk_tui.ui.screens.resident.resident  # noqa: F401

    gc.collect()  # what is garbage now should not be frozen with the rest
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


class QuietCollector:
    """`touched()` on every key or click; `tick()` from a timer collects once per pause."""

    def __init__(self, now: Callable[[], float] = monotonic, collect: Callable[[], object] = gc.collect) -> None:
        self._now, self._collect = now, collect
        self._last = now()
        self._done = True

    def touched(self) -> None:
        self._last = self._now()
        self._done = False

    def tick(self) -> bool:
        if self._done or self._now() - self._last < QUIET_S:
            return False
        self._collect()
        self._done = True
        return True
