"""The period report on a fixture whose every figure was worked out by hand (see the comments)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain import report as period
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.domain.report import ALL, Count
from wijkwerk_tui.exchange import report_files as export
from wijkwerk_tui.queries import report_data
from wijkwerk_tui.services import privacy
from wijkwerk_tui.store import activities, areas, contacts, ladders, partners, referrals, residents, signals, workers
from wijkwerk_tui.store.activities import ActivityData
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.partners import PartnerData
from wijkwerk_tui.store.referrals import ReferralData
from wijkwerk_tui.store.signals import SignalData

START, END = date(2026, 1, 1), date(2026, 6, 30)
STORY = "Meneer durft weer naar de soos."


_TICKS = iter(range(1_000_000))


def at(clock: FakeClock, day: date) -> None:
    """Set the clock to `day`, a second later each call, so entries on one day keep their order."""
    clock.now = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC) + timedelta(seconds=next(_TICKS))


@pytest.fixture
def office(tmp_path: Path):
    clock = FakeClock(datetime(2024, 1, 1, 9, 0, tzinfo=UTC))
    db = open_database(tmp_path / "r.db", clock)
    boss = workers.add_worker(db, None, "Coördinator", "coordinator").id
    a = areas.add_area(db, boss, "Ruinen").id
    b = areas.add_area(db, boss, "Echten").id
    p1 = partners.add_partner(db, boss, PartnerData("Schuldhulp")).id
    p2 = partners.add_partner(db, boss, PartnerData("Taalhuis")).id
    person = lambda given, area: residents.add_resident(db, boss, PersonalData(given, "", "Test", 1950), area, True).id  # noqa: E731
    r1, r2, r7 = person("Een", a), person("Twee", a), person("Zeven", a)
    r3, r4, r5 = person("Drie", b), person("Vier", b), person("Vijf", b)
    r6 = person("Zes", a)
    P, S = Ladder.PARTICIPATION, Ladder.SUPPORT

    def step(resident, ladder, day, value):
        at(clock, day)
        ladders.record_step(db, boss, resident, ladder, value, day)

    step(r6, P, date(2025, 1, 1), 2)
    step(r1, S, date(2025, 1, 1), 4)
    step(r7, P, date(2025, 5, 5), 1)
    step(r1, P, date(2025, 6, 1), 2)
    step(r2, P, date(2025, 12, 31), 3)
    step(r3, P, date(2026, 1, 1), 1)  # on the start day: counts as the step at the start
    step(r6, P, date(2026, 2, 2), 6)
    step(r1, P, date(2026, 3, 1), 4)  # r1: 2 -> 4, up
    step(r7, P, date(2026, 3, 3), 2)  # r7: 1 -> 2, up (anonymised later, still counted)
    step(r4, P, date(2026, 4, 1), 3)  # r4: new
    step(r2, P, date(2026, 5, 5), 5)
    step(r2, P, date(2026, 5, 5), 2)  # same day, later entry wins: r2 3 -> 2, down
    step(r1, S, date(2026, 6, 30), 3)  # support: 4 -> 3 on the end day, down (lighter)
    step(r5, P, date(2026, 8, 1), 4)  # only after the period: not counted

    at(clock, date(2025, 12, 1))
    s2 = signals.add_signal(db, boss, r2, SignalData("debts", noticed_on=date(2025, 12, 1))).id
    at(clock, date(2026, 1, 21))
    signals.update_signal(db, boss, s2, "closed", "resolved")  # 51 days
    at(clock, date(2026, 2, 1))
    s1 = signals.add_signal(db, boss, r1, SignalData("loneliness", noticed_on=date(2026, 2, 1))).id
    signals.add_signal(db, boss, r6, SignalData("loneliness", noticed_on=date(2026, 2, 1)))  # deleted resident
    at(clock, date(2026, 2, 11))
    signals.update_signal(db, boss, s1, "closed", "referred")  # 10 days
    at(clock, date(2026, 3, 1))
    signals.add_signal(db, boss, r3, SignalData("debts", noticed_on=date(2026, 3, 1)))
    at(clock, date(2026, 6, 30))
    s4 = signals.add_signal(
        db, boss, None, SignalData("housing", subject="buurtbewoner", noticed_on=date(2026, 6, 30)), area_id=b
    ).id
    at(clock, date(2026, 7, 5))
    signals.update_signal(db, boss, s4, "closed", "resolved")  # after the end: open then

    def refer(resident, partner, day, due, status="sent"):
        at(clock, day)
        return referrals.add_referral(
            db,
            boss,
            resident,
            ReferralData(
                partner,
                "reden",
                consent_share=status != "proposed",
                no_consent_reason="" if status != "proposed" else "nog niet gevraagd",
                referred_on=day,
                feedback_due_on=due,
                status=status,
            ),
        ).id

    refer(r1, p1, date(2025, 12, 15), date(2025, 12, 29))  # before the period
    f1 = refer(r1, p1, date(2026, 2, 1), date(2026, 2, 15))
    at(clock, date(2026, 2, 10))
    referrals.record_feedback(db, boss, f1, "aangenomen", date(2026, 2, 10), "accepted")  # on time, 9 days
    referrals.change_status(db, boss, f1, "completed")
    f2 = refer(r2, p1, date(2026, 3, 1), date(2026, 3, 15))
    at(clock, date(2026, 3, 20))
    referrals.record_feedback(db, boss, f2, "geen plek", date(2026, 3, 20), "rejected")  # late, 19 days
    refer(r3, p2, date(2026, 6, 20), date(2026, 7, 4))  # due after the end: not judged
    refer(r4, p2, date(2026, 5, 1), date(2026, 5, 15), status="proposed")  # not sent

    def contact(resident, day, kind, area=None, story=""):
        at(clock, day)
        contacts.add_contact(db, boss, resident, ContactData(day, kind, is_story=bool(story), story=story), area)

    contact(r1, date(2025, 12, 31), "walk_in")  # before the period
    contact(r1, date(2026, 1, 10), "walk_in")
    contact(r1, date(2026, 2, 10), "phone")
    contact(r6, date(2026, 2, 2), "walk_in")  # deleted resident
    contact(r3, date(2026, 3, 10), "home_visit")
    contact(None, date(2026, 3, 11), "walk_in", area=b)  # anonymous
    contact(r2, date(2026, 6, 30), "activity", story=STORY)

    for day, area, n, v in ((date(2025, 12, 1), a, 9, 9), (date(2026, 4, 4), a, 12, 3), (date(2026, 7, 1), b, 8, 2)):
        at(clock, day)
        activities.add_activity(db, boss, ActivityData("Soos", area, day, n, v))

    at(clock, date(2026, 11, 23))
    residents.delete_resident(db, boss, r6)
    privacy.erase_resident(db, boss, r7)
    yield db, {"a": a, "b": b}
    db.close()


def _boss(db: Database) -> uuid.UUID:
    return next(w.id for w in workers.list_workers(db) if w.role == "coordinator")


def _report(db: Database, area_id=None) -> period.PeriodReport:
    return period.build(report_data.load(db, _boss(db), report_data.Period(START, END, area_id)), "Welzijn")


def _row(report: period.PeriodReport, key: str, *labels: str) -> list:
    table = report.table(key)
    row = next(r for r in table.rows if r[: len(labels)] == list(labels))
    return [c.n if isinstance(c, Count) else c for c in row[len(labels) :]]


def test_ladders_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    # End steps: r1 4, r2 2, r3 1, r4 3, r7 2 (r5 only after, r6 deleted).
    assert _row(report, "participation_distribution", ALL) == [1, 2, 1, 1, 0, 0, 5]
    assert _row(report, "participation_distribution", "Ruinen") == [0, 2, 0, 1, 0, 0, 3]
    # up r1 r7, down r2, same r3, new r4; average change (2 - 1 + 0 + 1) / 4.
    assert _row(report, "participation_movement", ALL) == [2, 1, 1, 1, 5, 0.5]
    assert _row(report, "participation_movement", "Ruinen") == [2, 1, 0, 0, 3, 0.67]
    assert _row(report, "participation_movement", "Echten") == [0, 0, 1, 1, 2, 0.0]
    assert _row(report, "support_movement", ALL) == [0, 1, 0, 0, 1, -1.0]
    assert _row(report, "support_distribution", ALL) == [0, 0, 1, 0, 0, 1]


def test_signals_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    assert _row(report, "signals", ALL, "Eenzaamheid / sociaal isolement") == [1, 0, 1]
    assert _row(report, "signals", ALL, "Schulden / armoede") == [1, 1, 1]
    assert _row(report, "signals", ALL, "Wonen / overlast") == [1, 1, 0]
    assert _row(report, "signals", "Echten", "Wonen / overlast") == [1, 1, 0]
    # Closed in the period: 10 and 51 days; one of the two by referral.
    assert _row(report, "signals_closed", ALL) == [2, 30.5, 50.0]
    assert [r[0] for r in report.table("signals_closed").rows] == [ALL, "Ruinen"]  # areas without any: no row


def test_referrals_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    assert _row(report, "referrals", "Schuldhulp") == [2, 1, 1, 1, 50.0, 14.0]
    assert _row(report, "referrals", "Taalhuis") == [1, 0, 0, 0, None, None]


def test_reach_and_stories_by_hand(office) -> None:
    db, _ = office
    report = _report(db)
    # walk_in, home_visit, phone, activity, outreach | total, unique, anonymous, activities, participants, volunteers
    assert _row(report, "reach", ALL) == [2, 1, 1, 1, 0, 5, 3, 1, 1, 12, 3]
    assert _row(report, "reach", "Ruinen") == [1, 0, 1, 1, 0, 3, 2, 0, 1, 12, 3]
    assert _row(report, "reach", "Echten") == [1, 1, 0, 0, 0, 2, 1, 1, 0, 0, 0]
    assert [r[1].n for r in report.table("contacts_per_month").rows] == [1, 1, 2, 0, 0, 1]
    assert report.stories == [("Ruinen", date(2026, 6, 30), STORY)]


def test_area_filter_by_hand(office) -> None:
    db, ids = office
    report = _report(db, ids["b"])
    assert report.area == "Echten"
    assert [r[0] for r in report.table("participation_movement").rows] == ["Echten"]
    assert _row(report, "participation_movement", "Echten") == [0, 0, 1, 1, 2, 0.0]
    assert _row(report, "reach", "Echten") == [1, 1, 0, 0, 0, 2, 1, 1, 0, 0, 0]
    assert report.table("referrals").rows == [["Taalhuis", Count(1), Count(0), Count(0), Count(0), None, None]]
    assert report.stories == []


def test_exports_parse_and_hold_no_names(office, tmp_path: Path) -> None:
    db, _ = office
    report = _report(db)
    raw = export.to_csv(report)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == ["sectie", "rij", "subrij", "kenmerk", "waarde"]
    average = next(
        r
        for r in rows
        if r["rij"] == ALL and r["kenmerk"] == "gem. verandering" and r["sectie"].startswith("Participatieladder")
    )
    assert average["waarde"] == "0,50"  # decimal comma
    walk_ins = next(
        r for r in rows if r["sectie"] == "Bereik" and r["rij"] == ALL and r["kenmerk"] == "contact: inloop"
    )
    assert walk_ins["waarde"] == "<5"  # 2 walk-ins: suppressed
    assert "Test" not in raw.decode("utf-8-sig") and "1950" not in raw.decode("utf-8-sig")
    unsuppressed = export.to_csv(report, suppress=False).decode("utf-8-sig")
    assert "contact: inloop;2" in unsuppressed

    from openpyxl import load_workbook

    path = export.write(report, "xlsx", tmp_path / "r.xlsx")
    book = load_workbook(path)
    sheet = book["Bereik"]
    assert [c.value for c in sheet[1]][:2] == ["Gebied", "contact: inloop"]
    assert sheet["A2"].value == ALL and sheet["B2"].value == "<5" and sheet["G2"].value == 5
    assert book["Verhalen"]["C2"].value == STORY
    data = json.loads(export.to_json(report, suppress=False))
    reach = next(t for t in data["tabellen"] if t["sleutel"] == "reach")
    assert reach["rijen"][0][:3] == [ALL, 2, 1]
    assert "| Alle gebieden |" in export.to_markdown(report)
