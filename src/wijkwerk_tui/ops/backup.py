"""Backups with SQLite's online backup API, encrypted with the database's own key.

A backup is a complete database file, copied page by page while the app runs, keyed
exactly like the original: no passphrase opens it that would not open the database.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wijkwerk_tui.config import keyfile_path
from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db.engine import Database, DatabaseError, cipher_connect, plain_connect
from wijkwerk_tui.db.faults import DAMAGED, explain, kind
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.restore_points import PLAN, Plan, to_keep, within_budget
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.trust import PINNED_KEY

KEEP_REPLACED = 3  # files replaced by restores: full copies, and rarely wanted
STAMP = "%Y%m%d-%H%M%S"


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def connect_file(path: Path, key: bytes | None) -> sqlite3.Connection:
    return cipher_connect(path, key) if key is not None else plain_connect(path)


def list_backups(db_path: Path) -> list[Path]:
    """This database's backups, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.db"), reverse=True)


def manifest_path(backup: Path) -> Path:
    """Beside each backup: its audit head and when it was made (no personal data)."""
    return backup.with_name(backup.name + ".manifest.json")


def read_manifest(backup: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_manifest(backup: Path, head: tuple[int, str] | None, made_at: datetime) -> None:
    manifest = {
        "backup": backup.name,
        "made_at": made_at.isoformat(),
        # The audit chain's newest entry in this backup: `check` tells whether the live chain
        # still extends it, so deleting or rebuilding entries behind the app's back shows.
        "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
    }
    path = manifest_path(backup)
    path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.chmod(path, 0o600)


def copy_keys(source: Path, target: Path) -> None:
    """The key file as it is now goes with the backup: it holds only wrapped keys, and without
    it neither the database nor any backup opens when the live key file is lost."""
    if not source.exists():
        return
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, target)


def _head_of(connection: sqlite3.Connection, device_id: str) -> tuple[int, str] | None:
    """This laptop's newest entry in the copy (as `audit.head`)."""
    row = connection.execute(
        "SELECT device_seq, hash FROM auditevent WHERE device_id = ? ORDER BY device_seq DESC, seq DESC LIMIT 1",
        (device_id,),
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def taken_at(backup: Path) -> datetime | None:
    try:
        stamp = backup.stem.rsplit("-", 2)
        return datetime.strptime(f"{stamp[-2]}-{stamp[-1]}", STAMP).replace(tzinfo=LOCAL_ZONE)
    except (ValueError, IndexError):
        return None


Progress = Callable[[float], None]  # the share copied so far, 0.0 to 1.0


class BackupRefused(DomainError):
    """No backup was kept (the database is damaged, the disk too full); the message is Dutch
    and the backups that were there are all still there."""


# Backups may use at most this share of what the disk has free (counting what they use now),
# and a backup is not started when less than RESERVE would stay free after it.
BUDGET_SHARE = 0.5
RESERVE = 256 * 1024 * 1024


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def _megabytes(size: float) -> str:
    return f"{size / 1_000_000:,.0f} MB".replace(",", ".")


def _size_of(db_path: Path) -> int:
    return sum(p.stat().st_size for p in (db_path, Path(f"{db_path}-wal")) if p.exists())


def remove(backup: Path) -> None:
    """A backup, its manifest and its key file."""
    for path in (backup, manifest_path(backup), keyfile_path(backup)):
        path.unlink(missing_ok=True)


def make_backup(db: Database, actor: uuid.UUID | None = None, progress: Progress | None = None) -> Path:
    """Copy the open database to backups/NAME-YYYYMMDD-HHMMSS.db (written under a temp name).

    It counts only after SQLite's quick check passes on the copy: a damaged database gives no
    backup (BackupRefused), so it can never take the place of a good one. Nothing half-written
    stays behind, whatever fails (a full disk included).
    """
    folder = backup_dir(db.path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # like the exports: only this account may look in
    except OSError as error:
        raise BackupRefused(explain(error) or "De map voor back-ups kon niet worden gemaakt.") from None
    need, free = _size_of(db.path), free_bytes(folder)
    if free - need < RESERVE:
        raise BackupRefused(
            f"Te weinig schijfruimte voor een back-up: nodig ongeveer {_megabytes(need + RESERVE)}, vrij "
            f"{_megabytes(free)}. Er is niets veranderd; de bestaande back-ups blijven staan. Maak ruimte vrij."
        )
    stamp = db.clock().astimezone(LOCAL_ZONE).strftime(STAMP)
    target = folder / f"{db.path.stem}-{stamp}.db"
    partial = target.with_suffix(".partial")
    before = _first_bytes(db.path)
    try:
        head = _copy_checked(db, partial, progress)
        if _first_bytes(db.path) != before:
            # The file got a new key meanwhile (security.rekey): this copy has the old one.
            raise BackupRefused("De database kreeg tijdens de back-up een nieuwe sleutel; maak de back-up opnieuw.")
        _write_manifest(target, head, db.now())  # UTC, like the restore note it is compared with
        copy_keys(keyfile_path(db.path), keyfile_path(target))
        os.replace(partial, target)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        remove(target)
        if isinstance(error, BackupRefused):
            with suppress(Exception):  # on a damaged file the trail may not take it: the refusal stands
                audit.log(db, actor, "backup.refused", detail="beschadigd")
            raise
        message = explain(error)
        if message is None:
            raise
        raise BackupRefused(f"De back-up is niet gemaakt. {message}") from None
    audit.log(db, actor, "backup.made", detail=target.name)
    return target


def _first_bytes(path: Path) -> bytes:
    """SQLCipher's salt: a new key (a new file in its place) has another."""
    try:
        with path.open("rb") as handle:
            return handle.read(16)
    except OSError:
        return b""


def _copy_checked(db: Database, partial: Path, progress: Progress | None) -> tuple[int, str] | None:
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY, 0o600))  # never readable by others, not even empty

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None and total:
            progress((total - remaining) / total)

    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None
        destination = connect_file(partial, db.key)
        try:
            # In steps of 4 MiB with a pause between: a 100k-resident database is ~700 MB, and
            # the app keeps answering keys while a backup runs in its thread.
            source.backup(destination, pages=1024, progress=step, sleep=0.002)
            verdict = _quick_check(destination)
            head = _head_of(destination, db.device_id) if verdict == "ok" else None
        finally:
            destination.close()
        if verdict != "ok":
            # SQLCipher leaves a connection that read a page failing its check unable to write:
            # the pool must not lend it out again.
            raw.invalidate()
    finally:
        raw.close()
    if verdict != "ok":
        raise BackupRefused(
            "De back-up is niet bewaard: de database is beschadigd (de controle van de kopie vond fouten). "
            "De bestaande back-ups blijven staan. Voer de controle uit (Database controleren, of wijkwerk "
            "check) en zet zo nodig de nieuwste goede back-up terug."
        )
    return head


