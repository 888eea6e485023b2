"""Crash output that can be shown on a shared screen.

Textual's default crash report prints a traceback with local variables, which would
put a resident's data on screen and in scrollback. Here: a Dutch line, the exception
type and the code locations only: no locals, no exception message (it may quote data).
"""

from __future__ import annotations

import traceback

from rich.text import Text

MESSAGE = "Wijkwerk is gestopt door een onverwachte fout. Er is niets half opgeslagen."


def safe_report(error: BaseException) -> Text:
    frames = traceback.extract_tb(error.__traceback__)
    lines = [MESSAGE, "", f"Fout: {type(error).__name__}"]
    lines += [f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-8:]]
    return Text("\n".join(lines))
