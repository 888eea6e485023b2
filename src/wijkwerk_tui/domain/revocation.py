"""A revoked laptop wipes itself when it reaches the hub again, on the hub's word only.

The hub answers a revoked laptop's token with a proof: an HMAC over the device id, keyed
with the hash of that laptop's token (all the hub keeps of it). The laptop knows its token
and checks the proof before it wipes anything, so someone between the laptop and the hub
(a forged hub address, a café's network) cannot make a laptop wipe itself. Only whoever can
read the hub's device table, or this laptop's own database, could make one."""

from __future__ import annotations

import hashlib
import hmac

CODE = "ontkoppeld"  # the hub's refusal code for a revoked laptop
_WHAT = "wijkwerk: deze laptop is ontkoppeld: "


def secret_hash(secret: str) -> str:
    """How the hub keeps a token or code: never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def proof(token_hash: str, device_id: str) -> str:
    return hmac.new(token_hash.encode(), (_WHAT + device_id).encode(), hashlib.sha256).hexdigest()


def holds(shown: str, token: str, device_id: str) -> bool:
    """Whether `shown` is the hub's proof that this laptop (its token, its id) was revoked."""
    return bool(shown) and hmac.compare_digest(shown, proof(secret_hash(token), device_id))
