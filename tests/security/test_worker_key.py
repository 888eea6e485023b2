"""A worker's own key pair (crypto.worker_key): its wrapped copy opens only with his passphrase,
for him, as the pair it names; only he makes a copy that verifies; a sealed box opens only with
the private half it was sealed to, in its own place; and the signed record covers his public key."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wijkwerk_tui.crypto import org_key, worker_key

PAIR = worker_key.new_worker_key()
OTHER = worker_key.new_worker_key()
ORG = org_key.new_org_key()
names = st.text(min_size=1, max_size=40)
secrets_ = st.binary(min_size=0, max_size=64)


def test_public_key_has_both_halves_and_repr_hides_the_private_ones() -> None:
    assert worker_key.is_public_key(PAIR.public) and PAIR.public != OTHER.public
    assert PAIR.sealing.hex() not in repr(PAIR) and PAIR.signing.hex() not in repr(PAIR)


@settings(max_examples=25, deadline=None)
@given(names, st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30), st.integers(1, 10**6))
def test_a_copy_opens_with_its_passphrase_for_its_worker_only(name: str, passphrase: str, other: str, n: int) -> None:
    copy = worker_key.wrap(PAIR, passphrase, name, n)
    assert worker_key.unwrap(copy, passphrase, name) == PAIR
    assert worker_key.counter(copy) == n
    assert worker_key.copy_signed(copy, PAIR.public, name)
    if other != passphrase:
        assert worker_key.unwrap(copy, other, name) is None
    if other != name:
        assert worker_key.unwrap(copy, passphrase, other) is None  # bound to his name
        assert not worker_key.copy_signed(copy, PAIR.public, other)
    assert not worker_key.copy_signed(copy, OTHER.public, name)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["public", "n", "salt", "nonce", "sealed", "kdf", "sig"]), st.integers(2, 10**6))
def test_any_field_changed_and_the_copy_is_no_longer_his(field: str, n: int) -> None:
    said = json.loads(worker_key.wrap(PAIR, "pw", "Piet", 1))
    if field == "public":
        said[field] = OTHER.public
    elif field == "n":
        said[field] = n  # (an older copy numbered up, to pass for a newer one)
    elif field == "kdf":
        said[field] = {**said["kdf"], "time_cost": said["kdf"]["time_cost"] + 1}
    else:
        said[field] = said[field][:-4] + ("AAA=" if not said[field].endswith("AAA=") else "BBB=")
    changed = json.dumps(said)
    assert not worker_key.copy_signed(changed, PAIR.public, "Piet")
    if field not in ("n", "sig"):  # (the counter and signature are not what opens it)
        assert worker_key.unwrap(changed, "pw", "Piet") is None


def test_a_copy_made_with_another_pair_naming_his_public_key_is_not_his() -> None:
    said = json.loads(worker_key.wrap(OTHER, "pw", "Piet", 5))
    said["public"] = PAIR.public
    said["sig"] = OTHER.sign(
        (
            "wijkwerk-worker-key-copy/1|Piet|"
            + json.dumps({k: v for k, v in said.items() if k != "sig"}, sort_keys=True)
        ).encode()
    )
    forged = json.dumps(said)
    assert not worker_key.copy_signed(forged, PAIR.public, "Piet")
    assert worker_key.unwrap(forged, "pw", "Piet") is None  # (the pair inside makes another public key)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
@example('{"v": 1, "public": "x", "n": 1, "kdf": {"time_cost": 99, "memory_kib": 9999999, "parallelism": 1}}')
@example('{"n": true}')
@example("[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]")
def test_anything_as_a_copy_or_a_box_is_refused_never_an_error(text: str) -> None:
    assert worker_key.unwrap(text, "pw", "Piet") is None
    assert not worker_key.copy_signed(text, PAIR.public, "Piet")
    assert worker_key.counter(text) == 0 or text.startswith("{")
    assert worker_key.unseal(text, PAIR, "slot") is None
    assert not worker_key.is_public_key(text) or len(text) == 89


@settings(max_examples=50, deadline=None)
@given(secrets_, st.text(max_size=40), st.text(max_size=40))
def test_a_sealed_box_opens_with_its_key_in_its_place_only(secret: bytes, place: str, elsewhere: str) -> None:
    box = worker_key.seal(secret, PAIR.public, place)
    assert worker_key.unseal(box, PAIR, place) == secret
    assert worker_key.unseal(box, OTHER, place) is None
    if elsewhere != place:
        assert worker_key.unseal(box, PAIR, elsewhere) is None
    said = json.loads(box)
    said["box"] = said["box"][:-4] + ("AAAA" if not said["box"].endswith("AAAA") else "BBBB")
    assert worker_key.unseal(json.dumps(said), PAIR, place) is None


def test_the_signed_record_covers_the_worker_s_public_key() -> None:
    signature = org_key.sign_account(ORG, "Piet", "worker", True, 3, PAIR.public)
    assert org_key.account_signed(ORG.public, "Piet", "worker", True, signature, PAIR.public)
    assert not org_key.account_signed(ORG.public, "Piet", "worker", True, signature, OTHER.public)
    assert not org_key.account_signed(ORG.public, "Piet", "worker", True, signature)  # (his key left out)
    older = org_key.sign_account(ORG, "Piet", "worker", True, 3)
    assert not org_key.account_signed(ORG.public, "Piet", "worker", True, older, PAIR.public)
