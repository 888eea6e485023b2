"""Referrals (doorverwijzingen): a small state machine gated by consent to share."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from wijkwerk_tui.domain.errors import TransitionError, ValidationError

STATUSES: dict[str, str] = {
    "proposed": "voorgesteld",
    "sent": "verstuurd",
    "accepted": "aangenomen",
    "rejected": "afgewezen",
    "completed": "afgerond",
}

# Feedback is still expected while a referral is in one of these.
AWAITING_FEEDBACK = frozenset({"proposed", "sent", "accepted"})

TRANSITIONS: dict[str, frozenset[str]] = {
    "proposed": frozenset({"sent", "rejected"}),
    "sent": frozenset({"accepted", "rejected"}),
    "accepted": frozenset({"completed"}),
    "rejected": frozenset(),
    "completed": frozenset(),
}

# States that mean the resident's data went to the partner: only with consent.
SHARING_STATUSES = frozenset({"sent", "accepted", "completed"})

DEFAULT_FEEDBACK_DAYS = 14

# What a referral made at the drop-in records when the worker typed no note.
FROM_DROP_IN = "Vanuit de inloop"
NO_CONSENT_AT_DROP_IN = "Geen toestemming gegeven bij de inloop"


def default_feedback_due(referred_on: date) -> date:
    return referred_on + timedelta(days=DEFAULT_FEEDBACK_DAYS)


def can_change(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def check_status_change(current: str, new: str, consent_to_share: bool) -> None:
    if new not in STATUSES:
        raise ValidationError("status", "Kies een geldige status.")
    if not can_change(current, new):
        raise TransitionError(
            f"Een doorverwijzing met status '{STATUSES.get(current, current)}' kan niet naar '{STATUSES[new]}'."
        )
    if new in SHARING_STATUSES and not consent_to_share:
        raise TransitionError(
            "Zonder toestemming van de inwoner om gegevens te delen kan de doorverwijzing niet verstuurd worden."
        )


def check_consent(consent_to_share: bool | None, no_consent_reason: str | None) -> None:
    """Consent must be answered: yes, or no with a recorded reason."""
    if consent_to_share is None:
        raise ValidationError("consent", "Geef aan of de inwoner toestemming geeft om gegevens te delen.")
    if not consent_to_share and not (no_consent_reason or "").strip():
        raise ValidationError("no_consent_reason", "Noteer waarom er geen toestemming is.")


class FeedbackState(StrEnum):
    RECEIVED = "received"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    PENDING = "pending"
    CLOSED = "closed"


def feedback_state(
    status: str, due_on: date | None, feedback_on: date | None, today: date, soon_days: int = 7
) -> FeedbackState:
    """Derived, never stored: whether the partner's answer is late."""
    if feedback_on is not None:
        return FeedbackState.RECEIVED
    if status not in AWAITING_FEEDBACK or due_on is None:
        return FeedbackState.CLOSED
    if due_on < today:
        return FeedbackState.OVERDUE
    if due_on <= today + timedelta(days=soon_days):
        return FeedbackState.DUE_SOON
    return FeedbackState.PENDING
