"""Consent to register a resident (AVG): asked once, then on file until withdrawn."""

from __future__ import annotations

from wijkwerk_tui.domain.errors import ValidationError

ASK = "Vraag of de inwoner toestemming geeft voor registratie (j of n)."


def for_visit(answered: bool | None, on_file: bool | None) -> bool:
    """The consent a visit goes by: the answer given now, else a yes on file. Missing or
    withdrawn consent must be asked (raises at the consent field)."""
    if answered is not None:
        return answered
    if on_file:
        return True
    raise ValidationError("consent", ASK)


def needs_asking(on_file: bool | None) -> bool:
    return not on_file
