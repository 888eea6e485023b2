"""F1 (or `?`): every key of the screen the worker was on, with what it does."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

# Textual's own names for keys, as a Dutch keyboard user reads them.
_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Spatie",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "backspace": "Backspace",
}


# Textual's built-in widget bindings describe themselves in English.
_DUTCH = {
    "Cursor up": "Omhoog",
    "Cursor down": "Omlaag",
    "Cursor left": "Naar links",
    "Cursor right": "Naar rechts",
    "Home": "Naar het begin",
    "End": "Naar het eind",
    "Page up": "Pagina omhoog",
    "Page down": "Pagina omlaag",
    "Page Left": "Pagina naar links",
    "Page Right": "Pagina naar rechts",
    "Select": "Kiezen / openen",
    "Top": "Helemaal bovenaan",
    "Bottom": "Helemaal onderaan",
    "Focus Next": "Volgend veld",
    "Focus Previous": "Vorig veld",
    "Copy selected text": "Geselecteerde tekst kopiëren",
    "Scroll Up": "Omhoog schuiven",
    "Scroll Down": "Omlaag schuiven",
}


def screen_keys(screen: Screen) -> list[tuple[str, str]]:
    """The keys active on `screen`: its own first, then those of the focused widget."""
    own: list[tuple[str, str]] = []
    widget: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        entry = (binding.key_display or key, _DUTCH.get(binding.description, binding.description))
        (own if active.node is screen or active.node is screen.app else widget).append(entry)
    return own + widget


_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "super": "Super"}


def _one_key(key: str) -> str:
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    *modifiers, name = key.split("+")
    if name in _KEY_NAMES:
        name = _KEY_NAMES[name]
    elif len(name) == 1:  # a letter alone is typed as is; with Ctrl it is printed on the key
        name = name.upper() if modifiers else name
    else:
        name = name.upper() if name[:1] == "f" and name[1:].isdigit() else name.capitalize()
    return "+".join([*(_MODIFIERS.get(m, m) for m in modifiers), name])


def key_label(key: str) -> str:
    """As printed on the keyboard: `ctrl+s` is Ctrl+S, `pageup` PgUp."""
    return ", ".join(_one_key(part) for part in key.split(","))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: auto; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Sluiten", id="help.close")]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(f"Toetsen: {self._title}", style="bold"), id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(Text("Esc, F1 of ? sluit deze hulp.", style="dim"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Toets", "Wat het doet")
        for key, description in self._keys:
            table.add_row(Text(key_label(key)), Text(description))
