"""The footer rebuilds once per change of the keys it shows, not once per signal."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from wijkwerk_tui.ui.widgets.footer import Footer


class Keys(Screen[None]):
    BINDINGS = [Binding("f2", "alpha", "Alfa"), Binding("f3", "beta", "Bèta")]  # not keys an Input takes

    def __init__(self) -> None:
        super().__init__()
        self.beta_shown = True

    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "beta" and not self.beta_shown)


def _shown(screen: Screen) -> list[str]:
    return [description for _key, description in screen.query_one(Footer).shown]


async def test_rebuilds_only_when_the_keys_on_show_change() -> None:
    app = App[None]()
    async with app.run_test(size=(80, 10)) as pilot:
        screen = Keys()
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.pause()
        footer = screen.query_one(Footer)
        assert "Alfa" in _shown(screen) and "Bèta" in _shown(screen)
        built = footer.rebuilds
        assert built == 1
        for _ in range(3):  # focus moves: a signal each time, the same keys
            await pilot.press("tab")
            await pilot.pause()
        assert footer.rebuilds == built
        screen.beta_shown = False
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer.rebuilds == built + 1
        assert "Alfa" in _shown(screen) and "Bèta" not in _shown(screen)
