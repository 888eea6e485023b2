"""The period report on a fixture whose every figure was worked out by hand (see the comments)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from tests.queries.report_office import STORY, _built, _report
from wijkwerk_tui.domain import report as period
from wijkwerk_tui.domain.report import ALL, Count, Measure
from wijkwerk_tui.exchange import report_files as export


def _row(report: period.PeriodReport, key: str, *labels: str) -> list:
    table = report.table(key)
    row = next(r for r in table.rows if r[: len(labels)] == list(labels))
    return [c.n if isinstance(c, Count) else c.value if isinstance(c, Measure) else c for c in row[len(labels) :]]


def test_ladders_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    # In beeld at the end (30-6-2026): r1 4, r2 2, r3 1, r4 3, r7 2 (anonymised, still counted), r8 2,
    # r9 5. r10 is placed but out of view; r5 only after the period; r6 deleted.
    # ... then in beeld, ever placed, with room to grow (groeipotentieel: r1 4 -> 5, r4 3 -> 4; r2's
    # potential 1 is below her step 2) and its share.
    assert _row(report, "participation_distribution", ALL) == [1, 3, 1, 1, 1, 0, 7, 8, 2, 28.6]
    assert _row(report, "participation_distribution", "Ruinen") == [0, 3, 0, 1, 0, 0, 4, 5, 1, 25.0]
    assert _row(report, "participation_distribution", "Echten") == [1, 0, 1, 0, 1, 0, 3, 3, 1, 33.3]
    # up r1 (2->4) r7 (1->2), down r2 (3->2), same r8, new r3 (first placed on the start
    # day) r4 r9; average change (2 + 1 - 1 + 0) / 4.
    assert _row(report, "participation_movement", ALL) == [2, 1, 1, 3, 7, 0.5]
    assert _row(report, "participation_movement", "Ruinen") == [2, 1, 1, 0, 4, 0.5]
    assert _row(report, "participation_movement", "Echten") == [0, 0, 0, 3, 3, None]
    # Support: r1 4 -> 3 on the end day is lighter ("lichter" comes first on this ladder).
    assert report.table("support_movement").columns[1:5] == ["lichter", "zwaarder", "gelijk", "nieuw"]
    assert report.table("participation_movement").columns[1:5] == ["omhoog", "omlaag", "gelijk", "nieuw"]
    assert _row(report, "support_movement", ALL) == [1, 0, 0, 0, 1, -1.0]
    # On the verantwoordelijkheidsladder room to grow is a lighter step: r1 3 -> 2.
    assert _row(report, "support_distribution", ALL) == [0, 0, 1, 0, 0, 1, 1, 1, 100.0]


def test_issue15_01_a_change_on_the_first_day_counts_in_that_period(office) -> None:
    """r3 is first placed on 1-1-2026: new in the first half of 2026, not in 2025."""
    db, _ = office
    assert _row(_report(db), "participation_movement", "Echten")[3] == 3  # r3, r4, r9 new
    year_before = _report(db, start=date(2025, 1, 1), end=date(2025, 12, 31))
    echten = [r for r in year_before.table("participation_movement").rows if r[0] == "Echten"]
    assert echten == []  # nobody in Echten was placed by the end of 2025


def test_issue15_02_a_move_leaves_past_periods_alone(office) -> None:
    """r9 moved from Echten to Ruinen on 1-9-2026: the first half of 2026 still counts him in Echten,
    a report ending after the move in Ruinen."""
    db, _ = office
    assert _row(_report(db), "participation_distribution", "Echten")[4] == 1
    later = _report(db, start=date(2026, 1, 1), end=date(2026, 10, 31))
    assert _row(later, "participation_distribution", "Echten")[4] == 0
    assert _row(later, "participation_distribution", "Ruinen")[4] == 1


def test_signals_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    # new, of which anonymous, open at the end, closed at the end
    # loneliness: s1 (closed 11-2) and the anonymous visitor of 20-5 (r6's is left out: deleted).
    assert _row(report, "signals", ALL, "Eenzaamheid / sociaal isolement") == [2, 1, 0, 1]
    # debts: r3's (open) and s5 (closed 15-6, reopened only in August: closed at the end); s2 from
    # 2025, closed in January.
    assert _row(report, "signals", ALL, "Schulden / armoede") == [2, 0, 1, 2]
    assert _row(report, "signals", ALL, "Wonen / overlast") == [1, 1, 1, 0]
    assert _row(report, "signals", "Echten", "Wonen / overlast") == [1, 1, 1, 0]
    assert _row(report, "signals", "Echten", "Eenzaamheid / sociaal isolement") == [1, 1, 0, 0]
    # Closed in the period: 10, 51 and 75 days; one of the three by referral.
    assert _row(report, "signals_closed", ALL) == [3, 51.0, 33.3]
    assert [r[0] for r in report.table("signals_closed").rows] == [ALL, "Ruinen"]  # areas without any: no row
    # New signals (as signal cards) by urgency and source: r4's "huiselijk geweld" is urgent, from a
    # neighbour; the others normal, own observation.
    assert _row(report, "signals_urgency", ALL) == [0, 4, 1, 0, 5]
    assert _row(report, "signals_source", ALL) == [4, 0, 1, 0, 0, 5]
    assert _row(report, "signals", "Echten", "Huiselijk geweld / kindermishandeling / ouderenmishandeling") == [
        1,
        0,
        1,
        0,
    ]


def test_issue15_05_anonymous_signals_count(office) -> None:
    db, _ = office
    report = _report(db)
    assert _row(report, "signals", ALL, "Eenzaamheid / sociaal isolement")[:2] == [2, 1]


def test_issue15_10_the_figures_a_policy_officer_asks_for(office) -> None:
    db, _ = office
    report = _report(db)
    # Goals set in the period (r1 achieved since, r3 running; r2's is from 2025): set, then by status now.
    assert _row(report, "goals", ALL) == [2, 1, 1, 0, 0, 0]
    assert _row(report, "goals", "Echten") == [1, 1, 0, 0, 0, 0]
    # Reached: r1, r2, r3, all born 1950 (76 at the end); r2 and r3 for the first time (r1 came in 2025).
    assert _row(report, "reached", ALL) == [0, 0, 0, 3, 0, 3, 2]
    assert _row(report, "reached", "Ruinen") == [0, 0, 0, 2, 0, 2, 1]
    # Caseload at 30-6: open signals (r3's debts, the housing one, r4's), running referrals (r1's
    # from December, r3's to Taalhuis, r4's answered only in July), seen in April-June (r2).
    assert _row(report, "caseload", ALL) == [3, 3, 1]
    assert _row(report, "caseload", "Echten") == [3, 2, 0]
    assert _row(report, "caseload", "Ruinen") == [0, 1, 1]
    # Meldcode: steps 1 and 2 for r4's signal.
    assert _row(report, "meldcode", ALL) == [1, 1, 0, 0, 0]
    # Hours of effort: no durations recorded in this office.
    assert _row(report, "effort", ALL) == [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]


def test_referrals_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    # made, without consent, sent, accepted, rejected, completed, on time, late, not yet due, %, median days
    # Schuldhulp: f1 on time (9 days), f2 late (19 days), g answered only after the end: not yet due then.
    assert _row(report, "referrals", ALL, "Schuldhulp") == [3, 0, 3, 2, 1, 1, 1, 1, 1, 50.0, 14.0]
    # Taalhuis: r3's not yet due, r4's proposed without consent, r2's rejected while only proposed.
    assert _row(report, "referrals", ALL, "Taalhuis") == [3, 1, 1, 0, 1, 0, 0, 0, 1, None, None]
    assert _row(report, "referrals", "Echten", "Taalhuis") == [2, 1, 1, 0, 0, 0, 0, 0, 1, None, None]


def test_issue15_03_a_referral_not_yet_due_is_not_late(office) -> None:
    """Run on 23-11-2026: the referral due 30-11-2026 is not late in a report for 2026."""
    db, _ = office
    report = _report(db, start=date(2026, 1, 1), end=date(2026, 12, 31))
    # Schuldhulp over 2026: f1 on time, f2 late, g (answered 5-7, due 9-7) on time, r3's pending.
    assert _row(report, "referrals", ALL, "Schuldhulp")[6:9] == [2, 1, 1]


def test_issue15_04_a_referral_never_sent_is_neither_sent_nor_late(office) -> None:
    db, _ = office
    row = _row(_report(db), "referrals", "Ruinen", "Taalhuis")
    assert row[:9] == [1, 0, 0, 0, 1, 0, 0, 0, 0]  # made, rejected, not sent, not judged


def test_reach_and_stories_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    # walk_in, home_visit, phone, activity, outreach | total, unique, anonymous, activities, participants,
    # volunteers (counted per activity), unique volunteers by name (r8)
    assert _row(report, "reach", ALL) == [3, 1, 1, 1, 0, 6, 3, 2, 1, 12, 3, 1]
    assert _row(report, "reach", "Ruinen") == [1, 0, 1, 1, 0, 3, 2, 0, 1, 12, 3, 1]
    assert _row(report, "reach", "Echten") == [2, 1, 0, 0, 0, 3, 1, 2, 0, 0, 0, 0]
    months = [r[2].n for r in report.table("contacts_per_month").rows if r[0] == ALL]
    assert months == [1, 1, 2, 0, 1, 1]
    assert [r[2].n for r in report.table("contacts_per_month").rows if r[0] == "Echten"] == [0, 0, 2, 0, 1, 0]
    assert report.stories == [("Ruinen", date(2026, 6, 30), STORY)]


def test_area_filter_by_hand(office) -> None:
    db, ids = office
    report = _report(db, ids["b"])
    assert report.area == "Echten"
    assert [r[0] for r in report.table("participation_movement").rows] == ["Echten"]
    assert _row(report, "participation_movement", "Echten") == [0, 0, 0, 3, 3, None]
    assert _row(report, "reach", "Echten") == [2, 1, 0, 0, 0, 3, 1, 2, 0, 0, 0, 0]
    assert [r[1] for r in report.table("referrals").rows] == ["Schuldhulp", "Taalhuis"]
    assert report.stories == []


def _tidy(raw: bytes) -> list[dict[str, str]]:
    """The CSV's value lines, below its header block."""
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text[text.index("sectie;") :]), delimiter=";"))


