"""How a resident's name is written and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line, fold

_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


def full_name(given: str, prefix: str, family: str) -> str:
    return " ".join(part for part in (given, prefix, family) if part)


def sort_name(given: str, prefix: str, family: str) -> str:
    """'Vries, Jan de': how Dutch lists sort (on the family name without tussenvoegsel)."""
    tail = " ".join(part for part in (given, prefix) if part)
    return f"{family}, {tail}" if family and tail else family or tail


@dataclass(frozen=True)
class PersonalData:
    """A resident's own data as typed into a form (data minimisation: no BSN, no address)."""

    given_name: str = ""
    family_prefix: str = ""
    family_name: str = ""
    birth_year: int | str | None = None
    birth_date: date | None = None
    phone: str = ""
    email: str = ""


def check_birth_year(value: int | str | None, today: date, field: str = "birth_year") -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    message = f"Vul een geboortejaar in van 1900 tot en met {today.year}."
    if not text.isdigit():
        raise ValidationError(field, message)
    year = int(text)
    if not 1900 <= year <= today.year:
        raise ValidationError(field, message)
    return year


def check_personal_data(data: PersonalData, today: date) -> PersonalData:
    """Clean every field or raise a ValidationError naming the first bad one."""
    given = clean_line(data.given_name, "given_name", max_len=80)
    prefix = clean_line(data.family_prefix, "family_prefix", max_len=30)
    family = clean_line(data.family_name, "family_name", max_len=120)
    if not given and not family:
        raise ValidationError("given_name", "Vul een naam in.")
    year = check_birth_year(data.birth_year, today)
    if data.birth_date is not None:
        if not date(1900, 1, 1) <= data.birth_date <= today:
            raise ValidationError("birth_date", "Die geboortedatum kan niet kloppen.")
        if year is not None and year != data.birth_date.year:
            raise ValidationError("birth_year", "Geboortejaar en geboortedatum verschillen.")
        year = data.birth_date.year
    phone = clean_line(data.phone, "phone", max_len=40)
    if phone and not _PHONE.match(phone):
        raise ValidationError("phone", "Een telefoonnummer bevat alleen cijfers, spaties, + en -.")
    email = clean_line(data.email, "email", max_len=120)
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        raise ValidationError("email", "Dit e-mailadres klopt niet.")
    return PersonalData(given, prefix.lower(), family, year, data.birth_date, phone, email)


def search_key(data: PersonalData, area_name: str = "") -> str:
    """Folded words a search can match: name parts, birth year, area."""
    parts = [data.given_name, data.family_prefix, data.family_name, str(data.birth_year or ""), area_name]
    return fold(" ".join(p for p in parts if p))


# Dutch tussenvoegsels, longest first so "van der" wins over "van".
PREFIXES = (
    "van der",
    "van den",
    "van de",
    "van 't",
    "in 't",
    "in de",
    "op de",
    "uit de",
    "van",
    "de",
    "der",
    "den",
    "ter",
    "ten",
    "te",
    "het",
    "'t",
    "le",
    "la",
    "du",
    "da",
    "di",
    "von",
    "op",
    "in",
    "uit",
)


_PREFIX_WORDS = frozenset(word for prefix in PREFIXES for word in prefix.split())


def split_full_name(text: str) -> tuple[str, str, str]:
    """'Gerrit de Vries' or 'Vries, Gerrit de' -> ('Gerrit', 'de', 'Vries')."""
    text = " ".join(text.split())
    if "," in text:
        family, _, rest = text.partition(",")
        rest_words = rest.split()
        prefix_words: list[str] = []
        while rest_words and rest_words[-1].lower() in _PREFIX_WORDS:
            prefix_words.insert(0, rest_words.pop().lower())
        return " ".join(rest_words), " ".join(prefix_words), family.strip()
    words = text.split()
    if len(words) <= 1:
        return "", "", text
    given = words[0]
    tail = words[1:]
    lowered = " ".join(tail).lower()
    for prefix in PREFIXES:
        if lowered.startswith(prefix + " ") and len(prefix.split()) < len(tail):
            n = len(prefix.split())
            return given, " ".join(tail[:n]).lower(), " ".join(tail[n:])
    return given, "", " ".join(tail)


_PHONETIC = (("ij", "y"), ("ei", "y"), ("ph", "f"), ("dt", "t"), ("ck", "k"), ("c", "k"), ("z", "s"), ("w", "v"))


def phonetic_key(family_name: str) -> str:
    """A spelling-tolerant key for a family name: Jansen = Janssen, Müller = Muller, Meijer = Meyer."""
    words = fold(family_name).replace("-", " ").replace("'", " ").split()
    while len(words) > 1 and words[0] in _PREFIX_WORDS:
        words.pop(0)
    key = "".join(ch for ch in "".join(words) if ch.isalnum())
    for old, new in _PHONETIC:
        key = key.replace(old, new)
    collapsed: list[str] = []
    for ch in key:
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    key = "".join(collapsed)
    if key.endswith("d"):
        key = key[:-1] + "t"
    return key
