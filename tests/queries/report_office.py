"""The period report's hand-computed fixture (every figure is worked out in the comments),
shared by the report's tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from wijkwerk_tui.db.engine import Database, open_database
from wijkwerk_tui.domain import report as period
from wijkwerk_tui.domain import report_build
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries import report_data
from wijkwerk_tui.services import intake, privacy
from wijkwerk_tui.services.intake import IntakeData
from wijkwerk_tui.store import (
    activities,
    areas,
    contacts,
    goals,
    ladders,
    partners,
    referrals,
    residents,
    signals,
    workers,
)
from wijkwerk_tui.store.activities import ActivityData
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.goals import GoalData
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
    r8, r10 = person("Acht", a), person("Tien", a)
    r9 = person("Negen", b)
    P, S = Ladder.PARTICIPATION, Ladder.SUPPORT

    def step(resident, ladder, day, value, potential=None):
        at(clock, day)
        ladders.record_step(db, boss, resident, ladder, value, day, potential)

    step(r8, P, date(2024, 3, 1), 2)  # r8: same; in beeld by a contact on 1-8-2025
    step(r10, P, date(2024, 3, 1), 2)  # r10: no placement or contact since 30-6-2025: not in beeld
    step(r9, P, date(2026, 2, 1), 5)  # r9: new, in Echten at the end (moves to Ruinen in September)
    step(r6, P, date(2025, 1, 1), 2)
    step(r1, S, date(2025, 1, 1), 4)
    step(r7, P, date(2025, 5, 5), 1)
    step(r1, P, date(2025, 6, 1), 2)
    step(r2, P, date(2025, 12, 31), 3)
    step(r3, P, date(2026, 1, 1), 1)  # first placed on the start day: new
    step(r6, P, date(2026, 2, 2), 6)
    step(r1, P, date(2026, 3, 1), 4, 5)  # r1: 2 -> 4, up; room to grow (5)
    step(r7, P, date(2026, 3, 3), 2)  # r7: 1 -> 2, up (anonymised later, still counted)
    step(r4, P, date(2026, 4, 1), 3, 4)  # r4: new; room to grow (4)
    step(r2, P, date(2026, 5, 5), 5)
    step(r2, P, date(2026, 5, 5), 2, 1)  # same day, later entry wins: r2 3 -> 2, down (potential lower: no room)
    step(r1, S, date(2026, 6, 30), 3, 2)  # support: 4 -> 3 on the end day, down (lighter); room: 2
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
    at(clock, date(2026, 4, 1))
    s5 = signals.add_signal(db, boss, r1, SignalData("debts", noticed_on=date(2026, 4, 1))).id
    at(clock, date(2026, 6, 15))
    signals.update_signal(db, boss, s5, "closed", "resolved")  # 75 days; reopened after the end
    at(clock, date(2026, 8, 1))
    signals.update_signal(db, boss, s5, "open")
    at(clock, date(2026, 5, 12))  # meldcode steps 1 and 2 in the period
    signals.add_signal(
        db,
        boss,
        r4,
        SignalData(
            "domestic_violence",
            urgency="high",
            source="neighbour",
            noticed_on=date(2026, 5, 10),
            meldcode={1: date(2026, 5, 10), 2: date(2026, 5, 12)},
        ),
    )
    at(clock, date(2025, 11, 1))  # goals: one before the period, two in it (one achieved since)
    goals.add_goal(db, boss, r2, GoalData("Naar de soos"))
    at(clock, date(2026, 2, 1))
    achieved = goals.add_goal(db, boss, r1, GoalData("Wekelijks wandelen")).id
    at(clock, date(2026, 3, 1))
    goals.add_goal(db, boss, r3, GoalData("Administratie op orde"))
    at(clock, date(2026, 5, 1))
    goals.set_status(db, boss, achieved, "achieved")
    at(clock, date(2026, 5, 20))  # an anonymous visitor who is lonely (no consent to register)
    intake.save_intake(db, boss, IntakeData(area_id=b, categories=("loneliness",), consent=False))

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
    g = refer(r4, p1, date(2026, 6, 25), date(2026, 7, 9))
    at(clock, date(2026, 7, 5))
    referrals.record_feedback(db, boss, g, "ja", date(2026, 7, 5), "accepted")  # after the end: not yet due then
    at(clock, date(2026, 4, 1))
    unsent = referrals.add_referral(
        db, boss, r2, ReferralData(p2, "reden", True, referred_on=date(2026, 4, 1), feedback_due_on=date(2026, 4, 15))
    ).id
    at(clock, date(2026, 4, 10))
    referrals.change_status(db, boss, unsent, "rejected")  # never sent
    refer(r3, p1, date(2026, 11, 20), date(2026, 11, 30))  # due after the run date (23-11): not late

    def contact(resident, day, kind, area=None, story=""):
        at(clock, day)
        contacts.add_contact(db, boss, resident, ContactData(day, kind, is_story=bool(story), story=story), area)

    contact(r1, date(2025, 12, 31), "walk_in")  # before the period
    contact(r8, date(2025, 8, 1), "phone")  # before the period; puts r8 in beeld
    contact(r10, date(2025, 6, 15), "phone")  # before the twelve months up to the end
    contact(r1, date(2026, 1, 10), "walk_in")
    contact(r1, date(2026, 2, 10), "phone")
    contact(r6, date(2026, 2, 2), "walk_in")  # deleted resident
    contact(r3, date(2026, 3, 10), "home_visit")
    contact(None, date(2026, 3, 11), "walk_in", area=b)  # anonymous
    contact(r2, date(2026, 6, 30), "activity", story=STORY)

    # The soos in April: r1 came, r8 helped (linked by name: one unique volunteer).
    for day, area, n, v, came, helpers in (
        (date(2025, 12, 1), a, 9, 9, (), ()),
        (date(2026, 4, 4), a, 12, 3, (r1,), (r8,)),
        (date(2026, 7, 1), b, 8, 2, (), ()),
    ):
        at(clock, day)
        activities.add_activity(db, boss, ActivityData("Soos", area, day, n, v), came, helpers)

    at(clock, date(2026, 9, 1))
    moved = residents.get_resident(db, boss, r9)
    residents.update_resident(db, boss, r9, PersonalData("Negen", "", "Test", 1950), a, moved.consent_register)
    at(clock, date(2026, 11, 23))
    residents.delete_resident(db, boss, r6)
    privacy.erase_resident(db, boss, r7)
    yield db, {"a": a, "b": b}
    db.close()


def _boss(db: Database) -> uuid.UUID:
    return next(w.id for w in workers.list_workers(db) if w.role == "coordinator")


def _report(db: Database, area_id=None, start=START, end=END) -> period.PeriodReport:
    """The report as the coordinator sees it on screen: every figure, the asked area's rows."""
    return _built(db, area_id, start, end).view(protect=False)


def _built(db: Database, area_id=None, start=START, end=END) -> period.PeriodReport:
    return report_build.build(report_data.load(db, _boss(db), report_data.Period(start, end, area_id)), "Welzijn")
