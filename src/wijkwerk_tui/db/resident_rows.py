"""Which synced rows belong to a resident, and how to reach him from them: the unit in which
a laptop with areas holds data (hub.scope) and drops it (db.scope_drop)."""

from __future__ import annotations

from wijkwerk_tui.db.sync_codec import APPEND_ONLY, SYNCED, table_of

RESIDENT = "resident"
# Rows with their resident's id (the audit is left out: ids only, and every laptop keeps all of it).
BY_RESIDENT: tuple[str, ...] = tuple(
    name for name in SYNCED if name not in APPEND_ONLY and name != RESIDENT and "resident_id" in table_of(name).c
)
# Rows of a signal, so of the signal's resident.
BY_SIGNAL: tuple[str, ...] = tuple(name for name in SYNCED if "signal_id" in table_of(name).c)
BOUND = frozenset({RESIDENT, *BY_RESIDENT, *BY_SIGNAL})
