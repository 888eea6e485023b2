"""Need-to-know in the data layer (domain.need_to_know): the areas a worker works in, and
whether a resident's file opens for him without a reason.

A worker's areas are an organisation setting (`worker_areas.<worker id>`): synced, and taken at
the hub only from a coordinator, like every organisation setting.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import (
    Area,
    Contact,
    Goal,
    LadderStep,
    OrgSetting,
    Referral,
    Resident,
    Setting,
    Signal,
    Worker,
)
from wijkwerk_tui.domain import need_to_know
from wijkwerk_tui.domain.errors import DomainError, ValidationError
from wijkwerk_tui.store import audit, settings
from wijkwerk_tui.store.access import require_role, viewer

_RECORDED = (Contact, Signal, Referral, Goal, LadderStep)  # what puts a resident on his caseload


class NeedsReason(DomainError):
    """The file is outside the worker's areas and caseload: it opens only with a reason."""


NEEDS_REASON = (
    "Deze inwoner valt buiten uw gebieden en uw eigen dossiers. U kunt het dossier openen met een "
    "reden; die wordt vastgelegd en is zichtbaar voor coördinatoren."
)


def _key(worker_id: uuid.UUID) -> str:
    return f"{settings.WORKER_AREAS_PREFIX}{worker_id}"


def _aliases(session: Session) -> dict[uuid.UUID, uuid.UUID]:
    """The organisation's id -> this laptop's id of an area or worker both made (services.sync_apply):
    the setting holds the organisation's ids, which another laptop may know under its own."""
    row = session.get(Setting, settings.HUB_ALIASES_KEY)
    try:
        return {uuid.UUID(k): uuid.UUID(v) for k, v in json.loads(row.value if row else "{}").items()}
    except (ValueError, AttributeError):
        return {}


def _org_id(aliases: dict[uuid.UUID, uuid.UUID], local: uuid.UUID) -> uuid.UUID:
    return next((hub for hub, mine in aliases.items() if mine == local), local)


def areas_of(session: Session, worker_id: uuid.UUID) -> frozenset[uuid.UUID]:
    aliases = _aliases(session)
    row = session.exec(select(OrgSetting).where(col(OrgSetting.key) == _key(_org_id(aliases, worker_id)))).first()
    stored = need_to_know.parse_areas(row.value) if row is not None else frozenset()
    return frozenset(aliases.get(area, area) for area in stored)


def worker_areas(db: Database, worker_id: uuid.UUID) -> frozenset[uuid.UUID]:
    with db.reading() as session:
        return areas_of(session, worker_id)


def set_areas(db: Database, actor: uuid.UUID, worker_id: uuid.UUID, area_ids: set[uuid.UUID]) -> None:
    """The areas `worker_id` works in (coordinators); none: every area."""
    with db.transaction() as session:
        require_role(session, actor, "accounts")
        if session.get(Worker, worker_id) is None:
            raise ValidationError("areas", "Dit account bestaat niet.")
        known = set(session.exec(select(Area.id).where(col(Area.id).in_(area_ids)))) if area_ids else set()
        aliases = _aliases(session)
        value = need_to_know.format_areas(_org_id(aliases, a) for a in known)
        settings.put(session, _key(_org_id(aliases, worker_id)), value)
        audit.record(session, db, actor, "account.areas", detail=f"{len(known)} gebieden")


class Scope:
    """Whom `actor` opens without a reason: everyone (coordinators, no areas set), or the
    residents of his areas and caseload."""

    def __init__(self, session: Session, actor: uuid.UUID | None) -> None:
        who = viewer(session, actor)
        self.actor = actor
        # (read per search keystroke: a coordinator's areas do not matter, so are not read)
        self.areas = areas_of(session, actor) if actor is not None and not who.is_coordinator else frozenset()
        # (no actor: the program itself, not a person at a screen: a benchmark, a migration)
        self.everyone = actor is None or who.is_coordinator or not self.areas

    def column(self) -> ColumnElement[bool]:
        """Per resident row of a query: opens without a reason."""
        if self.everyone:
            return sa.true()
        mine = []
        for model in _RECORDED:
            m: Any = aliased(model)  # (not the outer query's own table: a list of signals, say)
            mine.append(
                exists().where(
                    and_(
                        col(m.resident_id) == col(Resident.id),
                        col(m.created_by) == self.actor,
                        col(m.deleted_at).is_(None),  # (an undone contact puts nobody on his caseload)
                    )
                )
            )
        return or_(
            col(Resident.area_id).is_(None),
            col(Resident.area_id).in_(self.areas),
            col(Resident.created_by) == self.actor,
            *mine,
        )

    def opens(self, session: Session, resident: Resident) -> bool:
        if self.everyone:
            return True
        caseload = resident.created_by == self.actor or any(
            session.exec(
                select(m.id)
                .where(col(m.resident_id) == resident.id, col(m.created_by) == self.actor, col(m.deleted_at).is_(None))
                .limit(1)
            ).first()
            is not None
            for m in _RECORDED
        )
        return need_to_know.in_scope(False, self.areas, resident.area_id, caseload)


def check_opens(session: Session, actor: uuid.UUID | None, resident: Resident, reason: str) -> None:
    """NeedsReason unless `actor` opens this file without one, or gave one (checked)."""
    if reason:
        need_to_know.check_reason(reason)
        return
    if not Scope(session, actor).opens(session, resident):
        raise NeedsReason(NEEDS_REASON)
