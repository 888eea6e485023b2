"""Before a report goes out: each story the check flagged (a name, an age, a birth year, a
house number), one by one, to edit or confirm, or to leave out. Escape stops the export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from wijkwerk_tui.domain.story_check import Flag
from wijkwerk_tui.domain.text import visible_line
from wijkwerk_tui.ui.base import AppModal
from wijkwerk_tui.ui.widgets.footer import Footer

Flagged = tuple[int, str, date, str, list[Flag]]  # (index in the report, area, day, story, flags)


class StoryReviewDialog(AppModal[dict[int, str | None] | None]):
    """Dismisses with {index: the story to send, or None to leave it out}; None: export stopped."""

    DEFAULT_CSS = """
    StoryReviewDialog { align: center middle; }
    StoryReviewDialog > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    StoryReviewDialog #story-head { text-style: bold; height: auto; }
    StoryReviewDialog #story-flags { color: $warning; height: auto; }
    StoryReviewDialog TextArea { height: 6; }
    """
    BINDINGS = [
        Binding("ctrl+s", "keep", "Zo opnemen", id="story.keep", priority=True),
        Binding("ctrl+d", "drop", "Weglaten", id="story.drop", priority=True),
        Binding("escape", "stop", "Export stoppen", id="story.stop"),
    ]

    def __init__(self, flagged: list[Flagged], check: Callable[[str], list[Flag]]) -> None:
        super().__init__()
        self.flagged = flagged
        self.check = check  # the same check, for an edited story (pure: no database here)
        self.position = 0
        self.answers: dict[int, str | None] = {}
        self.warned: str | None = None  # the edited text already shown as still flagged

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="story-head")
            yield Static(id="story-flags")
            yield TextArea(id="story-text", soft_wrap=True)
            yield Static(Text("Pas het verhaal aan of laat het zo; Ctrl+S neemt het op, Ctrl+D laat het weg."))
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        _index, area, day, story, flags = self.flagged[self.position]
        self.query_one("#story-head", Static).update(
            Text(f"Verhaal {self.position + 1} van {len(self.flagged)} · {area}, {day:%d-%m-%Y}")
        )
        found = ", ".join(f"{f.kind} '{f.text}'" for f in flags)
        self.query_one("#story-flags", Static).update(Text(f"Kan iemand herkenbaar maken: {found}"))
        area_text = self.query_one("#story-text", TextArea)
        area_text.load_text(story)
        area_text.focus()

    def _next(self, answer: str | None) -> None:
        self.warned = None
        self.answers[self.flagged[self.position][0]] = answer
        self.position += 1
        if self.position == len(self.flagged):
            self.dismiss(self.answers)
        else:
            self._show()

    def action_keep(self) -> None:
        # One visible line, as every text field: a pasted escape or bell never reaches an export.
        text = visible_line(self.query_one("#story-text", TextArea).text)
        original = self.flagged[self.position][3]
        flags = self.check(text) if text and text != original else []
        if flags and self.warned != text:  # an edit that still names someone: say so once
            self.warned = text
            found = ", ".join(f"{f.kind} '{f.text}'" for f in flags)
            self.query_one("#story-flags", Static).update(
                Text(f"Nog steeds herkenbaar: {found}. Ctrl+S nogmaals neemt het zo op.")
            )
            return
        self._next(text or None)

    def action_drop(self) -> None:
        self._next(None)

    def action_stop(self) -> None:
        self.dismiss(None)
