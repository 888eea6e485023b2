"""The recovery code, shown once after setup: to print and keep in the office safe."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from wijkwerk_tui.ui.widgets.footer import Footer


class RecoveryCodeScreen(Screen[None]):
    DEFAULT_CSS = """
    RecoveryCodeScreen { align: center middle; background: $background; }
    RecoveryCodeScreen > Vertical { width: 70; max-width: 100%; height: auto; border: thick $warning; padding: 1 2; }
    RecoveryCodeScreen #code { text-style: bold; color: $warning; content-align: center middle; height: 3; }
    """
    BINDINGS = [Binding("enter", "done", "Ik heb de code bewaard", id="recovery.done", priority=True)]

    def __init__(self, code: str, then: Callable[[], None]) -> None:
        super().__init__()
        self.code = code
        self.then = then

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Herstelcode — wordt maar één keer getoond", style="bold"))
            yield Static(Text(self.code), id="code")
            yield Static(
                Text(
                    "Schrijf deze code op of print hem, en bewaar hem in de kluis op kantoor. "
                    "Met de code kan een coördinator een nieuw wachtwoord instellen als het oude vergeten is; "
                    "zonder code en zonder wachtwoord zijn de gegevens niet meer te openen."
                )
            )
            yield Static(Text("Druk op Enter als de code veilig bewaard is.", style="bold"))
        yield Footer()

    def action_done(self) -> None:
        self.then()
