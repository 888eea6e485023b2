"""Which column of a spreadsheet means what: recognised by its Dutch header, changeable.

A target is a short code ("birth_year"); wide ladder columns carry their date or year:
"participation@2024" (a column "PL 2024") or "support@2025-03-01" ("VL 1-3-2025").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from wijkwerk_tui.domain.text import fold

IGNORE = "ignore"

# What a column can mean, in the order the mapping dialog offers them.
TARGETS: dict[str, str] = {
    "name": "Naam (volledig)",
    "given_name": "Voornaam",
    "family_prefix": "Tussenvoegsel",
    "family_name": "Achternaam",
    "birth_date": "Geboortedatum",
    "birth_year": "Geboortejaar",
    "area": "Gebied (kern, dorp, wijk)",
    "participation": "Participatieladder (trede)",
    "support": "Verantwoordelijkheidsladder (trede)",
    "date": "Datum (van de meting of het contact)",
    "contact_on": "Datum contact",
    "contact_kind": "Soort contact",
    "consent": "Toestemming registratie",
    "phone": "Telefoon",
    "email": "E-mail",
    "signal": "Signaal (categorie)",
    "note": "Opmerking",
    IGNORE: "Niet importeren",
}
LADDER_TARGETS = ("participation", "support")

_HEADERS: dict[str, str] = {}
for _target, _words in {
    "name": "naam, naam inwoner, inwoner, volledige naam, naam deelnemer, deelnemer, cliënt, client, cliëntnaam",
    "given_name": "voornaam, voornamen, roepnaam",
    "family_prefix": "tussenvoegsel, tussenv, tv, voorvoegsel",
    "family_name": "achternaam, familienaam, geslachtsnaam",
    "birth_date": "geboortedatum, geb datum, gebdatum, geb, datum geboorte",
    "birth_year": "geboortejaar, geb jaar, gebjaar, jaar van geboorte",
    "area": "kern, dorp, wijk, gebied, buurt, woonkern, plaats, woonplaats, locatie",
    "participation": "trede, pl, participatieladder, participatie, trede pl, pl trede, trede participatieladder",
    "support": "vl, verantwoordelijkheid, verantwoordelijkheidsladder, trede vl, vl trede, wmo ladder",
    "date": "datum, datum meting, meetdatum, peildatum, datum invullen, datum gesprek, datum intake",
    "contact_on": "contactdatum, datum contact, contact, laatste contact, datum bezoek",
    "contact_kind": "soort contact, contactvorm, soort, vorm contact",
    "consent": "toestemming, akkoord, toestemming registratie, avg toestemming, toestemming avg",
    "phone": "telefoon, telefoonnummer, tel, telnr, tel nr, mobiel, telefoon mobiel, gsm",
    "email": "e mail, email, mail, e mailadres, emailadres, mailadres",
    "signal": "signaal, signalen, signalering, signaleringen, hulpvraag, probleem",
    "note": "opmerking, opmerkingen, notitie, notities, toelichting, bijzonderheden",
}.items():
    for _word in _words.split(","):
        _HEADERS[" ".join(re.sub(r"[^\w]+", " ", fold(_word)).split())] = _target  # as `normal_header` makes them

_LADDER_WORDS = {
    "pl": "participation",
    "participatie": "participation",
    "participatieladder": "participation",
    "trede": "participation",
    "vl": "support",
    "verantwoordelijkheid": "support",
    "verantwoordelijkheidsladder": "support",
}
_WIDE = re.compile(r"^(?:trede )?([a-z]+)(?: trede)? (?:(\d{4})|(\d{1,2}) (\d{1,2}) (\d{4}))$")


def normal_header(text: str) -> str:
    """'Geb. jaar ' -> 'geb jaar': folded, punctuation as spaces."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).replace("_", " ").split())


def guess(header: str) -> str | None:
    """The target a header names, or None (the coordinator chooses)."""
    key = normal_header(header)
    if not key:
        return None
    if key in _HEADERS:
        return _HEADERS[key]
    if m := _WIDE.match(key):
        ladder = _LADDER_WORDS.get(m.group(1))
        if ladder is None:
            return None
        if m.group(2):
            return f"{ladder}@{m.group(2)}"
        try:
            on = date(int(m.group(5)), int(m.group(4)), int(m.group(3)))
        except ValueError:
            return None
        return f"{ladder}@{on.isoformat()}"
    return None


def is_target(value: str) -> bool:
    """A target code as a saved mapping or the command line may give it."""
    if value in TARGETS:
        return True
    ladder, at, when = value.partition("@")
    if not at or ladder not in LADDER_TARGETS:
        return False
    if re.fullmatch(r"\d{4}", when):
        return True
    try:
        date.fromisoformat(when)
    except ValueError:
        return False
    return True


def describe(target: str | None) -> str:
    """Dutch words for a target: 'Participatieladder 2024'."""
    if target is None:
        return "? (onbekend: wordt niet geïmporteerd)"
    ladder, at, when = target.partition("@")
    if at:
        name = "Participatieladder" if ladder == "participation" else "Verantwoordelijkheidsladder"
        shown = when if len(when) == 4 else date.fromisoformat(when).strftime("%d-%m-%Y")
        return f"{name} {shown}"
    return TARGETS[target]


def map_headers(headers: Sequence[str], saved: Mapping[str, str] | None = None) -> list[str | None]:
    """One target per column: what the coordinator saved for this header text, else a guess.
    A target other than a wide ladder column is used once: a second "naam" is left out."""
    remembered = saved or {}
    result: list[str | None] = [None] * len(headers)
    taken: set[str] = set()

    def take(index: int, target: str | None) -> None:
        if target is None or (target in taken and target != IGNORE):
            return
        taken.add(target)
        result[index] = target

    chosen = [remembered.get(normal_header(h)) for h in headers]
    for index, target in enumerate(chosen):  # what the coordinator chose first, wherever it stands
        take(index, target)
    for index, header in enumerate(headers):
        if chosen[index] is None:
            take(index, guess(header))
    return result


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row look like headers we know: the header row is the first with 2+."""
    return sum(1 for cell in cells if guess(cell) is not None)
