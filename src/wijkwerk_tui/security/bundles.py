"""USB bundles, sealed and signed (crypto.envelope); what they carry is services.bundles.

- The hall's file is sealed to the public keys of the organisation's coordinators (as this
  laptop honours their accounts) and signed by the worker who wrote it; it carries a one-time
  answer key whose private half stays in this laptop's encrypted database.
- A coordinator's laptop with network opens it, checks the signature is of an account it
  honours, hands it to the hub and writes the answer, sealed to that answer key and signed by
  the coordinator.
- The hall takes the answer only when signed by a coordinator it honours.
A finder of the stick reads nothing (not even the device token); an altered byte, a forged
signature or an answer for another laptop is refused before anything is applied.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from wijkwerk_tui.crypto import envelope, worker_key
from wijkwerk_tui.crypto.worker_key import WorkerKey
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.security.vault import Unlocked
from wijkwerk_tui.services import bundles
from wijkwerk_tui.services.bundles import BundleError
from wijkwerk_tui.services.sync import SyncResult
from wijkwerk_tui.store import audit, settings, workers

ANSWER_KEYS = "bundle.answer_keys"  # laptop setting: the answer keys of bundles written here (JSON)
KEEP_ANSWER_KEYS = 20  # bundles written before the answer to the first came back
ALTERED = "Dit bestand is veranderd, beschadigd of niet door de organisatie gemaakt. Er is niets mee gedaan."


@dataclass(frozen=True)
class Relayed:
    answer: Path
    changes: int  # what the bundle carried
    pulled: int  # what the answer carries


def _own_key(session: Unlocked, passphrase: str) -> WorkerKey:
    worker = workers.get_worker(session.db, session.worker_id)
    key = worker_key.unwrap(worker.wrapped_key, passphrase, worker.name) if worker.wrapped_key else None
    if key is None or key.public != worker.public_key or not workers.honoured(session.db, worker):
        raise BundleError(
            "Uw account heeft hier nog geen sleutelpaar dat de organisatie ondertekende. "
            "Synchroniseer eerst één keer via het netwerk."
        )
    return key


def _honoured_keys(db: Database, coordinators_only: bool) -> dict[str, str]:
    """Public key -> name, of the active accounts this laptop honours."""
    return {
        worker.public_key: worker.name
        for worker in workers.list_workers(db)
        if worker.public_key
        and worker.active
        and (worker.role == COORDINATOR or not coordinators_only)
        and workers.honoured(db, worker)
        and worker_key.is_public_key(worker.public_key)
    }


def write_outgoing(session: Unlocked, passphrase: str, path: Path) -> int:
    """The hall's side: what waits, into `path` (written whole or not at all). Returns how many
    changes it carries. They stay queued here until the answer comes back."""
    db = session.db
    key = _own_key(session, passphrase)
    coordinators = sorted(_honoured_keys(db, coordinators_only=True))
    if not coordinators:
        raise BundleError("Deze laptop kent geen coördinator met een sleutelpaar om het bestand voor te versleutelen.")
    bundle = bundles.outgoing(db)
    answer_key = worker_key.new_worker_key()
    bundle["answer_key"] = answer_key.public
    data = envelope.seal(bundles.dumps(bundle), bundles.OUT, coordinators, key)
    kept = json.loads(settings.get(db, ANSWER_KEYS, "{}") or "{}")
    kept[bundle["id"]] = (answer_key.sealing + answer_key.signing).hex()
    kept = dict(list(kept.items())[-KEEP_ANSWER_KEYS:])
    with db.transaction() as tx:  # the key first: a file without its key here could not be answered
        settings.put(tx, ANSWER_KEYS, json.dumps(kept))
        audit.record(tx, db, db.actor, "hub.bundle_out", detail=f"{len(bundle['changes'])} wijzigingen")
    _write_whole(path, data)
    return len(bundle["changes"])


def read_file(session: Unlocked, passphrase: str, path: Path, answer_path: Path | None = None) -> SyncResult | Relayed:
    """A bundle from another laptop (this coordinator hands it to the hub and writes the answer
    beside it, or to `answer_path`), or the answer to one of this laptop's (taken in)."""
    data = _read(path)
    try:
        kind, _sender = envelope.read_header(data)
    except envelope.EnvelopeError:
        raise BundleError(ALTERED) from None
    if kind == bundles.OUT:
        return _relay(session, passphrase, data, answer_path or _answer_name(path))
    if kind == bundles.BACK:
        return _take(session, data)
    raise BundleError(ALTERED)


def _relay(session: Unlocked, passphrase: str, data: bytes, answer_path: Path) -> Relayed:
    db = session.db
    key = _own_key(session, passphrase)
    try:
        opened = envelope.open_sealed(data, bundles.OUT, key)
    except envelope.EnvelopeError as error:
        if error.reason == "niet-voor-jou":
            raise BundleError(
                "Alleen een coördinator van de organisatie kan dit bestand openen (het is niet voor u versleuteld)."
            ) from None
        raise BundleError(ALTERED) from None
    if opened.sender not in _honoured_keys(db, coordinators_only=False):
        raise BundleError(ALTERED)
    bundle = bundles.loads(opened.content)
    recipient = bundle.get("answer_key") if isinstance(bundle, dict) else None
    if not isinstance(recipient, str) or not worker_key.is_public_key(recipient):
        raise BundleError(ALTERED)
    answer = bundles.relay(db, bundle)
    sealed = envelope.seal(bundles.dumps(answer), bundles.BACK, [recipient], key)
    _write_whole(answer_path, sealed)
    with db.transaction() as tx:
        audit.record(tx, db, db.actor, "hub.bundle_relay", detail=f"{len(bundle['changes'])} wijzigingen")
    return Relayed(answer_path, len(bundle["changes"]), len(answer.get("changes") or []))


def _take(session: Unlocked, data: bytes) -> SyncResult:
    db = session.db
    kept = json.loads(settings.get(db, ANSWER_KEYS, "{}") or "{}")
    for bundle_id, private in kept.items():
        raw = bytes.fromhex(private)
        try:
            opened = envelope.open_sealed(data, bundles.BACK, WorkerKey(raw[:32], raw[32:]))
        except envelope.EnvelopeError as error:
            if error.reason == "niet-voor-jou":
                continue
            raise BundleError(ALTERED) from None
        if opened.sender not in _honoured_keys(db, coordinators_only=True):
            raise BundleError(ALTERED)
        answer = bundles.loads(opened.content)
        if not isinstance(answer, dict) or answer.get("for") != bundle_id:
            raise BundleError(ALTERED)
        return bundles.take_answer(db, answer)
    raise BundleError(
        "Dit antwoord hoort niet bij een bestand dat deze laptop schreef (of bij een heel oud). Er is niets ingelezen."
    )


def _answer_name(path: Path) -> Path:
    return path.with_name(f"{path.stem}-antwoord{path.suffix or '.wijkwerk'}")


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > envelope.MAX_BYTES:
            raise BundleError(ALTERED)
        return path.read_bytes()
    except OSError:
        raise BundleError(f"Het bestand {path.name} kon niet worden gelezen.") from None


def _write_whole(path: Path, data: bytes) -> None:
    """Written beside, flushed to the stick, then renamed: a stick pulled out mid-way leaves
    the old file or none, never half of one."""
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise BundleError(f"Het bestand {path.name} kon niet worden geschreven (vol of niet beschreven).") from None
