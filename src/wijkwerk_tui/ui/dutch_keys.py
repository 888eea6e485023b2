"""Keys and what they do, in Dutch: Textual's built-in bindings describe themselves in English
and name keys as identifiers (`pageup`). The help and the footer show them through here;
`tests/ui/test_dutch_everywhere.py` fails when a Textual binding has no Dutch line."""

from __future__ import annotations

from textual.binding import Binding

# Textual's descriptions (all its widgets' BINDINGS, as of 8.2), in Dutch.
DUTCH: dict[str, str] = {
    "Bottom": "Helemaal onderaan",
    "Copy": "Kopiëren",
    "Copy selected text": "Geselecteerde tekst kopiëren",
    "Cursor Down": "Omlaag",
    "Cursor Up": "Omhoog",
    "Cursor down": "Omlaag",
    "Cursor down select": "Omlaag en selecteren",
    "Cursor left": "Naar links",
    "Cursor left select": "Naar links en selecteren",
    "Cursor left word select": "Woord naar links en selecteren",
    "Cursor line end": "Naar het eind van de regel",
    "Cursor line end select": "Tot het eind van de regel selecteren",
    "Cursor line start": "Naar het begin van de regel",
    "Cursor line start select": "Tot het begin van de regel selecteren",
    "Cursor page down": "Pagina omlaag",
    "Cursor page up": "Pagina omhoog",
    "Cursor right": "Naar rechts",
    "Cursor right select": "Naar rechts en selecteren",
    "Cursor right word select": "Woord naar rechts en selecteren",
    "Cursor to next ancestor": "Naar het volgende hogere niveau",
    "Cursor to next sibling": "Naar het volgende op hetzelfde niveau",
    "Cursor to parent": "Naar het niveau erboven",
    "Cursor to previous sibling": "Naar het vorige op hetzelfde niveau",
    "Cursor up": "Omhoog",
    "Cursor up select": "Omhoog en selecteren",
    "Cursor word left": "Woord naar links",
    "Cursor word right": "Woord naar rechts",
    "Cut": "Knippen",
    "Cut selected text": "Geselecteerde tekst knippen",
    "Delete all to the left": "Alles links wissen",
    "Delete all to the right": "Alles rechts wissen",
    "Delete character left": "Teken links wissen",
    "Delete character right": "Teken rechts wissen",
    "Delete left to start of word": "Woord links wissen",
    "Delete line": "Regel wissen",
    "Delete right to start of word": "Woord rechts wissen",
    "Delete to line end": "Tot het eind van de regel wissen",
    "Delete to line start": "Tot het begin van de regel wissen",
    "Dismiss menu": "Lijst sluiten",
    "Down": "Omlaag",
    "End": "Naar het eind",
    "Exit the command palette": "Opdrachten sluiten",
    "Expand or collapse all": "Alles open- of dichtklappen",
    "First": "Eerste",
    "Focus Next": "Volgend veld",
    "Focus Previous": "Vorig veld",
    "Go to bottom": "Helemaal onderaan",
    "Go to end": "Naar het eind",
    "Go to start": "Naar het begin",
    "Go to top": "Helemaal bovenaan",
    "Home": "Naar het begin",
    "Last": "Laatste",
    "Move cursor left": "Naar links",
    "Move cursor left a word": "Woord naar links",
    "Move cursor left a word and select": "Woord naar links en selecteren",
    "Move cursor left and select": "Naar links en selecteren",
    "Move cursor right a word": "Woord naar rechts",
    "Move cursor right a word and select": "Woord naar rechts en selecteren",
    "Move cursor right and select": "Naar rechts en selecteren",
    "Move cursor right or accept the completion suggestion": "Naar rechts, of de aanvulling overnemen",
    "Next command": "Volgende opdracht",
    "Next option": "Volgende keuze",
    "Next page": "Volgende pagina",
    "Next tab": "Volgend tabblad",
    "Open link": "Link openen",
    "Page Down": "Pagina omlaag",
    "Page Left": "Pagina naar links",
    "Page Right": "Pagina naar rechts",
    "Page Up": "Pagina omhoog",
    "Page down": "Pagina omlaag",
    "Page up": "Pagina omhoog",
    "Paste": "Plakken",
    "Paste text from the clipboard": "Tekst plakken",
    "Press button": "Knop indrukken",
    "Previous command": "Vorige opdracht",
    "Previous option": "Vorige keuze",
    "Previous page": "Vorige pagina",
    "Previous tab": "Vorig tabblad",
    "Quit": "Stoppen",
    "Redo": "Opnieuw",
    "Scroll Down": "Omlaag schuiven",
    "Scroll End": "Helemaal onderaan",
    "Scroll Home": "Helemaal bovenaan",
    "Scroll Left": "Naar links schuiven",
    "Scroll Right": "Naar rechts schuiven",
    "Scroll Up": "Omhoog schuiven",
    "Select": "Kiezen / openen",
    "Select all": "Alles selecteren",
    "Select line": "Regel selecteren",
    "Select line end": "Tot het eind selecteren",
    "Select line start": "Tot het begin selecteren",
    "Show menu": "Lijst openen",
    "Submit": "Bevestigen",
    "Toggle": "Aan / uit",
    "Toggle collapsible": "Open- of dichtklappen",
    "Toggle option": "Keuze aan / uit",
    "Top": "Helemaal bovenaan",
    "Undo": "Ongedaan maken (in dit veld)",
    "Up": "Omhoog",
}

# Textual's names for keys, as printed on a keyboard.
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
    "insert": "Ins",
}
_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "super": "Super"}


def describe(description: str) -> str:
    return DUTCH.get(description, description)


def _one_key(key: str, compact: bool) -> str:
    key = key.strip()
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    *modifiers, name = key.split("+")
    if name in _KEY_NAMES:
        name = _KEY_NAMES[name]
    elif len(name) == 1:  # a letter alone is typed as is; with Ctrl it is printed on the key
        name = name.upper() if modifiers else name
    else:
        name = name.upper() if name[:1] == "f" and name[1:].isdigit() else name.capitalize()
    if compact and modifiers == ["ctrl"]:
        return f"^{name}"  # the footer's short form, as nano and Textual write it
    return "+".join([*(_MODIFIERS.get(m, m) for m in modifiers), name])


def key_label(key: str) -> str:
    """As printed on the keyboard: `ctrl+s` is Ctrl+S, `pageup` PgUp; several keys comma-separated."""
    return ", ".join(_one_key(part, compact=False) for part in key.split(","))


def key_display(binding: Binding) -> str:
    """The footer's short form: the binding's own display, else its first key (`^S`, `Esc`)."""
    return binding.key_display or _one_key(binding.key.split(",")[0], compact=True)
