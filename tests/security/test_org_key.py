"""The organisation's signing key: a signature covers every field of an account record, and a
wrapped copy opens only with its passphrase, for its coordinator, as the key it names."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.domain.accounts import account_record

KEY = org_key.new_org_key()
OTHER = org_key.new_org_key()
names = st.text(min_size=1, max_size=40)
roles = st.sampled_from(["worker", "coordinator"])


@given(names, roles, st.booleans())
def test_a_signed_record_verifies_and_no_other_key_made_it(name: str, role: str, active: bool) -> None:
    record = account_record(name, role, active)
    signature = KEY.sign(record)
    assert org_key.verify(KEY.public, record, signature)
    assert not org_key.verify(OTHER.public, record, signature)
    assert not org_key.verify(KEY.public, record, OTHER.sign(record))


@given(names, roles, st.booleans(), names, roles, st.booleans())
def test_a_signature_covers_every_field(
    name: str, role: str, active: bool, name2: str, role2: str, active2: bool
) -> None:
    signature = KEY.sign(account_record(name, role, active))
    same = (name, role, active) == (name2, role2, active2)
    assert org_key.verify(KEY.public, account_record(name2, role2, active2), signature) is same


@given(st.text(max_size=120), st.text(max_size=120))
def test_malformed_keys_and_signatures_are_false_never_an_error(public: str, signature: str) -> None:
    assert not org_key.verify(public, account_record("Piet", "worker", True), signature)


def test_a_name_cannot_run_into_the_role() -> None:
    assert account_record("Piet", "coordinator", True) != account_record('Piet", "coordinator', "worker", True)


def test_a_wrapped_copy_opens_with_its_passphrase_for_its_coordinator_only() -> None:
    blob = org_key.wrap(KEY, "een lange zin als wachtwoord", "Anke Boerema")
    opened = org_key.unwrap(blob, "een lange zin als wachtwoord", "Anke Boerema")
    assert opened is not None and opened.public == KEY.public and opened.private == KEY.private
    assert org_key.wrapped_public(blob) == KEY.public
    assert org_key.unwrap(blob, "een ander wachtwoord", "Anke Boerema") is None
    assert org_key.unwrap(blob, "een lange zin als wachtwoord", "Sanne Kuiper") is None  # copied to another row
    assert KEY.private.hex() not in blob and "private" not in repr(opened)


def test_a_copy_that_names_another_public_key_does_not_open() -> None:
    said = json.loads(org_key.wrap(KEY, "wachtwoord", "Anke"))
    said["public"] = OTHER.public  # someone at the hub swaps in his own key's public half
    assert org_key.unwrap(json.dumps(said), "wachtwoord", "Anke") is None


@settings(max_examples=30)
@given(st.integers(-5, 10**9), st.integers(-5, 10**9), st.integers(-5, 100))
def test_a_copy_with_a_cost_that_would_stall_a_login_is_refused(time_cost: int, memory: int, lanes: int) -> None:
    said = json.loads(org_key.wrap(KEY, "wachtwoord", "Anke"))
    said["kdf"] = {"time_cost": time_cost, "memory_kib": memory, "parallelism": lanes}
    sane = 1 <= time_cost <= 10 and 8 <= memory <= 1024 * 1024 and 1 <= lanes <= 16
    if not sane:
        assert org_key.unwrap(json.dumps(said), "wachtwoord", "Anke") is None


@given(st.text(max_size=300))
def test_any_text_as_a_wrapped_copy_is_none_never_an_error(blob: str) -> None:
    assert org_key.unwrap(blob, "wachtwoord", "Anke") is None
    assert isinstance(org_key.wrapped_public(blob), str)


def test_a_fingerprint_is_eight_groups_and_differs_per_key() -> None:
    shown = org_key.fingerprint(KEY.public)
    assert len(shown.split()) == 8 and all(len(group) == 4 for group in shown.split())
    assert shown != org_key.fingerprint(OTHER.public)
