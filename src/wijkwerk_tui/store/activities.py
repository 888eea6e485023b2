"""Group activities (collectief als het kan): a head count, not a list of names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.rows import get_live, stamp_new
from wijkwerk_tui.db.tables import ActivityResident, Area, GroupActivity, Resident
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.text import clean_line


@dataclass(frozen=True)
class ActivityData:
    name: str
    area_id: uuid.UUID | None
    held_on: date
    participants: int | str = 0
    volunteers: int | str = 0
    note: str = ""


def _count(value: int | str, field: str) -> int:
    text = str(value).strip() or "0"
    if not text.isdigit() or int(text) > 100_000:
        raise ValidationError(field, "Vul een aantal in (0 of meer).")
    return int(text)


def add_activity(
    db: Database,
    actor: uuid.UUID | None,
    data: ActivityData,
    resident_ids: tuple[uuid.UUID, ...] = (),
    volunteer_ids: tuple[uuid.UUID, ...] = (),
) -> GroupActivity:
    """The activity with the residents linked to it: as participants, and as volunteers."""
    name = clean_line(data.name, "name", max_len=120, required=True, what="een naam")
    participants = _count(data.participants, "participants")
    volunteers = _count(data.volunteers, "volunteers")
    if data.held_on > db.today():
        raise ValidationError("held_on", "Registreer een activiteit als die heeft plaatsgevonden.")
    if len(resident_ids) > participants:
        raise ValidationError("participants", "Er zijn meer inwoners gekoppeld dan deelnemers geteld.")
    if len(volunteer_ids) > volunteers:
        raise ValidationError("volunteers", "Er zijn meer vrijwilligers gekoppeld dan vrijwilligers geteld.")
    with db.transaction() as session:
        if data.area_id is not None:
            get_live(session, Area, data.area_id, "Gebied")
        activity = stamp_new(
            db,
            actor,
            GroupActivity(
                name=name,
                area_id=data.area_id,
                held_on=data.held_on,
                participants=participants,
                volunteers=volunteers,
                note=clean_line(data.note, "note", max_len=400),
            ),
        )
        session.add(activity)
        session.flush()
        for role, ids in (("participant", resident_ids), ("volunteer", volunteer_ids)):
            for resident_id in ids:
                get_live(session, Resident, resident_id, "Inwoner")
                link = ActivityResident(activity_id=activity.id, resident_id=resident_id, role=role)
                session.add(stamp_new(db, actor, link))
        return activity


def list_activities(db: Database, limit: int = 200) -> list[GroupActivity]:
    with db.reading() as session:
        return list(
            session.exec(
                select(GroupActivity)
                .where(col(GroupActivity.deleted_at).is_(None))
                .order_by(col(GroupActivity.held_on).desc())
                .limit(limit)
            )
        )
