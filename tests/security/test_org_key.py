"""The organisation's signing key: a signature covers every field of an account record, and a
wrapped copy opens only with its passphrase, for its coordinator, as the key it names."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.domain.accounts import account_record

KEY = org_key.new_org_key()
OTHER = org_key.new_org_key()
names = st.text(min_size=1, max_size=40)
roles = st.sampled_from(["worker", "coordinator"])


serials = st.integers(1, 10**6)


@given(names, roles, st.booleans(), serials)
def test_a_signed_record_verifies_and_no_other_key_made_it(name: str, role: str, active: bool, serial: int) -> None:
    signature = org_key.sign_account(KEY, name, role, active, serial)
    assert org_key.signature_serial(signature) == serial
    assert org_key.account_signed(KEY.public, name, role, active, signature)
    assert not org_key.account_signed(OTHER.public, name, role, active, signature)
    forged = org_key.sign_account(OTHER, name, role, active, serial)
    assert not org_key.account_signed(KEY.public, name, role, active, forged)


@given(names, roles, st.booleans(), serials, names, roles, st.booleans(), serials)
def test_a_signature_covers_every_field_and_its_serial(
    name: str, role: str, active: bool, serial: int, name2: str, role2: str, active2: bool, serial2: int
) -> None:
    _serial, _, signed = org_key.sign_account(KEY, name, role, active, serial).partition(":")
    same = (name, role, active, serial) == (name2, role2, active2, serial2)
    assert org_key.account_signed(KEY.public, name2, role2, active2, f"{serial2}:{signed}") is same


@given(st.text(max_size=120), st.text(max_size=120))
@example("", "²:AAAA")  # a digit to str.isdigit, not to int()
@example("", "1234567890123:AAAA")
def test_malformed_keys_and_signatures_are_false_never_an_error(public: str, signature: str) -> None:
    assert not org_key.verify(public, account_record("Piet", "worker", True, 1), signature)
    assert not org_key.account_signed(public, "Piet", "worker", True, signature)
    assert not org_key.account_signed(KEY.public, "Piet", "worker", True, signature)
    assert org_key.signature_serial(signature) >= 0


def test_a_name_cannot_run_into_the_role() -> None:
    assert account_record("Piet", "coordinator", True, 1) != account_record('Piet", "coordinator', "worker", True, 1)


def test_a_wrapped_copy_opens_with_its_passphrase_for_its_coordinator_only() -> None:
    blob = org_key.wrap(KEY, "een lange zin als wachtwoord", "Anke Boerema")
    opened = org_key.unwrap(blob, "een lange zin als wachtwoord", "Anke Boerema")
    assert opened is not None and opened.public == KEY.public and opened.private == KEY.private
    assert org_key.wrapped_public(blob) == KEY.public
    assert org_key.unwrap(blob, "een ander wachtwoord", "Anke Boerema") is None
    assert org_key.unwrap(blob, "een lange zin als wachtwoord", "Sanne Kuiper") is None  # copied to another row
    assert KEY.private.hex() not in blob and "private" not in repr(opened)
    assert org_key.copy_signed(blob, KEY.public, "Anke Boerema")
    assert not org_key.copy_signed(blob, KEY.public, "Sanne Kuiper")
    assert not org_key.copy_signed(blob, OTHER.public, "Anke Boerema")


def test_a_copy_made_without_the_key_is_not_signed() -> None:
    """A token holder can wrap some key under a passphrase, and name the organisation's public
    half in it; he cannot sign it with the organisation's key."""
    said = json.loads(org_key.wrap(OTHER, "wachtwoord", "Anke"))
    said["public"] = KEY.public
    assert not org_key.copy_signed(json.dumps(said), KEY.public, "Anke")
    said = json.loads(org_key.wrap(KEY, "wachtwoord", "Anke"))
    said["salt"] = ""  # a copy that would make Argon2id fail: nothing opens, nothing crashes
    assert not org_key.copy_signed(json.dumps(said), KEY.public, "Anke")
    assert org_key.unwrap(json.dumps(said), "wachtwoord", "Anke") is None


def test_a_copy_that_names_another_public_key_does_not_open() -> None:
    said = json.loads(org_key.wrap(KEY, "wachtwoord", "Anke"))
    said["public"] = OTHER.public  # someone at the hub swaps in his own key's public half
    assert org_key.unwrap(json.dumps(said), "wachtwoord", "Anke") is None


@settings(max_examples=60, deadline=None)
@given(st.integers(-5, 10**9), st.integers(-5, 2048), st.integers(-5, 100))
def test_a_copy_with_a_cost_argon2_refuses_or_that_would_stall_a_login_is_none(
    time_cost: int, memory: int, lanes: int
) -> None:
    said = json.loads(org_key.wrap(KEY, "wachtwoord", "Anke"))
    said["kdf"] = {"time_cost": time_cost, "memory_kib": memory, "parallelism": lanes}
    sane = 1 <= time_cost <= 4 and 1 <= lanes <= 8 and 8 * lanes <= memory <= 256 * 1024
    opened = org_key.unwrap(json.dumps(said), "wachtwoord", "Anke")  # never an error
    if not sane:
        assert opened is None


@given(st.text(max_size=300))
def test_any_text_as_a_wrapped_copy_is_none_never_an_error(blob: str) -> None:
    assert org_key.unwrap(blob, "wachtwoord", "Anke") is None
    assert isinstance(org_key.wrapped_public(blob), str)


def test_a_fingerprint_is_eight_groups_and_differs_per_key() -> None:
    shown = org_key.fingerprint(KEY.public)
    assert len(shown.split()) == 8 and all(len(group) == 4 for group in shown.split())
    assert shown != org_key.fingerprint(OTHER.public)
