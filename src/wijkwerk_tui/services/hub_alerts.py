"""A coordinator marks the hub's alerts about the laptops' audit chains handled (hub.audit_anchor):
the hub no longer sends them to any laptop, and the next break of such a chain is a new alert.
Audited here; needs the hub to answer."""

from __future__ import annotations

import uuid

from wijkwerk_tui.db.engine import HUB_URL, Database
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import audit, settings
from wijkwerk_tui.store.access import require_role


def mark_seen(db: Database, actor: uuid.UUID | None) -> int:
    """Every alert kept on this laptop, marked handled at the hub. How many the hub still had
    open. SyncError (Dutch) when the hub cannot be reached or refuses."""
    with db.reading() as session:
        require_role(session, actor, "hub.alerts")
    ids = settings.hub_alert_ids(db)
    url, token = settings.get(db, HUB_URL), settings.get(db, sync.HUB_TOKEN)
    if not url or not token or actor is None:
        raise sync.SyncError("Deze laptop is niet gekoppeld aan een hub.")
    if not ids:
        return 0
    with sync.hub_client(url, token, settings.get(db, sync.HUB_EPOCH) or "") as client:
        answer = sync.hub_call(client, "POST", "/v1/alerts/seen", json={"worker": str(actor), "ids": ids})
    seen = int(answer.get("gezien", 0)) if isinstance(answer, dict) else 0
    with db.transaction() as session:
        audit.record(session, db, actor, "hub.alerts_seen", None, str(len(ids)))
        settings.drop_hub_alerts(session, set(ids))
    return seen
