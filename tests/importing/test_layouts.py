"""Each layout the organisations use imports to what the fixture script says it holds."""

from __future__ import annotations

import pytest

from tests.importing.helpers import counts, preview
from wijkwerk_tui.db.tables import Worker
from wijkwerk_tui.services import import_apply
from wijkwerk_tui.services.import_plan import ERROR, NEW, SAME_FILE, SKIPPED
from wijkwerk_tui.store import areas


@pytest.mark.parametrize("name", ["long.xlsx", "wide.xlsx", "villages.xlsx", "leden-1252.csv", "ruinen.ods"])
def test_issue16_layout_imports_what_the_sheet_holds(db, boss: Worker, sheets, name: str) -> None:
    path, expected = sheets[name]
    if name == "villages.xlsx":  # a sheet per village: the organisation's villages (set up first)
        for village in sorted(expected.areas):
            areas.add_area(db, boss.id, village)
    shown = preview(db, path)
    assert [r.text for r in shown.rows if r.status == ERROR] == []
    assert {(r.sheet, r.number) for r in shown.rows if r.status == SKIPPED} == expected.skipped_rows
    assert shown.count(NEW) == expected.residents
    assert shown.facts == {"ladder": expected.ladder, "contact": expected.contacts, "signal": expected.signals}
    done = import_apply.apply(db, boss.id, shown)
    assert done.residents_new == expected.residents
    after = counts(db)
    assert (after["resident"], after["ladderstep"], after["contact"], after["signal"]) == (
        expected.residents,
        expected.ladder,
        expected.contacts,
        expected.signals,
    )
    assert {a.name for a in areas.list_areas(db)} == expected.areas


def test_issue16_long_layout_reads_merged_names_serials_and_words(db, boss: Worker, sheets) -> None:
    path, _expected = sheets["long.xlsx"]
    shown = preview(db, path)
    # A person's later rows (name merged over them) are the same resident, not someone new.
    assert shown.count(SAME_FILE) > 0
    first = next(r for r in shown.rows if r.status == NEW)
    assert "," not in first.name and first.name == first.name.strip()  # "Vries, Anna de" read as Anna de Vries
    import_apply.apply(db, boss.id, shown)
    from sqlmodel import select

    from wijkwerk_tui.db.tables import Resident
    from wijkwerk_tui.domain.ladders import Ladder
    from wijkwerk_tui.store import ladders

    with db.reading() as session:
        people = list(session.exec(select(Resident)))
    histories = [ladders.history(db, p.id, Ladder.PARTICIPATION) for p in people]
    assert sum(len(h) for h in histories) == sum(1 for r in shown.rows if r.status in (NEW, SAME_FILE))
    assert all(1 <= s.step <= 6 for h in histories for s in h)


def test_issue16_csv_in_windows_1252_keeps_accents(db, boss: Worker, sheets) -> None:
    path, _expected = sheets["leden-1252.csv"]
    names = {r.name for r in preview(db, path).rows}
    assert "Jürgen Müller (1949)" in names
    assert "Renée Hoëvenaar (1961)" in names
    assert "Anna de Vries (1950)" in names
