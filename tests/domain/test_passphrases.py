"""Finding 18: one cracked key slot opens the whole database, so a passphrase must be hard to
guess, not only long: a strength estimate (zxcvbn) with Dutch common words and the
organisation's and worker's own names, and a Dutch reason when it is refused."""

from __future__ import annotations

import pytest

from tests.conftest import PASS
from wijkwerk_tui.domain.accounts import check_passphrase
from wijkwerk_tui.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("1234567890", "veelgebruikt"),
        ("abcdefghijk", "reeks"),
        ("aaaaaaaaaa", "herhaling"),
        ("welkom1234", "veelgebruikt"),
        ("Zomer2026!!", "veelgebruikt"),
        ("wachtwoord12", "veelgebruikt"),
        ("Dorpshuis2026", "veelgebruikt"),
    ],
)
def test_hardening_18_common_and_patterned_passphrases_are_refused(weak: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_passphrase(weak)
    assert refused.value.field == "passphrase" and reason in refused.value.message


def test_hardening_18_ones_own_names_make_no_passphrase() -> None:
    personal = ("Welzijn Oost", "Sanne Kuiper", "Ruinen")
    for weak in ("WelzijnOost1!", "SanneKuiper2026", "ruinen-ruinen"):
        with pytest.raises(ValidationError) as refused:
            check_passphrase(weak, personal=personal)
        assert "naam" in refused.value.message or "herhaling" in refused.value.message


@pytest.mark.parametrize("strong", ["paars-fietspomp-regen", "nieuw-en-lang-genoeg", PASS, "Klaproos op de dijk 7"])
def test_a_few_unrelated_words_pass(strong: str) -> None:
    assert check_passphrase(strong, personal=("Welzijn Oost", "Sanne Kuiper")) == strong


def test_the_old_rules_still_hold() -> None:
    with pytest.raises(ValidationError, match="10 tekens"):
        check_passphrase("kort")
    with pytest.raises(ValidationError) as different:
        check_passphrase("paars-fietspomp-regen", "paars-fietspomp-rege")
    assert different.value.field == "repeat"
