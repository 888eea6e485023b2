"""The report over the whole organisation, asked for from a laptop: the hub runs the report's
own queries over every laptop's data and sends the counts (no names: what a report holds);
the laptop builds and shows it as it does its own. Needs the hub to answer."""

from __future__ import annotations

import dataclasses
import uuid

from wijkwerk_tui.db.engine import HUB_URL, Database
from wijkwerk_tui.domain.report import Period, ReportData
from wijkwerk_tui.domain.wire import WireError, from_wire
from wijkwerk_tui.services import sync
from wijkwerk_tui.store import areas, settings


def organisation_report(db: Database, actor: uuid.UUID | None, period: Period) -> ReportData:
    """SyncError (Dutch) when the hub cannot be reached or refuses."""
    url, token = settings.get(db, HUB_URL), settings.get(db, sync.HUB_TOKEN)
    if not url or not token or actor is None:
        raise sync.SyncError("Deze laptop is niet gekoppeld aan een hub.")
    area = None
    if period.area_id is not None:
        area = next((a.name for a in areas.list_areas(db) if a.id == period.area_id), None)
    body = {"worker": str(actor), "van": period.start.isoformat(), "tot": period.end.isoformat(), "gebied": area}
    with sync.hub_client(url, token, settings.get(db, sync.HUB_EPOCH) or "") as client:
        answer = sync.hub_call(client, "POST", "/v1/report", json=body)
    try:
        data: ReportData = from_wire(ReportData, answer.get("rapport") if isinstance(answer, dict) else None)
    except WireError:
        raise sync.SyncError("De hub stuurde iets wat deze versie van wijkwerk niet kent. Werk wijkwerk bij.") from None
    return dataclasses.replace(data, period=period)  # this laptop's id of the area
