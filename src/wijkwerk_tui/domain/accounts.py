"""Rules for accounts: passphrases, the delay after failed logins, and what each role may do."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from wijkwerk_tui.domain.dutch_words import COMMON
from wijkwerk_tui.domain.errors import DomainError, ValidationError

MIN_PASSPHRASE = 10
FREE_TRIES = 5
MAX_DELAY_S = 300

COORDINATOR = "coordinator"
WORKER = "worker"

# Actions only a coordinator may take. Everything else every active worker may do.
COORDINATOR_ONLY: dict[str, str] = {
    "accounts": "medewerkers beheren",
    "settings": "instellingen wijzigen",
    "audit_view": "zien wie een dossier bekeek",
    "erase": "een inwoner wissen",
    "retention": "de bewaartermijn toepassen",
    "full_export": "alle gegevens exporteren",
    "restore": "een back-up terugzetten",
    "report": "de rapportage maken",
    "import": "een bestand importeren of een import ongedaan maken",
    "hub.join": "deze laptop aan de hub van de organisatie koppelen",
    "merge": "inwoners samenvoegen",
    "hub.alerts": "meldingen over de audittrail afhandelen",
    "hub.init": "de sleutel van de organisatie maken of accounts ondertekenen",
    "recovery": "een nieuwe herstelcode maken",
}


class PermissionDenied(DomainError):
    """The logged-in worker's role does not allow this action."""


# zxcvbn's top score: about 10^10 guesses and more. A guess at a stolen key slot costs Argon2id's
# 64 MiB and ~0.4 s of one core; even a rack of machines needs years, not an afternoon (score 3,
# 10^8, is "Zomer2026!!", which is within reach).
MIN_SCORE = 4
_ESTIMATED = 100  # characters looked at: the estimate's cost grows fast with length


def check_passphrase(
    passphrase: str, repeat: str | None = None, field: str = "passphrase", *, personal: Sequence[str] = ()
) -> str:
    """Long enough, and hard to guess: `personal` are names the passphrase must not lean on
    (the organisation, the worker, the areas)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(field, f"Kies een wachtwoord van minstens {MIN_PASSPHRASE} tekens.")
    if passphrase.strip() != passphrase:
        raise ValidationError(field, "Een wachtwoord begint of eindigt niet met een spatie.")
    weakness = _weakness(passphrase, personal)
    if weakness:
        raise ValidationError(field, f"Dit wachtwoord is te makkelijk te raden: {weakness}. " + _ADVICE)
    if repeat is not None and repeat != passphrase:
        raise ValidationError("repeat", "De twee wachtwoorden zijn niet gelijk.")
    return passphrase


_ADVICE = "Kies een zin van drie of vier woorden die niets met u of het werk te maken hebben."


def _weakness(passphrase: str, personal: Sequence[str]) -> str:
    """A Dutch reason when zxcvbn scores the passphrase below MIN_SCORE, else ''."""
    from zxcvbn import zxcvbn  # pure Python; loaded only where a passphrase is chosen

    words = [w for text in personal for w in (text, *text.split(), text.replace(" ", ""))]
    result = zxcvbn(passphrase[:_ESTIMATED], user_inputs=[*COMMON, *words])
    if result["score"] >= MIN_SCORE:
        return ""
    patterns = {m["pattern"] for m in result["sequence"]}
    sources = {m.get("dictionary_name") for m in result["sequence"] if m["pattern"] == "dictionary"}
    mine = {w.casefold() for w in words}
    if any(m.get("matched_word", "").casefold() in mine for m in result["sequence"] if m["pattern"] == "dictionary"):
        return "het bevat uw naam, die van de organisatie of een gebied"
    if sources & {"passwords", "user_inputs"}:
        return "het lijkt op een veelgebruikt wachtwoord"
    if "repeat" in patterns:
        return "een herhaling van dezelfde tekens of woorden"
    if patterns & {"sequence", "spatial"}:
        return "een reeks zoals 1234 of qwerty"
    if "date" in patterns:
        return "er staat een datum of jaartal in"
    return "te kort of te voorspelbaar"


DEFAULT_LOCK_MINUTES = 5


def check_lock_minutes(value: int | str) -> int:
    """Auto-lock after 1 to 60 idle minutes: a shared laptop never stays open for long."""
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise ValidationError("lock_minutes", "Vul een aantal minuten in, bijvoorbeeld 5.") from None
    if not 1 <= minutes <= 60:
        raise ValidationError("lock_minutes", "Kies tussen 1 en 60 minuten.")
    return minutes


def login_delay(failures: int) -> int:
    """Seconds to wait before the next try after `failures` failed tries in a row.

    Five free tries (typos happen), then 5 s, doubling with each further failure, at
    most five minutes: slow enough to stop guessing at the keyboard, short enough for
    a worker who mistyped.
    """
    if failures < FREE_TRIES:
        return 0
    delay: int = 5 * 2 ** (failures - FREE_TRIES)  # int ** int is typed Any (a negative power is a float)
    return min(MAX_DELAY_S, delay)


def may(role: str, action: str) -> bool:
    return action not in COORDINATOR_ONLY or role == COORDINATOR


def require(role: str, action: str) -> None:
    if not may(role, action):
        raise PermissionDenied(f"Alleen een coördinator mag {COORDINATOR_ONLY[action]}.")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: decides what a list may show."""

    worker_id: object
    role: str

    @property
    def is_coordinator(self) -> bool:
        return self.role == COORDINATOR


def can_see_signal(viewer: Viewer, confidential: bool, *authors: object) -> bool:
    """A confidential (vertrouwelijk) signal is seen only by its author and coordinators."""
    if not confidential or viewer.is_coordinator:
        return True
    return viewer.worker_id is not None and viewer.worker_id in authors


def account_record(name: str, role: str, active: bool, serial: int, worker_key: str = "") -> bytes:
    """What the organisation's key signs of an account (crypto.org_key): who (the name, one per
    organisation: a laptop knows the organisation's account under its own id when both had
    it), in which role, active or not, the how-manieth signing of it this is, and his public
    key (crypto.worker_key) once he has one: the key laptops seal their database key to. JSON,
    so no name can run into the next field."""
    fields: list[object] = ["wijkwerk-account/2", name, role, bool(active), int(serial)]
    if worker_key:
        fields.append(worker_key)
    return json.dumps(fields, ensure_ascii=False).encode()
