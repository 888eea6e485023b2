"""A worker's own key pair (`cryptography`): X25519 to have things sealed to him, Ed25519 to sign.

Each laptop's database key is sealed to the public key of every active worker whose record the
organisation's key signed (security.keyfile), so a worker added on one laptop logs in on every
laptop after a sync. The private halves travel with his account only wrapped by his passphrase
(Argon2id + AES-256-GCM, as the key file's slots), bound to his name. Each wrapped copy carries
a counter and his own signature over it: the hub and the laptops take a new copy (a passphrase
changed elsewhere) only when he made it, and only a newer one, so an older passphrase cannot be
sent back into force and nobody without his key can spoil his copy.

`public_key` is "<X25519 base64>.<Ed25519 base64>" (base64 has no dot).
"""

from __future__ import annotations

import binascii
import json
import re
import secrets
from dataclasses import dataclass

from wijkwerk_tui.crypto.kdf import KdfParams, current_params, derive_key
from wijkwerk_tui.crypto.org_key import b64 as _b64
from wijkwerk_tui.crypto.org_key import sane_kdf
from wijkwerk_tui.crypto.org_key import unb64 as _unb64

WRAP_VERSION = 1
SEAL_VERSION = 1
_PUBLIC = re.compile(r"[A-Za-z0-9+/]{43}=\.[A-Za-z0-9+/]{43}=")


@dataclass(frozen=True)
class WorkerKey:
    """Both private halves, as a login holds them for a moment."""

    sealing: bytes  # X25519 private, raw 32 bytes
    signing: bytes  # Ed25519 private, raw 32 bytes

    @property
    def public(self) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        sealing = X25519PrivateKey.from_private_bytes(self.sealing).public_key().public_bytes_raw()
        signing = Ed25519PrivateKey.from_private_bytes(self.signing).public_key().public_bytes_raw()
        return f"{_b64(sealing)}.{_b64(signing)}"

    def sign(self, data: bytes) -> str:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return _b64(Ed25519PrivateKey.from_private_bytes(self.signing).sign(data))

    def __repr__(self) -> str:  # never the private bytes, not even in a traceback
        return f"WorkerKey(public={self.public!r})"


def new_worker_key() -> WorkerKey:
    return WorkerKey(secrets.token_bytes(32), secrets.token_bytes(32))


def is_public_key(text: str) -> bool:
    """Two 32-byte halves, and an X25519 half something can be sealed to: a point of low order
    (all zeros, say) makes every seal fail, and one signed in would stop every laptop's login."""
    if not _PUBLIC.fullmatch(text or ""):
        return False
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

    try:
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(_halves(text)[0]))
    except ValueError:
        return False
    return True


def _halves(public: str) -> tuple[bytes, bytes]:
    sealing, _, signing = public.partition(".")
    return _unb64(sealing), _unb64(signing)


# -- the wrapped copy that travels with the account ------------------------------------------
def wrap(key: WorkerKey, passphrase: str, name: str, counter: int) -> str:
    """Both private halves wrapped by `passphrase` for `name`, numbered and signed by the key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    params = current_params()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = derive_key(passphrase, salt, params)
    public = key.public
    sealed = AESGCM(kek).encrypt(nonce, key.sealing + key.signing, _bound(name, public))
    blob: dict[str, object] = {
        "v": WRAP_VERSION,
        "public": public,
        "n": int(counter),
        "kdf": params.as_dict(),
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "sealed": _b64(sealed),
    }
    blob["sig"] = key.sign(_copy_bytes(blob, name))
    return json.dumps(blob, sort_keys=True)


def _bound(name: str, public: str) -> bytes:
    return f"worker-key|{name}|{public}".encode()


def _copy_bytes(blob: dict[str, object], name: str) -> bytes:
    said = {k: v for k, v in blob.items() if k != "sig"}
    return ("wijkwerk-worker-key-copy/1|" + name + "|" + json.dumps(said, sort_keys=True)).encode()


def _read(blob: str) -> dict[str, object] | None:
    try:
        said = json.loads(blob)
    except (ValueError, TypeError, RecursionError):
        return None
    return said if isinstance(said, dict) else None


def counter(blob: str) -> int:
    """The copy's number (0 for anything unreadable)."""
    said = _read(blob) or {}
    value = said.get("n")
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12 else 0


def copy_signed(blob: str, public: str, name: str) -> bool:
    """Whether `blob` is a copy of the key `public` that its holder made for `name`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    said = _read(blob)
    if said is None or said.get("public") != public or not is_public_key(public) or counter(blob) == 0:
        return False
    try:
        _sealing, signing = _halves(public)
        Ed25519PublicKey.from_public_bytes(signing).verify(_unb64(str(said.get("sig", ""))), _copy_bytes(said, name))
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        return False
    return True


def unwrap(blob: str, passphrase: str, name: str) -> WorkerKey | None:
    """Both private halves, or None: a wrong passphrase, another's copy, or a copy whose private
    halves do not make the public key it names."""
    from argon2.exceptions import HashingError
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    said = _read(blob)
    if said is None:
        return None
    try:
        public, params = str(said["public"]), KdfParams(**said["kdf"])  # type: ignore[arg-type]
        salt, nonce = _unb64(str(said["salt"])), _unb64(str(said["nonce"]))
        if not sane_kdf(params) or len(salt) != 16 or len(nonce) != 12:
            return None
        kek = derive_key(passphrase, salt, params)
        raw = AESGCM(kek).decrypt(nonce, _unb64(str(said["sealed"])), _bound(name, public))
        if len(raw) != 64:
            return None
        key = WorkerKey(raw[:32], raw[32:])
    except (InvalidTag, HashingError, ValueError, KeyError, TypeError, binascii.Error):
        return None
    return key if key.public == public else None


# -- sealing to a public key (ephemeral X25519, HKDF-SHA256, AES-256-GCM) ---------------------
def seal(secret: bytes, public: str, context: str) -> str:
    """`secret` readable only with the private half of `public`'s X25519 key; `context` (say,
    the slot it is for) is bound in, so a sealed box cannot be moved to another place."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    recipient, _signing = _halves(public)
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    sender = ephemeral.public_key().public_bytes_raw()
    nonce = secrets.token_bytes(12)
    box = AESGCM(_box_key(shared, sender, recipient)).encrypt(nonce, secret, context.encode())
    return json.dumps({"v": SEAL_VERSION, "from": _b64(sender), "nonce": _b64(nonce), "box": _b64(box)}, sort_keys=True)


def _box_key(shared: bytes, sender: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=None, info=b"wijkwerk-seal/1" + sender + recipient).derive(shared)


def unseal(sealed: str, key: WorkerKey, context: str) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    said = _read(sealed)
    if said is None:
        return None
    try:
        mine = X25519PrivateKey.from_private_bytes(key.sealing)
        sender = _unb64(str(said["from"]))
        shared = mine.exchange(X25519PublicKey.from_public_bytes(sender))
        recipient = mine.public_key().public_bytes_raw()
        return AESGCM(_box_key(shared, sender, recipient)).decrypt(
            _unb64(str(said["nonce"])), _unb64(str(said["box"])), context.encode()
        )
    except (InvalidTag, ValueError, KeyError, TypeError, binascii.Error):
        return None
