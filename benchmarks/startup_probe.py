"""One start-up, timed from outside by run.py: `bare` (a minimal Textual app) or `app PATH`
(wijkwerk on an encrypted database, up to its first screen, the login). Both print the
wall-clock moment their first frame is on screen (Textual's Ready event) and exit; run.py
subtracts the moment it started the process, so shutting down is not counted."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Wijkwerk")
            yield Footer()

        def on_ready(self) -> None:
            print(f"ready {time.time():.6f}")  # run.py: ready minus the moment it started us
            self.exit()

    Bare().run(headless=True, size=(80, 24))


def app(path: Path) -> None:
    from wijkwerk_tui.ui.app import WijkwerkApp

    class Timed(WijkwerkApp):
        def on_ready(self) -> None:
            print(f"ready {time.time():.6f}")
            print(type(self.screen).__name__)  # run.py checks that this is the login screen
            self.exit()

    timed = Timed(None, path)
    timed.run(headless=True, size=(80, 24))
    sys.exit(timed.return_code or 0)


if __name__ == "__main__":
    bare() if sys.argv[1] == "bare" else app(Path(sys.argv[2]))
