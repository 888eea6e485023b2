"""A paste is text, never keys: ESC bytes inside a bracketed paste are defused before
Textual's input parser sees them.

Textual's parser (8.x) leaves bracketed-paste mode's text alone until it meets an ESC: from
there it reads an escape sequence, and what it cannot place it sends as key presses. So
`Jan<ESC><Ctrl+Q>` pasted into a field quit the app, and `<ESC><Ctrl+S>` saved a form. Here
each ESC between the paste's start and end markers becomes DEL, a control character the
paste handler removes (with its notice) like any other.
"""

from __future__ import annotations

START, END = "\x1b[200~", "\x1b[201~"
ESC, DEFUSED = "\x1b", "\x7f"


class PasteGuard:
    """Filters the terminal's input as it arrives, in pieces of any size."""

    def __init__(self) -> None:
        self.in_paste = False
        self._held = ""  # the start of what may be the end marker, split between two reads
        self._started = 0  # how much of a start marker the last read ended with (already passed on)

    def filter(self, data: str) -> str:
        data, self._held = self._held + data, ""
        out: list[str] = []
        at = 0
        if self._started and not self.in_paste:
            rest = START[self._started :]
            if data.startswith(rest):
                out.append(rest)
                self.in_paste, at = True, len(rest)
            elif rest.startswith(data):
                self._started += len(data)
                return data
            self._started = 0
        while at < len(data):
            if not self.in_paste:
                # Outside a paste nothing is held back: a lone ESC is the Escape key.
                found = data.find(START, at)
                if found < 0:
                    out.append(data[at:])
                    self._started = _partial_start(data)
                    break
                out.append(data[at : found + len(START)])
                self.in_paste, at = True, found + len(START)
                continue
            found = data.find(ESC, at)
            if found < 0:
                out.append(data[at:])
                break
            out.append(data[at:found])
            rest = data[found:]
            if rest.startswith(END):
                out.append(END)
                self.in_paste, at = False, found + len(END)
            elif END.startswith(rest):
                self._held = rest  # wait for the next read to tell
                break
            else:
                out.append(DEFUSED)
                at = found + 1
        return "".join(out)


def _partial_start(data: str) -> int:
    """The length of the longest end of `data` that begins a start marker."""
    for size in range(min(len(START) - 1, len(data)), 0, -1):
        if START.startswith(data[-size:]):
            return size
    return 0