def _quick_check(connection: sqlite3.Connection) -> str:
    try:
        return str(connection.execute("PRAGMA quick_check").fetchone()[0])
    except Exception as error:  # sqlite3 and sqlcipher3 errors are unrelated classes
        if kind(error) == DAMAGED:
            return "damaged"
        raise


@dataclass(frozen=True)
class Pruned:
    removed: list[Path]
    kept: int
    wanted: int  # what the plan would keep without the disk budget

    @property
    def notice(self) -> str:
        """Said when the disk budget, not the plan, decided: fewer restore points than usual."""
        if self.kept >= self.wanted:
            return ""
        return (
            f"Door de beperkte schijfruimte blijven {self.kept} back-ups bewaard in plaats van {self.wanted}: "
            "er zijn minder herstelpunten. Maak ruimte vrij op de schijf."
        )


def prune(db_path: Path, plan: Plan = PLAN) -> Pruned:
    """Keep the restore points of `plan` (by age and count), then only as many of them as fit
    in the disk budget; backups whose name carries no time are left alone."""
    dated = [(b, t) for b in list_backups(db_path) if (t := taken_at(b)) is not None]
    wanted = to_keep([t for _b, t in dated], plan)
    sizes = [(t, b.stat().st_size) for b, t in dated if t in wanted]
    used = sum(size for _t, size in sizes) + sum(b.stat().st_size for b, t in dated if t not in wanted)
    budget = int(BUDGET_SHARE * (free_bytes(backup_dir(db_path)) + used)) if dated else 0
    keep = within_budget(sizes, budget)
    removed = [b for b, t in dated if t not in keep]
    for old in removed:
        remove(old)
    return Pruned(removed, len(keep), len(wanted))


def daily_backup(db: Database, actor: uuid.UUID | None = None) -> Pruned | None:
    """On the first start of a day: one backup, then pruning. None when there is one today."""
    today = db.clock().astimezone(LOCAL_ZONE).strftime("%Y%m%d")
    if any(p.stem.rsplit("-", 2)[-2] == today for p in list_backups(db.path)):
        return None
    make_backup(db, actor)
    return prune(db.path)


