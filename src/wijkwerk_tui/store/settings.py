"""Settings: the organisation's (its name, lock time, retention, ladder labels: a synced table,
changed by coordinators) and this laptop's own (device id, hub, export folder, last area used:
never synced). One `get`/`put` for both: the key decides where it lives."""

from __future__ import annotations

import json
import uuid

from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import OrgSetting, Setting
from wijkwerk_tui.domain.accounts import DEFAULT_LOCK_MINUTES, check_lock_minutes
from wijkwerk_tui.domain.errors import DomainError
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.retention import DEFAULT_YEARS, check_years
from wijkwerk_tui.domain.text import check_folder, clean_line, visible_line
from wijkwerk_tui.store import audit
from wijkwerk_tui.store.access import require_role

ORGANISATION_KEY = "organisation"
LOCK_MINUTES_KEY = "lock_minutes"
RETENTION_KEY = "retention_years"
# JSON: the hub's id -> this laptop's id of an area or worker both had (services.sync_apply).
HUB_ALIASES_KEY = "hub.aliases"
EXPORT_FOLDER_KEY = "export_folder"  # this laptop's choice; "" is the app's own data folder
# "1" once a worker was switched off here (or arrived switched off): the device token, which he
# could have read out of the database, is rotated at the next sync (services.sync).
ROTATE_TOKEN = "hub.rotate_token"
HUB_AUDIT_ALERTS = "hub.audit_alerts"  # what the hub last said about the audit chains (JSON, `hub_alerts`)
ALERTS_KEPT, ALERT_LENGTH = 100, 400


# What a new database key (security.rekey) does with the backups under the old one: copied under
# the new key (the default), or removed ("verwijderen"): the coordinators' choice.
REKEY_BACKUPS_KEY = "rekey_backups"
REMOVE_BACKUPS = "verwijderen"
ORGANISATION_KEYS = frozenset({ORGANISATION_KEY, LOCK_MINUTES_KEY, RETENTION_KEY, REKEY_BACKUPS_KEY})
LADDER_LABELS_PREFIX = "ladder_labels."  # then the ladder
WORKER_AREAS_PREFIX = "worker_areas."  # then a worker's id: the areas he works in (store.scope)


def is_organisation(key: str) -> bool:
    """Whether a setting is the organisation's (synced) rather than this laptop's."""
    return key in ORGANISATION_KEYS or key.startswith((LADDER_LABELS_PREFIX, WORKER_AREAS_PREFIX))


def _org_row(session: Session, key: str) -> OrgSetting | None:
    return session.exec(select(OrgSetting).where(col(OrgSetting.key) == key)).first()


def get(db: Database, key: str, default: str = "") -> str:
    with db.reading() as session:
        row = _org_row(session, key) if is_organisation(key) else session.get(Setting, key)
        return row.value if row else default


def put(session: Session, key: str, value: str) -> None:
    row = _org_row(session, key) if is_organisation(key) else session.get(Setting, key)
    if row is None:
        session.add(OrgSetting(key=key, value=value) if is_organisation(key) else Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
        session.add(row)


def set_value(db: Database, key: str, value: str, bookkeeping: bool = False) -> None:
    with db.transaction(bookkeeping) as session:
        put(session, key, value)


def ladder_labels(db: Database, ladder: Ladder) -> dict[int, str]:
    """The organisation's own names for the steps of `ladder` (may be empty)."""
    raw = get(db, f"{LADDER_LABELS_PREFIX}{ladder.value}")
    try:
        data = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}
    return {int(k): str(v) for k, v in data.items() if str(k).isdigit()}


def lock_minutes(db: Database) -> int:
    try:
        return check_lock_minutes(get(db, LOCK_MINUTES_KEY, str(DEFAULT_LOCK_MINUTES)))
    except DomainError:  # a damaged value never blocks the lock
        return DEFAULT_LOCK_MINUTES


def hub_alerts(db: Database) -> list[tuple[str, str]]:
    """(when, what) the hub said about every laptop's audit chain at the last sync (hub.audit_anchor)."""
    try:
        items = json.loads(get(db, HUB_AUDIT_ALERTS, "[]"))
        return [(str(item["at"]), str(item["said"])) for item in items]
    except (ValueError, TypeError, KeyError):
        return []


def hub_alerts_text(alerts: list[object]) -> str:
    """What the hub sent, as kept (its text cleaned: it reaches a terminal)."""
    kept = [
        {
            "id": visible_line(str(a.get("id", "")))[:36],
            "at": visible_line(str(a.get("at", "")))[:40],
            "said": visible_line(str(a.get("said", "")))[:ALERT_LENGTH],
        }
        for a in alerts[-ALERTS_KEPT:]
        if isinstance(a, dict)
    ]
    return json.dumps(kept, ensure_ascii=False)


def hub_alert_ids(db: Database) -> list[str]:
    """The hub's ids of the alerts kept (to mark them handled: services.hub_alerts)."""
    try:
        return [str(item["id"]) for item in json.loads(get(db, HUB_AUDIT_ALERTS, "[]")) if item.get("id")]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []


def drop_hub_alerts(session: Session, ids: set[str]) -> None:
    """Forget these alerts here (handled: the hub no longer sends them)."""
    row = session.get(Setting, HUB_AUDIT_ALERTS)
    try:
        items = json.loads(row.value) if row else []
        put(session, HUB_AUDIT_ALERTS, json.dumps([a for a in items if a.get("id") not in ids], ensure_ascii=False))
    except (ValueError, TypeError, AttributeError):
        put(session, HUB_AUDIT_ALERTS, "[]")


def retention_years(db: Database) -> int:
    try:
        return check_years(get(db, RETENTION_KEY, str(DEFAULT_YEARS)))
    except DomainError:
        return DEFAULT_YEARS


def save_organisation_settings(
    db: Database,
    actor: uuid.UUID | None,
    *,
    organisation: str,
    lock_minutes: int | str,
    retention_years: int | str,
    export_folder: str | None = None,
    remove_backups: bool | None = None,
) -> None:
    """The settings screen's one transaction (coordinators only). `export_folder`: where this
    laptop writes exports ("" for the app's own data folder; None leaves it as it is)."""
    name = clean_line(organisation, "organisation", max_len=120, required=True, what="de naam van de organisatie")
    minutes = check_lock_minutes(lock_minutes)
    years = check_years(retention_years)
    folder = None if export_folder is None else check_folder(export_folder, "export_folder")
    with db.transaction() as session:
        require_role(session, actor, "settings")
        put(session, ORGANISATION_KEY, name)
        put(session, LOCK_MINUTES_KEY, str(minutes))
        put(session, RETENTION_KEY, str(years))
        if folder is not None:
            put(session, EXPORT_FOLDER_KEY, folder)
        if remove_backups is not None:
            put(session, REKEY_BACKUPS_KEY, REMOVE_BACKUPS if remove_backups else "")
        audit.record(session, db, actor, "settings.update", detail=f"lock={minutes};retention={years}")
