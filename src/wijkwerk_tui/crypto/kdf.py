"""Argon2id (argon2-cffi): passphrase hashes for accounts and keys for wrapping the database key."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # argon2 loads when a passphrase is checked, not when the login is drawn
    from argon2 import PasswordHasher


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The default is RFC 9106's second recommendation (64 MiB, 3 passes)."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


DEFAULT_PARAMS = KdfParams()
# Tests swap in cheap parameters (conftest); each slot and hash records its own cost.
_current = DEFAULT_PARAMS


def current_params() -> KdfParams:
    return _current


def use_params(params: KdfParams) -> None:
    global _current
    _current = params


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """A 256-bit key-encryption key from a passphrase."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode(),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _hasher(params: KdfParams) -> PasswordHasher:
    from argon2 import PasswordHasher
    from argon2.low_level import Type

    return PasswordHasher(
        time_cost=params.time_cost, memory_cost=params.memory_kib, parallelism=params.parallelism, type=Type.ID
    )


def hash_passphrase(passphrase: str) -> str:
    return _hasher(_current).hash(passphrase)


def verify_passphrase(stored: str, passphrase: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if not stored:
        return False
    try:
        return _hasher(_current).verify(stored, passphrase)
    except (VerificationError, InvalidHashError):
        return False