def test_exports_parse_and_hold_no_names(office, tmp_path: Path) -> None:
    db, _ = office
    built = _built(db)
    published = built.view()
    raw = export.to_csv(published)
    assert raw.startswith(b"\xef\xbb\xbf")
    header = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))[:5]
    assert header == [
        ["organisatie", "Welzijn"],
        ["periode", "01-01-2026 t/m 30-06-2026"],
        ["gebied", ALL],
        ["kleine aantallen", export.LEGEND],
        ["gemaakt op", "23-11-2026"],
    ]
    rows = _tidy(raw)
    assert list(rows[0]) == ["sectie", "rij", "subrij", "kenmerk", "waarde"]
    walk_ins = next(
        r for r in rows if r["sectie"] == "Bereik" and r["rij"] == ALL and r["kenmerk"] == "contact: inloop"
    )
    assert walk_ins["waarde"] == "x"  # 3 walk-ins: hidden
    assert "Test" not in raw.decode("utf-8-sig") and "1950" not in raw.decode("utf-8-sig")
    unsuppressed = _tidy(export.to_csv(built.view(protect=False)))
    average = next(
        r
        for r in unsuppressed
        if r["rij"] == ALL and r["kenmerk"] == "gem. verandering" and r["sectie"].startswith("Participatieladder")
    )
    assert average["waarde"] == "0,50"  # decimal comma, two decimals as rounded
    closing = {r["kenmerk"]: r["waarde"] for r in unsuppressed if r["sectie"].startswith("Signalen gesloten")}
    assert closing["mediaan dagen tot sluiten"] == "51,0"  # medians: always one decimal
    assert closing["aandeel via doorverwijzing (%)"] == "33,3"  # not 33,30
    assert any(r["kenmerk"] == "contact: inloop" and r["waarde"] == "3" for r in unsuppressed)

    from openpyxl import load_workbook

    path = export.write(built, "xlsx", tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert len(set(book.sheetnames)) == len(book.sheetnames)
    assert "Verantwoordelijkheid beweging" in book.sheetnames and "Participatieladder treden" in book.sheetnames
    assert {"Doelen", "Bereikte inwoners", "Caseload", "Meldcode"} <= set(book.sheetnames)  # no name cut mid-word
    sheet = book["Bereik"]
    assert [c.value for c in sheet[1]][:2] == ["Gebied", "contact: inloop"]
    assert sheet["A2"].value == ALL and sheet["B2"].value == "x" and sheet["G2"].value == 6
    assert book["Verhalen"]["C2"].value == STORY
    data = json.loads(export.to_json(built.view(protect=False)))
    reach = next(t for t in data["tabellen"] if t["sleutel"] == "reach")
    assert reach["rijen"][0][:3] == [ALL, 3, 1]
    assert "| Alle gebieden |" in export.to_markdown(published)
    page = export.write(built, "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 2 and "<script" not in page and "http" not in page
    assert "Test" not in page and "<td>x</td>" in page
