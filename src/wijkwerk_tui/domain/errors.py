"""Typed errors that carry a Dutch message for the person at the keyboard.

Messages must never contain a resident's personal data: they may end up in a
notification on a shared screen or in a crash report.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; `message` is Dutch and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input for one field was rejected. `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TransitionError(DomainError):
    """A status change that the rules do not allow."""
