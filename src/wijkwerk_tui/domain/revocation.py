"""A revoked laptop wipes itself when it reaches the hub again, on the hub's word only.

At its join the hub hands each laptop a wipe key, once; it is never sent again (the token
is, on every request, so whatever stands between a laptop and the hub and reads its
requests, a proxy that inspects TLS or a log of headers, knows the token). The hub answers a
revoked laptop with a proof: an HMAC over the device id keyed with that wipe key. The laptop
checks the proof before it wipes anything. Only whoever can read the hub's device table, or
this laptop's own database, or saw the join's answer, could make one."""

from __future__ import annotations

import hashlib
import hmac

CODE = "ontkoppeld"  # the hub's refusal code for a revoked laptop
_WHAT = "wijkwerk: deze laptop is ontkoppeld: "


def secret_hash(secret: str) -> str:
    """How the hub keeps a token or code: never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def proof(wipe_key: str, device_id: str) -> str:
    return hmac.new(wipe_key.encode(), (_WHAT + device_id).encode(), hashlib.sha256).hexdigest()


def holds(shown: str, wipe_key: str, device_id: str) -> bool:
    """Whether `shown` is the hub's proof that this laptop (its wipe key, its id) was revoked.
    Without a wipe key (joined before there were any) nothing ever holds."""
    if not (shown and wipe_key and shown.isascii()):
        return False
    return hmac.compare_digest(shown, proof(wipe_key, device_id))
