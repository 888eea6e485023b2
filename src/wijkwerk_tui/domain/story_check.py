"""Stories go out in the report verbatim, so before an export each is read for what could name
someone: names of residents and workers (spelling-tolerant, against the database), ages,
birth years and house numbers. A flagged story is edited or confirmed by the coordinator.

Family names that are also ordinary words (Bakker, de Boer, Visser) are flagged only right
after a given name or a title ("meneer Bakker"); as plain words ("De bakker op de hoek") they
pass, or every story about bread would stop. Given names are flagged wherever they stand,
except the few that are also everyday words ("Wil", "Roos" at the start of a sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wijkwerk_tui.domain.names import PREFIXES, phonetic_key
from wijkwerk_tui.domain.text import fold

# Surnames that are also everyday Dutch words (professions, things): flagged only as a name.
WORD_NAMES = frozenset(
    {
        "bakker", "boer", "visser", "smit", "mulder", "molenaar", "koster", "koning", "bos", "dekker",
        "schipper", "timmerman", "brouwer", "kok", "kuiper", "smid", "boom", "berg", "beek", "haan",
        "vos", "wolf", "hoek", "groot", "klein", "lange", "jong", "wit", "zwart", "veen", "vink",
        "kramer", "schilder", "slager", "wever", "hoogland", "dijk", "meer", "hof", "brink", "kerk",
        "school", "winter", "zomer", "prins", "graaf", "ridder", "paap", "koopman", "post", "haas",
    }
)  # fmt: skip
# Given names that are also everyday words, at the start of a sentence.
WORD_GIVEN = frozenset({"wil", "roos", "mark", "bas", "geert", "hoop", "vera", "ben", "kees", "eva", "iris", "lotte"})
PREFIX_WORDS = frozenset(word for prefix in PREFIXES for word in prefix.split())
TITLES = frozenset(
    {"meneer", "mevrouw", "mevr", "dhr", "mw", "heer", "juffrouw", "tante", "oom", "opa", "oma", "fam", "familie"}
)
STREET = (
    r"(?:straat|weg|laan|plein|dijk|pad|steeg|hof|kade|singel|gracht|dreef|erf|markt|veld|park|ring|brink|es"
    r"|akker|wijk|stede|einde|kamp|kampen|zate|hoeve|weide|horst|brug|oord|wold|zijde|hoek|dal|berg|haven)"
)
_HOUSE = re.compile(
    rf"\b[A-Za-z][\w'-]*{STREET}\s+\d+(?:\s?-?\s?[a-zA-Z]\b)?|\b(?:nr|no|nummer|huisnummer)\.?\s*\d+",
    re.UNICODE | re.IGNORECASE,
)
_TENS = r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd)"
_AGE = re.compile(
    r"\(\s*\d{1,3}\s*\)|\b\d{1,3}\s*(?:jaar|jr)\b|\b\d{1,3}-jarige?\b"
    r"|\bvan\s+\d{2,3}\b(?!\s*(?:minuten|uur|euro|procent|%))"
    rf"|\b(?:\w+en)?{_TENS}(?:-?jarige?|\s+jaar)\b"
    r"|\b(?:is|werd|wordt)\s+\d{2,3}\b(?!\s*(?:minuten|uur|euro|keer|procent|%))"
    r"|\b\d{2,3}(?:e|ste)\s+verjaardag|\bgeboren\s+in\s+'\d{2}\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'-]*", re.UNICODE)


@dataclass(frozen=True)
class Names:
    """What the database knows: residents' and workers' given names (folded) and the
    spelling-tolerant keys of their family names."""

    given: frozenset[str]
    family_keys: frozenset[str]


@dataclass(frozen=True)
class Flag:
    kind: str  # Dutch: "naam", "leeftijd", "geboortejaar", "huisnummer"
    text: str


def check(story: str, names: Names, today: date) -> list[Flag]:
    flags: list[Flag] = []
    flags += [Flag("huisnummer", m.group(0)) for m in _HOUSE.finditer(story)]
    flags += [Flag("leeftijd", m.group(0)) for m in _AGE.finditer(story)]
    flags += [
        Flag("geboortejaar", m.group(1))
        for m in _YEAR.finditer(story)
        if 1900 <= int(m.group(1)) <= today.year - 12  # a year someone now alive was born in
    ]
    flags += _names(story, names)
    return flags


def _key(word: str) -> str:
    """A word's family-name key: also without a possessive or plural ending ("Hoekstra's",
    "de Jansens"), and with the Turkish dotless i read as i (Yılmaz, Yilmaz)."""
    return phonetic_key(word.replace("ı", "i"))


def _bare(word: str) -> list[str]:
    """The word without a possessive or plural ending."""
    endings = ("'s", "’s", "s")
    return [word[: -len(e)] for e in endings if word.lower().endswith(e) and len(word) - len(e) >= 3]


def _keys(word: str) -> set[str]:
    return {_key(word), *(_key(w) for w in _bare(word))}


def _names(story: str, names: Names) -> list[Flag]:
    words = [(m.group(0), m.start()) for m in _WORD.finditer(story)]
    found: list[Flag] = []
    for i, (word, at) in enumerate(words):
        folded = fold(word)
        j = i - 1
        while j >= 0 and fold(words[j][0]) in PREFIX_WORDS:  # "meneer van der Veen"
            j -= 1
        before = fold(words[j][0]).rstrip(".") if j >= 0 else ""
        named_before = before in names.given or before in TITLES
        family = bool(_keys(word) & names.family_keys)
        if not word[0].isupper():
            # Written in lower case: a name only right after a given name or a title ("mevr. jansen").
            if family and named_before and folded not in WORD_NAMES:
                found.append(Flag("naam", word))
            continue
        given = any(len(g) > 2 for g in {folded, *(fold(w) for w in _bare(word))} & names.given)
        everyday = folded in WORD_GIVEN and _sentence_start(story, at)
        if (family and (folded not in WORD_NAMES or named_before)) or (given and not everyday):
            found.append(Flag("naam", word))
    return found


def _sentence_start(story: str, at: int) -> bool:
    before = story[:at].rstrip()
    return not before or before[-1] in ".!?:\n\"'(“"


def flagged(stories: list[tuple[str, date, str]], names: Names, today: date) -> list[tuple[int, list[Flag]]]:
    """(index, flags) of every story with something to look at."""
    out = []
    for i, (_area, _day, story) in enumerate(stories):
        flags = check(story, names, today)
        if flags:
            out.append((i, flags))
    return out


def describe(flags: list[Flag]) -> str:
    """What was found, in Dutch, without repeating it (for a log or a terminal)."""
    kinds = sorted({f.kind for f in flags})
    return ", ".join(kinds)
