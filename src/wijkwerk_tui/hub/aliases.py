"""Areas and workers the hub knew under another laptop's id: a laptop's id -> the
organisation's (the first laptop's), as the change log records them ("alias")."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import Connection, select

from wijkwerk_tui.db.sync_tables import ALIAS, HubChange, core

_CHANGE = core(HubChange)
ALIASES = select(_CHANGE.c.row_id, _CHANGE.c.fields).where(ALIAS)  # (through ix_hubchange_alias)


def known_aliases(connection: Connection) -> dict[uuid.UUID, uuid.UUID]:
    """A laptop's id of an area or worker -> the organisation's (the first laptop's)."""
    rows = connection.execute(ALIASES)
    return {row_id: uuid.UUID(json.loads(fields)["to"]) for row_id, fields in rows}
