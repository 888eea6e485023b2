"""A frozen report against a new run of the same period: what changed and why."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain import report as period
from wijkwerk_tui.domain import report_build, report_diff
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.report import ALL
from wijkwerk_tui.queries import report_changes, report_data
from wijkwerk_tui.store import frozen_reports
from wijkwerk_tui.store.frozen_reports import Frozen


@dataclass(frozen=True)
class Comparison:
    frozen: Frozen
    explained: list[report_diff.Explained]
    titles: dict[str, str]  # table key -> title

    def lines(self) -> list[str]:
        at = self.frozen.frozen_at.astimezone(LOCAL_ZONE)
        head = [
            f"Vastgesteld {at:%d-%m-%Y %H:%M} door {self.frozen.by or 'onbekend'}: "
            f"{self.frozen.start:%d-%m-%Y} t/m {self.frozen.end:%d-%m-%Y}, {self.frozen.area}",
            "Vingerafdruk klopt."
            if self.frozen.intact
            else "⚠ De opgeslagen cijfers kloppen niet met hun vingerafdruk.",
        ]
        return head + report_diff.lines(self.explained, self.titles)


def compare(db: Database, actor: uuid.UUID | None, frozen_id: uuid.UUID) -> Comparison:
    frozen = frozen_reports.get_frozen(db, actor, frozen_id)
    now = report_build.build(report_data.load(db, actor, period.Period(frozen.start, frozen.end)), frozen.organisation)
    changes = report_diff.diff(frozen.figures, report_diff.figures(now))
    if frozen.area != ALL:  # what was sent: that area's rows
        changes = [c for c in changes if c.area == frozen.area]
    records = report_changes.changes_since(db, actor, frozen.frozen_at, frozen.start, frozen.end) if changes else []
    titles = {t.key: t.title for t in now.tables}
    return Comparison(frozen, report_diff.explain(changes, records), titles)
