from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk_tui.domain import referrals, signals
from wijkwerk_tui.domain.errors import TransitionError, ValidationError
from wijkwerk_tui.domain.referrals import FeedbackState, feedback_state


def test_every_default_signal_category_present() -> None:
    labels = " ".join(signals.CATEGORIES.values()).lower()
    for word in (
        "eenzaamheid",
        "schulden",
        "mantelzorg",
        "huiselijk geweld",
        "laaggeletterdheid",
        "digitale",
        "wonen",
        "kwetsbare oudere",
        "gezondheid",
        "zorgmijding",
        "jeugd",
        "anders",
    ):
        assert word in labels
    assert list(signals.URGENCIES.values()) == ["laag", "normaal", "hoog", "acuut"]
    assert len(signals.MELDCODE_STEPS) == 5


def test_closing_needs_a_reason() -> None:
    with pytest.raises(ValidationError) as info:
        signals.check_status_change("open", "closed", None)
    assert info.value.field == "close_reason"
    signals.check_status_change("open", "closed", "resolved")


def test_closed_signal_can_only_reopen() -> None:
    with pytest.raises(TransitionError):
        signals.check_status_change("closed", "referred", None)
    signals.check_status_change("closed", "open", None)


@given(
    st.sampled_from(list(signals.STATUSES)),
    st.sampled_from(list(signals.STATUSES)),
    st.sampled_from([None, *signals.CLOSE_REASONS]),
)
def test_signal_transitions_follow_the_table(current: str, new: str, reason: str | None) -> None:
    allowed = new in signals.TRANSITIONS[current] and (new != "closed" or reason is not None)
    try:
        signals.check_status_change(current, new, reason)
    except (TransitionError, ValidationError):
        assert not allowed
    else:
        assert allowed


@given(st.sampled_from(list(referrals.STATUSES)), st.sampled_from(list(referrals.STATUSES)), st.booleans())
def test_referral_transitions_follow_the_table_and_consent(current: str, new: str, consent: bool) -> None:
    allowed = new in referrals.TRANSITIONS[current] and (consent or new not in referrals.SHARING_STATUSES)
    try:
        referrals.check_status_change(current, new, consent)
    except TransitionError:
        assert not allowed
    else:
        assert allowed


@given(st.lists(st.sampled_from(list(referrals.STATUSES)), max_size=8))
def test_finished_referrals_stay_finished(path: list[str]) -> None:
    state = "proposed"
    for new in path:
        if referrals.can_change(state, new):
            state = new
    if state in ("rejected", "completed"):
        assert not referrals.TRANSITIONS[state]


def test_consent_answer_required() -> None:
    with pytest.raises(ValidationError):
        referrals.check_consent(None, "")
    with pytest.raises(ValidationError) as info:
        referrals.check_consent(False, " ")
    assert info.value.field == "no_consent_reason"
    referrals.check_consent(False, "Inwoner wil eerst zelf bellen")
    referrals.check_consent(True, "")


def test_feedback_state_is_derived_from_dates() -> None:
    today = date(2026, 11, 23)
    assert feedback_state("sent", today - timedelta(days=1), None, today) is FeedbackState.OVERDUE
    assert feedback_state("sent", today + timedelta(days=3), None, today) is FeedbackState.DUE_SOON
    assert feedback_state("sent", today + timedelta(days=30), None, today) is FeedbackState.PENDING
    assert feedback_state("sent", today - timedelta(days=9), today, today) is FeedbackState.RECEIVED
    assert feedback_state("rejected", today - timedelta(days=9), None, today) is FeedbackState.CLOSED
    assert referrals.default_feedback_due(today) == today + timedelta(days=14)
