"""A change as a laptop sends it: its shape, reading it (or refusing it whole), and the
small rules the hub applies to every change before merging (`hub.merge`, `hub.batch`)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wijkwerk_tui.db import erasure
from wijkwerk_tui.db.sync_codec import SYNCED, UNIQUE_NAMES, CodecError, decode_fields, encode
from wijkwerk_tui.domain import hlc
from wijkwerk_tui.domain.errors import DomainError

CLOCK_SLACK = timedelta(minutes=5)
KINDS = frozenset({"insert", "update", "erase", "resolve"})
CONFLICT_KEY = "_conflict"  # in a "resolve" change: which conflict a person decided
_REFERENCES = {
    "area_id": "area",
    "from_area_id": "area",
    "to_area_id": "area",
    "worker_id": "worker",
    "created_by": "worker",
}


class PushRefused(DomainError):
    """The whole push is refused; the laptop keeps its changes and says why (Dutch)."""

    code = "refused"


class ClockAhead(PushRefused):
    code = "clock"


@dataclass(frozen=True)
class Incoming:
    change_id: uuid.UUID
    table_name: str
    row_id: uuid.UUID
    kind: str
    fields: dict[str, Any]
    base_version: int
    stamp: hlc.Stamp
    worker_id: uuid.UUID | None
    conflict_id: uuid.UUID | None = None
    values: dict[str, Any] = field(default_factory=dict)  # `fields` read into the columns' types
    sent_worker: uuid.UUID | None = None  # the worker as the laptop named him, where the hub knows him otherwise


def parse(raw: dict[str, Any]) -> Incoming:
    """One change as sent; PushRefused when the hub does not understand it."""
    try:
        name = str(raw["table"])
        kind = str(raw["kind"])
        if name not in SYNCED or kind not in KINDS or (kind == "erase" and name != "resident"):
            raise CodecError("unknown change")
        fields = raw.get("fields") or {}
        if not isinstance(fields, dict):
            raise CodecError("fields")
        conflict = fields.pop(CONFLICT_KEY, None) if kind == "resolve" else None
        if kind == "resolve" and (conflict is None or len(fields) != 1):
            raise CodecError("resolve")
        values = decode_fields(name, fields)  # refuses unknown fields and values that do not fit
        if kind == "insert" and name in UNIQUE_NAMES and UNIQUE_NAMES[name] not in values:
            raise CodecError("name")  # (a worker or area without its name: the hub's NOT NULL)
        row = uuid.UUID(str(raw["row"]))
        if "id" in values and values["id"] != row:
            raise CodecError("id")
        if len(str(raw["hlc"])) > 80:
            raise CodecError("hlc")
        worker = raw.get("worker")
        base = raw.get("base", 0)
        if not isinstance(base, int) or isinstance(base, bool) or base < 0:
            raise CodecError("base")
        return Incoming(
            uuid.UUID(str(raw["id"])),
            name,
            row,
            kind,
            fields,
            base,
            hlc.parse(str(raw["hlc"])),
            uuid.UUID(str(worker)) if worker else None,
            uuid.UUID(str(conflict)) if conflict else None,
            values,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PushRefused(
            "De hub begrijpt een wijziging van deze laptop niet. Werk wijkwerk bij op deze laptop; "
            "de wijzigingen blijven bewaard."
        ) from error


def check_clock(changes: list[Incoming], now: datetime) -> None:
    late = max((c.stamp.wall for c in changes), default=None)
    if late is not None and late > now + CLOCK_SLACK:
        raise ClockAhead(
            "De klok van deze laptop staat verkeerd (vooruit ten opzichte van de hub). Zet de datum en tijd "
            "goed en synchroniseer opnieuw; de wijzigingen blijven bewaard."
        )


def translate(fields: dict[str, Any], aliases: dict[uuid.UUID, uuid.UUID]) -> dict[str, Any]:
    """References to an area or worker the organisation knows under another id, re-pointed. An
    audit entry keeps the id its hash covers beside it (`origin_worker`)."""
    out = dict(fields)
    for name, value in fields.items():
        if name in _REFERENCES and isinstance(value, uuid.UUID) and value in aliases:
            out[name] = aliases[value]
            if name == "worker_id" and "origin_worker" in fields and not fields["origin_worker"]:
                out["origin_worker"] = value
    return out


def log_row(
    device_id: str,
    change: Incoming,
    kind: str,
    fields: dict[str, Any],
    version: int,
    now: datetime,
    row_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "change_id": change.change_id,
        "device_id": device_id,
        "worker_id": change.worker_id,
        "table_name": change.table_name,
        "row_id": row_id or change.row_id,
        "kind": kind,
        "fields": json.dumps({k: encode(v) for k, v in fields.items()}, ensure_ascii=False, sort_keys=True),
        "version": version,
        "hlc": change.stamp.text(),
        "received_at": now,
    }


def wipe(name: str, fields: dict[str, Any]) -> dict[str, Any]:
    """What may still be written about an erased resident: no names, no free text."""
    if name == "resident":
        return {k: v for k, v in fields.items() if k in ("deleted_at", "merged_into")}  # (a merge erases both)
    wipe = erasure.CHILD_WIPE.get(name, erasure.MELDCODE_WIPE if name == "meldcodestep" else {})
    return {k: wipe.get(k, v) for k, v in fields.items()}
