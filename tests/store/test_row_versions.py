"""Hardening 4 in the store: every update raises the row's version, and edits made from a
stale form keep the other worker's change or refuse with it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import Contact, Goal, LadderStep, MeldcodeStep, Partner, Referral, Resident, Signal, Worker
from wijkwerk_tui.domain.edits import Base, EditConflict
from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.names import PersonalData
from wijkwerk_tui.services import privacy
from wijkwerk_tui.store import contacts, goals, ladders, partners, referrals, residents, signals, workers
from wijkwerk_tui.store.contacts import ContactData
from wijkwerk_tui.store.goals import GoalData
from wijkwerk_tui.store.partners import PartnerData
from wijkwerk_tui.store.referrals import ReferralData
from wijkwerk_tui.store.signals import SignalData

JAN = PersonalData("Jan", "", "Jansen", 1951)


def _version(db: Database, model: type, row_id) -> int:
    with db.reading() as session:
        return session.exec(select(model.version).where(model.id == row_id)).one()


@pytest.fixture
def ctx(db: Database):
    coordinator = workers.add_worker(db, None, "Coördinator", "coordinator")
    resident = residents.add_resident(db, coordinator.id, JAN, None, True)
    return db, coordinator.id, resident


def test_hardening_04_every_update_path_raises_the_version(ctx) -> None:
    db, me, resident = ctx
    partner = partners.add_partner(db, me, PartnerData("Schuldhulp"))
    signal = signals.add_signal(db, me, resident.id, SignalData("domestic_violence", "high"))
    referral = referrals.add_referral(db, me, resident.id, ReferralData(partner.id, "Schulden", True))
    goal = goals.add_goal(db, me, resident.id, GoalData("Wekelijks naar de soos"))
    step = ladders.record_step(db, me, resident.id, Ladder.PARTICIPATION, 2, db.today() - timedelta(days=3))
    meld = signals.record_meldcode_step(db, me, signal.id, 1, db.today(), "eerste stap")
    contact = contacts.add_contact(db, me, resident.id, ContactData(db.today(), "walk_in", note="koffie"))
    colleague = workers.add_worker(db, me, "Collega")

    updates = [
        (
            Resident,
            resident.id,
            lambda: residents.update_resident(
                db, me, resident.id, PersonalData("Jan", "", "Jansen", 1951, phone="0612345678"), None, True
            ),
        ),
        (
            Partner,
            partner.id,
            lambda: partners.update_partner(db, me, partner.id, PartnerData("Schuldhulp", phone="0521 123456")),
        ),
        (Partner, partner.id, lambda: partners.set_active(db, me, partner.id, False)),
        (Signal, signal.id, lambda: signals.update_signal(db, me, signal.id, "in_progress")),
        (MeldcodeStep, meld.id, lambda: signals.record_meldcode_step(db, me, signal.id, 1, db.today(), "anders")),
        (Referral, referral.id, lambda: referrals.change_status(db, me, referral.id, "sent")),
        (Referral, referral.id, lambda: referrals.record_feedback(db, me, referral.id, "Gebeld", db.today())),
        (Goal, goal.id, lambda: goals.set_status(db, me, goal.id, "achieved")),
        (Worker, colleague.id, lambda: workers.set_active(db, me, colleague.id, False)),
        (Resident, resident.id, lambda: ladders.record_step(db, me, resident.id, Ladder.PARTICIPATION, 3, db.today())),
        (Resident, resident.id, lambda: privacy.erase_resident(db, me, resident.id)),
    ]
    for model, row_id, update in updates:
        before = _version(db, model, row_id)
        update()
        assert _version(db, model, row_id) > before, model.__name__
    # erasure reached every row of the resident, the bulk updates included
    for model, row_id in ((LadderStep, step.id), (Contact, contact.id), (Signal, signal.id), (Goal, goal.id)):
        assert _version(db, model, row_id) > 1, model.__name__
    assert _version(db, MeldcodeStep, meld.id) > 2


def test_hardening_04_two_stale_forms_keep_both_changes(ctx) -> None:
    """The finding: A saves a phone number, B (opened before) saves an e-mail address."""
    db, me, resident = ctx
    a = b = Base(resident.version, residents.edit_values(resident))
    residents.update_resident(
        db, me, resident.id, PersonalData("Jan", "", "Jansen", 1951, phone="0612345678"), None, True, base=a
    )
    residents.update_resident(
        db, me, resident.id, PersonalData("Jan", "", "Jansen", 1951, email="jan@example.nl"), None, True, base=b
    )
    now = residents.get_resident(db, me, resident.id, audited=False)
    assert (now.phone, now.email) == ("0612345678", "jan@example.nl")


def test_hardening_04_the_same_field_changed_twice_refuses_with_the_other_value(ctx) -> None:
    db, me, resident = ctx
    a = b = Base(resident.version, residents.edit_values(resident))
    residents.update_resident(
        db, me, resident.id, PersonalData("Jan", "", "Jansen", 1951, phone="0612345678"), None, True, base=a
    )
    with pytest.raises(EditConflict) as refused:
        residents.update_resident(
            db, me, resident.id, PersonalData("Jan", "", "Jansen", 1951, phone="0699999999"), None, True, base=b
        )
    assert refused.value.field == "phone" and refused.value.theirs == {"phone": "0612345678"}
    assert "0612345678" not in refused.value.message
    assert residents.get_resident(db, me, resident.id, audited=False).phone == "0612345678"  # nothing written
    residents.update_resident(
        db,
        me,
        resident.id,
        PersonalData("Jan", "", "Jansen", 1951, phone="0699999999"),
        None,
        True,
        base=b.seen(refused.value.theirs),
    )
    assert residents.get_resident(db, me, resident.id, audited=False).phone == "0699999999"


def test_hardening_04_status_dialogs_do_not_undo_anothers_change(ctx) -> None:
    db, me, resident = ctx
    signal = signals.add_signal(db, me, resident.id, SignalData("loneliness"))
    stale = Base(signal.version, {"status": signal.status, "referral_id": None})
    signals.update_signal(db, me, signal.id, "in_progress")  # someone else
    partner = partners.add_partner(db, me, PartnerData("Buurtzorg"))
    referral = referrals.add_referral(db, me, resident.id, ReferralData(partner.id, "Hulp", True))
    # the stale dialog only links a referral: the status it still shows is not written back
    signals.update_signal(db, me, signal.id, "open", None, referral.id, base=stale)
    with db.reading() as session:
        row = session.get(Signal, signal.id)
        assert row is not None and row.status == "in_progress" and row.referral_id == referral.id
    goal = goals.add_goal(db, me, resident.id, GoalData("Naar de soos"))
    stale_goal = Base(goal.version, {"status": goal.status})
    goals.set_status(db, me, goal.id, "achieved")
    with pytest.raises(EditConflict) as refused:
        goals.set_status(db, me, goal.id, "dropped", base=stale_goal)
    assert refused.value.theirs == {"status": "achieved"}
    stale_ref = Base(referral.version, {"status": referral.status, "feedback": "", "feedback_on": None})
    referrals.change_status(db, me, referral.id, "sent")
    with pytest.raises(EditConflict):
        referrals.change_status(db, me, referral.id, "rejected", base=stale_ref)


# The sync's own bookkeeping (hub.devices, hub.merge, the outbox, base versions) has no row
# versions: no form edits it (nor the hub's offered keys, hub.trust).
UNVERSIONED = {"_INVITE", "_DEVICE", "_CHANGE", "_CONFLICT", "Outbox", "SyncBase", "_TRUST"}


def test_hardening_04_every_bulk_update_in_the_code_raises_the_version() -> None:
    """ORM updates raise it through a mapper event; a bulk `update(...).values(...)` bypasses
    that, so each one in the code must set `version` itself (a new one without fails here)."""
    import ast
    from pathlib import Path

    import wijkwerk_tui

    root = Path(wijkwerk_tui.__file__).parent
    found = []
    for source in root.rglob("*.py"):
        if "migrations" in source.parts:
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "values"):
                continue
            inner = node.func.value
            while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                inner = inner.func.value
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "update":
                target = inner.args[0].id if inner.args and isinstance(inner.args[0], ast.Name) else ""
                if target in UNVERSIONED:
                    continue
                found.append((source.name, node.lineno, {k.arg for k in node.keywords}))
        text = source.read_text(encoding="utf-8")
        assert "UPDATE " not in text.replace("ON UPDATE", ""), f"{source.name}: raw SQL UPDATE bypasses the version"
    assert found, "the search finds the bulk updates (services.privacy has two)"
    for name, line, keywords in found:
        assert "version" in keywords, f"{name}:{line} updates rows without raising their version"
