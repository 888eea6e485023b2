"""The bases every screen and dialog stands on: the app typed, and a failed worker handled.

A screen's workers post their state to the screen itself; when one fails, the screen
hands it to the app (`SessionApp.worker_failed`: one Dutch notice, no details) and then
makes itself usable again (`work_failed`: a status line reset, a save unblocked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from textual import getters

    from wijkwerk_tui.ui.app import WijkwerkApp

R = TypeVar("R")


class AppScreen(Screen[R]):
    """A full screen of the signed-in app."""

    if TYPE_CHECKING:
        app = getters.app(WijkwerkApp)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.app.worker_failed(event.worker)
            self.work_failed(event.worker)

    def work_failed(self, worker: Worker[Any]) -> None:
        """Hook: after one of this screen's workers failed, make the screen usable again."""

    def data_changed(self, gone: set[Any]) -> None:
        """Hook: records were changed under this screen (an undo); `gone`: ids no longer there."""


class AppModal(ModalScreen[R]):
    """A dialog or form over the current screen."""

    if TYPE_CHECKING:
        app = getters.app(WijkwerkApp)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.app.worker_failed(event.worker)
            self.work_failed(event.worker)

    def work_failed(self, worker: Worker[Any]) -> None:
        """Hook: after one of this dialog's workers failed, make it usable again."""

    def data_changed(self, gone: set[Any]) -> None:
        """Hook: records were changed under this dialog (an undo); `gone`: ids no longer there."""
