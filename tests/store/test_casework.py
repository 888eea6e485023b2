"""Signals, referrals, partners, contacts, goals, activities: one transaction each."""

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Referral, Signal
from wijkwerk_tui.domain.errors import TransitionError, ValidationError
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.queries import overview
from wijkwerk_tui.store import activities, audit, contacts, goals, partners, referrals, residents, signals, workers
from wijkwerk_tui.store.activities import ActivityData
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.goals import GoalData
from wijkwerk_tui.store.partners import PartnerData
from wijkwerk_tui.store.referrals import ReferralData
from wijkwerk_tui.store.signals import SignalData


@pytest.fixture
def ctx(db: Database):
    worker = workers.add_worker(db, None, "Werker")
    resident = residents.add_resident(db, worker.id, PersonalData("Jan", "", "Jansen", 1951), None, True)
    partner = partners.add_partner(db, worker.id, PartnerData("Schuldhulpverlening", "Schulden", support_step=4))
    return db, worker.id, resident.id, partner.id


def _n(db: Database, model: type) -> int:
    with db.reading() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_signal_lifecycle(ctx) -> None:
    db, worker, resident, _partner = ctx
    s = signals.add_signal(db, worker, resident, SignalData("loneliness", "high", follow_up_on=db.today()))
    assert [x.id for x in overview.open_signal_rows(db, worker)] == [s.id]
    with pytest.raises(ValidationError):
        signals.update_signal(db, worker, s.id, "closed")  # no reason
    signals.update_signal(db, worker, s.id, "closed", "resolved")
    assert overview.open_signal_rows(db, worker) == []
    with pytest.raises(TransitionError):
        signals.update_signal(db, worker, s.id, "referred")


def test_signal_without_known_resident_needs_a_subject(ctx) -> None:
    db, worker, _, _ = ctx
    with pytest.raises(ValidationError) as info:
        signals.add_signal(db, worker, None, SignalData("frail_elderly"))
    assert info.value.field == "subject" and _n(db, Signal) == 0
    s = signals.add_signal(db, worker, None, SignalData("frail_elderly", subject="oudere dame Kerkstraat"))
    assert s.resident_id is None


def test_open_signals_acute_first_then_oldest(ctx) -> None:
    db, worker, resident, _ = ctx
    today = db.today()
    old = signals.add_signal(db, worker, resident, SignalData("debts", "normal", noticed_on=today - timedelta(days=20)))
    new = signals.add_signal(db, worker, resident, SignalData("debts", "normal", noticed_on=today))
    acute = signals.add_signal(db, worker, resident, SignalData("domestic_violence", "acute", noticed_on=today))
    assert [s.id for s in overview.open_signal_rows(db, worker)] == [acute.id, old.id, new.id]


def test_meldcode_steps_only_for_violence(ctx) -> None:
    db, worker, resident, _ = ctx
    dv = signals.add_signal(db, worker, resident, SignalData("domestic_violence", "high"))
    signals.record_meldcode_step(db, worker, dv.id, 2, db.today(), "Veilig Thuis geraadpleegd")
    assert [(m.step, m.note) for m in signals.meldcode_steps(db, worker, dv.id)] == [(2, "Veilig Thuis geraadpleegd")]
    other = signals.add_signal(db, worker, resident, SignalData("debts"))
    with pytest.raises(ValidationError):
        signals.record_meldcode_step(db, worker, other.id, 1, db.today())


def test_referral_consent_gates_sending(ctx) -> None:
    db, worker, resident, partner = ctx
    with pytest.raises(ValidationError) as info:
        referrals.add_referral(db, worker, resident, ReferralData(partner, "Schulden", consent_share=None))
    assert info.value.field == "consent" and _n(db, Referral) == 0
    no = referrals.add_referral(db, worker, resident, ReferralData(partner, "Schulden", False, "Wil eerst zelf bellen"))
    with pytest.raises(TransitionError):
        referrals.change_status(db, worker, no.id, "sent")
    yes = referrals.add_referral(db, worker, resident, ReferralData(partner, "Schulden", True))
    assert yes.feedback_due_on == db.today() + timedelta(days=14)
    referrals.change_status(db, worker, yes.id, "sent")
    done = referrals.record_feedback(db, worker, yes.id, "Intake gepland", db.today(), "accepted")
    assert done.status == "accepted" and done.feedback_on == db.today()


