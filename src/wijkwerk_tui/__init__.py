"""wijkwerk: a keyboard-first terminal app for Dutch neighbourhood and welfare workers."""

__version__ = "0.1.0"
