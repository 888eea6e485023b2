"""What the screen may say about an error: never its text, which may quote a resident's data.

Textual's default crash report prints a traceback with local variables, which would put
a resident's data on screen and in scrollback. `safe_report` gives a Dutch line, the
exception type and the code locations only: no locals, no exception message.
`failure_notice` is the one line shown when a worker fails and the app goes on.
"""

from __future__ import annotations

import traceback

from rich.text import Text

from wijkwerk_tui.db.faults import explain
from wijkwerk_tui.domain.errors import DomainError

MESSAGE = "Wijkwerk is gestopt door een onverwachte fout. Er is niets half opgeslagen."
FAILED = "Dat is niet gelukt door een onverwachte fout. Er is niets half opgeslagen; probeer het opnieuw."


def safe_report(error: BaseException) -> Text:
    frames = traceback.extract_tb(error.__traceback__)
    lines = [MESSAGE, "", f"Fout: {type(error).__name__}"]
    lines += [f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-8:]]
    return Text("\n".join(lines))


def failure_notice(error: BaseException | None) -> str:
    """A DomainError's message is Dutch and written to be shown; a full disk, a folder that
    cannot be written and a damaged file get their own; anything else gets no details."""
    if isinstance(error, DomainError):
        return error.message
    return explain(error) or FAILED
