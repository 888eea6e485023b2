"""Sealed, signed envelopes for what travels outside the network (a USB stick): the content is
compressed and encrypted once under a random key (AES-256-GCM), that key is sealed to each
recipient's X25519 key (`worker_key.seal`), and the sender signs the whole with his Ed25519
key. A finder of the stick reads nothing; an altered or forged envelope fails `open_sealed`.

What the envelope shows unencrypted: its kind, the recipients' and the sender's public keys.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import zlib
from dataclasses import dataclass

from wijkwerk_tui.crypto import worker_key
from wijkwerk_tui.crypto.worker_key import WorkerKey
from wijkwerk_tui.domain import sealed

VERSION = 1
MAX_BYTES = 512 * 1024 * 1024  # a year of a hall's work is a few megabytes


class EnvelopeError(Exception):
    """Not an envelope, altered, forged, or not for this key. The reason names no content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "kapot" | "handtekening" | "niet-voor-jou" | "soort"


@dataclass(frozen=True)
class Opened:
    kind: str
    sender: str  # the signer's public key (worker_key format)
    content: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def _signed_bytes(said: dict[str, object]) -> bytes:
    rest = {k: v for k, v in said.items() if k != "sig"}
    return ("wijkwerk-envelope/1|" + json.dumps(rest, sort_keys=True)).encode()


def seal(content: bytes, kind: str, recipients: list[str], sender: WorkerKey) -> bytes:
    """`content` for the holders of `recipients`' private keys, signed by `sender`."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not recipients:
        raise ValueError("no recipients")
    key, nonce = secrets.token_bytes(32), secrets.token_bytes(12)
    box = AESGCM(key).encrypt(nonce, zlib.compress(content, 6), kind.encode())
    said: dict[str, object] = {
        "v": VERSION,
        "kind": kind,
        "from": sender.public,
        "to": {public: worker_key.seal(key, public, f"envelope|{kind}|{public}") for public in sorted(set(recipients))},
        "nonce": _b64(nonce),
        "box": _b64(box),
    }
    said["sig"] = sender.sign(_signed_bytes(said))
    return json.dumps(said, sort_keys=True).encode()


def read_header(data: bytes) -> tuple[str, str]:
    """(kind, sender's public key) of an envelope whose signature holds, before anything is
    opened; EnvelopeError otherwise."""
    said = _parse(data)
    _check_signature(said)
    return str(said["kind"]), str(said["from"])


def open_sealed(data: bytes, kind: str, key: WorkerKey) -> Opened:
    """The content, when the signature holds, the kind is `kind` and `key` is a recipient."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    said = _parse(data)
    _check_signature(said)
    if said["kind"] != kind:
        raise EnvelopeError("soort")
    recipients = said["to"]
    assert isinstance(recipients, dict)
    sealed = recipients.get(key.public)
    if not isinstance(sealed, str):
        raise EnvelopeError("niet-voor-jou")
    inner = worker_key.unseal(sealed, key, f"envelope|{kind}|{key.public}")
    if inner is None or len(inner) != 32:
        raise EnvelopeError("kapot")
    try:
        packed = AESGCM(inner).decrypt(_unb64(str(said["nonce"])), _unb64(str(said["box"])), kind.encode())
        unpacking = zlib.decompressobj()
        content = unpacking.decompress(packed, MAX_BYTES)
        if unpacking.unconsumed_tail or not unpacking.eof:
            raise EnvelopeError("kapot")  # (larger than any bundle: never cut off silently)
    except (InvalidTag, ValueError, binascii.Error, zlib.error):
        raise EnvelopeError("kapot") from None
    return Opened(kind, str(said["from"]), content)


def _parse(data: bytes) -> dict[str, object]:
    if len(data) > MAX_BYTES:
        raise EnvelopeError("kapot")
    try:
        said = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise EnvelopeError("kapot") from None
    if (
        not isinstance(said, dict)
        or said.get("v") != VERSION
        or not all(isinstance(said.get(k), str) for k in ("kind", "from", "nonce", "box", "sig"))
        or not isinstance(said.get("to"), dict)
    ):
        raise EnvelopeError("kapot")
    return said


def _check_signature(said: dict[str, object]) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public = str(said["from"])
    if not worker_key.is_public_key(public):
        raise EnvelopeError("handtekening")
    try:
        signing = _unb64(public.partition(".")[2])
        Ed25519PublicKey.from_public_bytes(signing).verify(_unb64(str(said["sig"])), _signed_bytes(said))
    except (InvalidSignature, binascii.Error, ValueError):
        raise EnvelopeError("handtekening") from None


# -- a text sealed to its readers (confidential signals) -------------------------------------
SEALED_TEXT = sealed.PREFIX
is_sealed_text = sealed.is_sealed


def seal_text(text: str, readers: list[str]) -> str:
    """`text` readable only with the private key of one of `readers` (public keys): encrypted
    once under a random key, which is sealed to each reader. No signature: the row's author and
    the audit trail say who wrote it."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, nonce = secrets.token_bytes(32), secrets.token_bytes(12)
    box = AESGCM(key).encrypt(nonce, text.encode(), SEALED_TEXT.encode())
    said = {
        "to": {public: worker_key.seal(key, public, f"text|{public}") for public in sorted(set(readers))},
        "nonce": _b64(nonce),
        "box": _b64(box),
    }
    return SEALED_TEXT + json.dumps(said, sort_keys=True, separators=(",", ":"))


def open_text(stored: str, key: WorkerKey) -> str | None:
    """The text, when `key` is one of its readers; None otherwise (or when damaged)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        said = json.loads(stored.removeprefix(SEALED_TEXT))
        sealed = said["to"].get(key.public)
        if not isinstance(sealed, str):
            return None
        inner = worker_key.unseal(sealed, key, f"text|{key.public}")
        if inner is None:
            return None
        plain = AESGCM(inner).decrypt(_unb64(str(said["nonce"])), _unb64(str(said["box"])), SEALED_TEXT.encode())
        return plain.decode()
    except (InvalidTag, ValueError, KeyError, TypeError, AttributeError, binascii.Error, RecursionError):
        return None
