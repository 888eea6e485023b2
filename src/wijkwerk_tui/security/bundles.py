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
from typing import Any

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
    changes: int  # what the hub took of it
    pulled: int  # what the answer carries
    refused: str = ""  # the hub's refusal (Dutch), which the answer carries back to the hall


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
    _check_target(path)
    bundle, noted = bundles.outgoing(db)
    answer_key = worker_key.new_worker_key()
    bundle["answer_key"] = answer_key.public
    data = envelope.seal(bundles.dumps(bundle), bundles.OUT, coordinators, key)
    kept = _kept(db)
    kept[bundle["id"]] = {
        "key": (answer_key.sealing + answer_key.signing).hex(),
        "seq": noted.last_seq,
        "epoch": noted.epoch,
    }
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
    _kind, sender = envelope.read_header(data)
    if sender not in _honoured_keys(db, coordinators_only=False):
        raise BundleError(ALTERED)  # (before anything is unpacked: anyone can seal to coordinators)
    _check_target(answer_path)
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
    taken = len(answer.get("acknowledged") or [])
    with db.transaction() as tx:
        audit.record(tx, db, db.actor, "hub.bundle_relay", detail=f"{taken} wijzigingen")
    return Relayed(answer_path, taken, len(answer.get("changes") or []), str(answer.get("fout") or ""))


def _kept(db: Database) -> dict[str, dict[str, Any]]:
    try:
        kept = json.loads(settings.get(db, ANSWER_KEYS, "{}") or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in kept.items() if isinstance(v, dict)} if isinstance(kept, dict) else {}


def _take(session: Unlocked, data: bytes) -> SyncResult:
    db = session.db
    try:
        _kind, sender = envelope.read_header(data)
    except envelope.EnvelopeError:
        raise BundleError(ALTERED) from None
    if sender not in _honoured_keys(db, coordinators_only=True):
        raise BundleError(ALTERED)  # (before anything is unpacked)
    for bundle_id, noted in _kept(db).items():
        raw = bytes.fromhex(str(noted.get("key", "")))
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
        return bundles.take_answer(db, answer, bundles.Written(int(noted.get("seq", 0)), str(noted.get("epoch", ""))))
    raise BundleError(
        "Dit antwoord hoort niet bij een bestand dat deze laptop schreef (of bij een heel oud). Er is niets ingelezen."
    )


def _answer_name(path: Path) -> Path:
    if not path.name:
        raise BundleError(ALTERED)
    return path.with_name(f"{path.stem}-antwoord{path.suffix or '.wijkwerk'}")


def _check_target(path: Path) -> None:
    """A file to write, not a folder (`--to-file E:/`), in a place that can be written, checked
    before anything goes to the hub."""
    if not path.name or path.is_dir():
        raise BundleError(f"Geef een bestandsnaam, geen map: bijvoorbeeld {path / 'dorpshuis.wijkwerk'}.")
    probe = path.with_name(path.name + ".partial")
    try:
        probe.touch()
        probe.unlink()
    except OSError:
        raise BundleError(
            f"Op {path.parent} kan niet worden geschreven (vol of alleen-lezen). Kies een andere plek met --to-file."
        ) from None


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