def test_awaiting_feedback_overdue_first(ctx) -> None:
    db, worker, resident, partner = ctx
    today = db.today()
    late = referrals.add_referral(
        db, worker, resident, ReferralData(partner, "a", True, referred_on=today - timedelta(days=30))
    )
    soon = referrals.add_referral(db, worker, resident, ReferralData(partner, "b", True, referred_on=today))
    assert [r.id for r in overview.awaiting_feedback_rows(db)] == [late.id, soon.id]
    assert [r.id for r in overview.awaiting_feedback_rows(db, due_before=today)] == [late.id]


def test_partner_rules(ctx) -> None:
    db, worker, _, partner = ctx
    with pytest.raises(ValidationError):
        partners.add_partner(db, worker, PartnerData("schuldhulpverlening"))  # same name, other case
    with pytest.raises(ValidationError) as info:
        partners.add_partner(db, worker, PartnerData("GGZ", support_step=9))
    assert info.value.field == "support_step"
    partners.set_active(db, worker, partner, False)
    assert partners.list_partners(db) == []
    assert [p.name for p in partners.list_partners(db, include_inactive=True, query="schuld")] == [
        "Schuldhulpverlening"
    ]


def test_contact_updates_last_contact(ctx) -> None:
    db, worker, resident, _ = ctx
    contacts.add_contact(db, worker, resident, ContactData(db.today() - timedelta(days=3), "home_visit", "30"))
    assert residents.get_resident(db, worker, resident).last_contact_on == db.today() - timedelta(days=3)
    with pytest.raises(ValidationError) as info:
        contacts.add_contact(db, worker, resident, ContactData(db.today(), "walk_in", "veel"))
    assert info.value.field == "duration_min"
    assert len(contacts.for_resident(db, resident)) == 1
    anonymous = contacts.add_contact(db, worker, None, ContactData(db.today()))
    assert anonymous.resident_id is None


def test_goal_and_activity(ctx) -> None:
    db, worker, resident, _ = ctx
    g = goals.add_goal(
        db, worker, resident, GoalData("Wekelijks naar de koffieochtend", "network", db.today() + timedelta(days=30))
    )
    assert [x.id for x in overview.goals_to_review(db, db.today() + timedelta(days=31))] == [g.id]
    assert overview.goals_to_review(db, db.today() + timedelta(days=29)) == []
    with pytest.raises(ValidationError):
        goals.add_goal(db, worker, resident, GoalData(""))
    a = activities.add_activity(db, worker, ActivityData("Koffieochtend", None, db.today(), "12", "2"), (resident,))
    assert a.participants == 12
    with pytest.raises(ValidationError):
        activities.add_activity(db, worker, ActivityData("Soos", None, db.today(), "-3"))


def test_goal_status_changes_and_is_audited(ctx) -> None:
    db, worker, resident, _ = ctx
    goal = goals.add_goal(db, worker, resident, GoalData("Zelf DigiD gebruiken", review_on=db.today()))
    changed = goals.set_status(db, worker, goal.id, "achieved")
    assert changed.status == "achieved"
    assert [g.status for g in goals.for_resident(db, resident)] == ["achieved"]
    assert overview.goals_to_review(db, db.today()) == []  # an achieved goal needs no review
    with pytest.raises(ValidationError) as info:
        goals.set_status(db, worker, goal.id, "klaar")
    assert info.value.field == "status"
    assert [g.status for g in goals.for_resident(db, resident)] == ["achieved"]  # a refusal writes nothing
    actions = [e.action for e in audit.events_for_resident(db, resident)]
    assert actions.count("goal.status") == 1


def test_updating_a_partner_changes_only_that_partner(ctx) -> None:
    db, worker, _, partner = ctx
    other = partners.add_partner(db, worker, PartnerData("Taalhuis", "Taal")).id
    partners.update_partner(
        db, worker, partner, PartnerData("Schuldhulp De Wolden", "Schulden", phone="0528 123 456", support_step="3")
    )
    found = {p.id: p for p in partners.list_partners(db)}
    assert (found[partner].name, found[partner].phone, found[partner].support_step) == (
        "Schuldhulp De Wolden",
        "0528 123 456",
        3,
    )
    assert found[other].name == "Taalhuis"
    with pytest.raises(ValidationError) as info:
        partners.update_partner(db, worker, partner, PartnerData("Schuldhulp De Wolden", email="geen-adres"))
    assert info.value.field == "email"
    assert {p.id: p.name for p in partners.list_partners(db)}[partner] == "Schuldhulp De Wolden"
