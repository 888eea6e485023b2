"""argparse in Dutch: its usage line, section titles and error messages.

argparse looks its messages up through the module's own `_` and `ngettext` (gettext), and
Python ships no Dutch catalogue for them; `install()` points those two names at this table.
Only the `wijkwerk` command does this, in its own process. `tests/ui/test_dutch_everywhere.py`
fails when an argparse message has no Dutch line here.
"""

from __future__ import annotations

import argparse

DUTCH: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "bij %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "one of the arguments %s is required": "een van deze argumenten is nodig: %s",
    "ambiguous option: %(option)s could match %(matches)s": "optie %(option)s is niet eenduidig: %(matches)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde (%(type)s): %(value)r",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "expected %s argument": "verwacht %s waarde",
    "expected %s arguments": "verwacht %s waarden",
    "not allowed with argument %s": "niet samen met %s",
    "ignored explicit argument %r": "waarde %r genegeerd",
    "unexpected option string: %s": "onverwachte optie: %s",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "onbekende opdracht %(parser_name)r (kies uit %(choices)s)"
    ),
    'argument "-" with mode %r': 'argument "-" met modus %r',
    # Mistakes in the program itself, not in what was typed; Dutch all the same.
    "conflicting option string: %s": "dubbele optie: %s",
    "conflicting option strings: %s": "dubbele opties: %s",
    ".__call__() not defined": ".__call__() ontbreekt",
    "'required' is an invalid argument for positionals": "'required' kan niet bij een vast argument",
    "mutually exclusive arguments must be optional": "elkaar uitsluitende argumenten moeten optioneel zijn",
    "%r is not callable": "%r is niet aanroepbaar",
    "cannot merge actions - two groups are named %r": "kan niet samenvoegen: twee groepen heten %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "ongeldige optie %(option)r: moet beginnen met %(prefix_chars)r"
    ),
    "dest= is required for options like %r": "dest= is nodig voor opties als %r",
    "invalid conflict_resolution value: %r": "ongeldige conflict_resolution: %r",
    "cannot have multiple subparser arguments": "maar één groep opdrachten mogelijk",
    "conflicting subparser: %s": "dubbele opdracht: %s",
    "conflicting subparser alias: %s": "dubbele opdrachtnaam: %s",
}


def _dutch(message: str) -> str:
    return DUTCH.get(message, message)


def _dutch_n(singular: str, plural: str, n: int) -> str:
    return _dutch(singular if n == 1 else plural)


def install() -> None:
    """Point argparse's message lookup at the Dutch table (idempotent)."""
    argparse._ = _dutch  # type: ignore[attr-defined]
    argparse.ngettext = _dutch_n  # type: ignore[attr-defined]
