"""The organisation's signing key (Ed25519, `cryptography`): the trust root of its accounts.

`wijkwerk hub init` makes it on a coordinator's laptop. Its public half goes to the hub and is
pinned by every laptop; its private half exists only wrapped by a coordinator's passphrase
(Argon2id + AES-256-GCM, as the key file's slots), bound to that coordinator's name, so the
hub's operator holds nothing he can sign with (only what he could try to guess a passphrase
against). An account record (`domain.accounts.account_record`) is signed with it; a laptop
honours an account only when its record verifies under the pinned public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from wijkwerk_tui.crypto.kdf import KdfParams, current_params, derive_key
from wijkwerk_tui.domain.accounts import account_record

WRAP_VERSION = 1


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


@dataclass(frozen=True)
class OrgKey:
    """The private half, as a coordinator's session holds it after his login."""

    private: bytes = b""  # raw 32 bytes
    public: str = ""  # raw 32 bytes, base64

    def sign(self, data: bytes) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return b64(Ed25519PrivateKey.from_private_bytes(self.private).sign(data))

    def __repr__(self) -> str:  # never the private bytes, not even in a traceback
        return f"OrgKey(public={self.public!r})"


def new_org_key() -> OrgKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    return _from_private(private.private_bytes_raw())


def _from_private(raw: bytes) -> OrgKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return OrgKey(raw, b64(Ed25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw()))


def is_public_key(text: str) -> bool:
    try:
        return len(unb64(text)) == 32
    except (binascii.Error, ValueError):
        return False


def verify(public: str, data: bytes, signature: str) -> bool:
    """Whether `signature` is the organisation key's over `data`; anything malformed is False."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not public or not signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(unb64(signature), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def fingerprint(public: str) -> str:
    """What two people read aloud to compare keys: 16 bytes of SHA-256 in groups of four."""
    digest = hashlib.sha256(public.encode()).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def wrap(key: OrgKey, passphrase: str, bound_to: str, counter: int = 1) -> str:
    """The private half wrapped by a passphrase, for one coordinator (his name bound in: one
    per organisation, while his id differs on a laptop that had him before it joined), and
    signed by the key itself, so a copy nobody holding it made is ignored everywhere."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    params = current_params()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = derive_key(passphrase, salt, params)
    sealed = AESGCM(kek).encrypt(nonce, key.private, f"org-key|{bound_to}|{key.public}".encode())
    blob: dict[str, object] = {
        "v": WRAP_VERSION,
        "public": key.public,
        "n": int(counter),  # (signed with it: the hub and laptops take only a newer copy)
        "kdf": params.as_dict(),
        "salt": b64(salt),
        "nonce": b64(nonce),
        "sealed": b64(sealed),
    }
    blob["sig"] = key.sign(_copy_bytes(blob, bound_to))
    return json.dumps(blob, sort_keys=True)


def _copy_bytes(blob: dict[str, object], bound_to: str) -> bytes:
    said = {k: v for k, v in blob.items() if k != "sig"}
    return ("wijkwerk-org-key-copy/1|" + bound_to + "|" + json.dumps(said, sort_keys=True)).encode()


def copy_signed(blob: str, public: str, bound_to: str) -> bool:
    """Whether `blob` is a copy of the key `public` that a holder of it made for `bound_to`."""
    try:
        said = json.loads(blob)
        if not isinstance(said, dict) or said.get("public") != public:
            return False
        return verify(public, _copy_bytes(said, bound_to), str(said.get("sig", "")))
    except (ValueError, TypeError, RecursionError):
        return False


def copy_counter(blob: str) -> int:
    """A copy's number (0 for none, or anything unreadable: copies made before it had one)."""
    try:
        said = json.loads(blob)
    except (ValueError, TypeError, RecursionError):
        return 0
    value = said.get("n") if isinstance(said, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12 else 0


def wrapped_public(blob: str) -> str:
    """The public half a wrapped key says it belongs to ("" when unreadable)."""
    try:
        said = json.loads(blob)
        return str(said["public"]) if isinstance(said, dict) else ""
    except (ValueError, KeyError):
        return ""


def sane_kdf(params: KdfParams) -> bool:
    """A blob comes from the hub: its cost must be one Argon2id accepts and that does not stall
    a laptop's login (our default is 3 passes over 64 MiB with 4 lanes)."""
    lanes = params.parallelism
    return 1 <= params.time_cost <= 4 and 1 <= lanes <= 8 and 8 * lanes <= params.memory_kib <= 256 * 1024


def unwrap(blob: str, passphrase: str, bound_to: str) -> OrgKey | None:
    """The private half, or None: a wrong passphrase, another coordinator's blob, or a blob
    whose private half does not make the public half it names."""
    from argon2.exceptions import HashingError
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        said = json.loads(blob)
        public, params = str(said["public"]), KdfParams(**said["kdf"])
        salt, nonce = unb64(said["salt"]), unb64(said["nonce"])
        if not sane_kdf(params) or len(salt) != 16 or len(nonce) != 12:
            return None
        kek = derive_key(passphrase, salt, params)
        raw = AESGCM(kek).decrypt(unb64(said["nonce"]), unb64(said["sealed"]), f"org-key|{bound_to}|{public}".encode())
        key = _from_private(raw)
    except (InvalidTag, HashingError, ValueError, KeyError, TypeError, binascii.Error, RecursionError):
        return None
    return key if key.public == public else None


# -- account records -------------------------------------------------------------------------
# A signature is "serial:base64". The serial grows with each signing of one account, so an
# older signed record sent again (say, of before a deactivation) is refused at the hub.
def signature_serial(signature: str) -> int:
    """The serial before the colon; 0 for anything else ("²" is a digit to `isdigit`, not to `int`)."""
    serial, _, _rest = signature.partition(":")
    return int(serial) if re.fullmatch(r"[0-9]{1,12}", serial) else 0


def sign_account(key: OrgKey, name: str, role: str, active: bool, serial: int, worker_key: str = "") -> str:
    return f"{serial}:{key.sign(account_record(name, role, active, serial, worker_key))}"


def account_signed(public: str, name: str, role: str, active: bool, signature: str, worker_key: str = "") -> bool:
    """Whether the record (with the worker's public key, when he has one) is as the key signed it."""
    serial = signature_serial(signature)
    _serial, _, signed = signature.partition(":")
    return serial > 0 and verify(public, account_record(name, role, active, serial, worker_key), signed)