def is_good(path: Path, key: bytes | None) -> bool:
    """Opens with this key and passes SQLite's quick check."""
    try:
        connection = connect_file(path, key)
        try:
            verdict: str = connection.execute("PRAGMA quick_check").fetchone()[0]
            return verdict == "ok"
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - sqlite3 and sqlcipher3 errors are unrelated classes
        return False


def role_in(path: Path, key: bytes | None, worker_id: str) -> str:
    """The role of an active worker as recorded in a backup file ("" when absent, or when that
    file had pinned the organisation's key and the key did not sign his record: store.trust)."""
    try:
        connection = connect_file(path, key)
        try:
            row = connection.execute(
                "SELECT role, name FROM worker WHERE id = ? AND active = 1 AND deleted_at IS NULL",
                (uuid.UUID(worker_id).hex,),
            ).fetchone()
            pinned = connection.execute("SELECT value FROM setting WHERE key = ?", (PINNED_KEY,)).fetchone()
            if row and pinned and pinned[0]:  # (pinned only since 0021, which added the column)
                columns = {c[1] for c in connection.execute("PRAGMA table_info(worker)")}
                own = "public_key" if "public_key" in columns else "''"  # (0022 added it)
                (signature, public_key) = connection.execute(
                    f"SELECT signature, {own} FROM worker WHERE id = ?", (uuid.UUID(worker_id).hex,)
                ).fetchone()
                if not org_key.account_signed(pinned[0], row[1], row[0], True, signature, public_key):
                    return ""
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - unreadable, or not a worker id
        return ""
    return str(row[0]) if row else ""


def newest_good(db_path: Path, key: bytes | None) -> Path | None:
    return next((b for b in list_backups(db_path) if is_good(b, key)), None)


def restore(backup: Path, db_path: Path, key: bytes | None, now: datetime | None = None) -> Path:
    """Put `backup` in place of the (closed) database. The replaced file is kept beside it.

    Returns where the replaced file went. Nothing changes when the backup is unreadable.
    """
    if not is_good(backup, key):
        raise DatabaseError("Deze back-up is beschadigd of hoort niet bij deze database.")
    stamp = datetime.now(LOCAL_ZONE).strftime(STAMP)
    kept = db_path.with_name(f"{db_path.name}.voor-herstel-{stamp}")
    if db_path.exists():
        os.replace(db_path, kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    partial = db_path.with_name(db_path.name + ".partial")
    shutil.copyfile(backup, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, db_path)
    # The key file of that time comes back with it (the replaced one is kept beside it too):
    # the accounts and passphrases in the database and the key file belong together.
    keys, live_keys = keyfile_path(backup), keyfile_path(db_path)
    if keys.exists():
        if live_keys.exists():
            shutil.copyfile(live_keys, keyfile_path(kept))
            os.chmod(keyfile_path(kept), 0o600)
        copy_keys(keys, live_keys)
    _note_restore(db_path, backup, now or datetime.now(UTC))
    prune_replaced(db_path)
    return kept


def prune_replaced(db_path: Path, keep: int = KEEP_REPLACED) -> list[Path]:
    """Files replaced by restores (`.voor-herstel-*`) are copies like backups: the newest kept."""
    replaced = sorted(
        (p for p in db_path.parent.glob(f"{db_path.name}.voor-herstel-*") if not p.name.endswith(".keys")),
        reverse=True,
    )
    for old in replaced[keep:]:
        old.unlink(missing_ok=True)
        keyfile_path(old).unlink(missing_ok=True)
    return replaced[keep:]


def _restore_note(db_path: Path) -> Path:
    return backup_dir(db_path) / f"{db_path.stem}.restored.json"


def _note_restore(db_path: Path, backup: Path, now: datetime) -> None:
    """Which backup the database now continues: newer backups' heads no longer apply to it."""
    note = {"backup": backup.name, "at": now.astimezone(UTC).isoformat()}
    path = _restore_note(db_path)
    path.write_text(json.dumps(note), encoding="utf-8")
    os.chmod(path, 0o600)


def anchor_manifest(db_path: Path) -> tuple[Path, dict[str, Any]] | None:
    """The newest backup manifest whose audit head the live chain must still hold: the newest
    backup made since the last restore, else the backup that was restored."""
    try:
        restored = json.loads(_restore_note(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        restored = None
    for made in list_backups(db_path):
        manifest = read_manifest(made)
        if not manifest or not manifest.get("audit_head"):
            continue
        if restored and made.name != restored.get("backup") and str(manifest.get("made_at", "")) < restored["at"]:
            continue  # made before the restore, of a chain that is no longer the live one
        return made, manifest
    return None
