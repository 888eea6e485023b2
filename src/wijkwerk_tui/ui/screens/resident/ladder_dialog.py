"""Record a step on either ladder: the whole ladder in view, a digit picks the step."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wijkwerk_tui.domain.dates import format_date, parse_date
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import LADDER_NAMES, Ladder, top_step
from wijkwerk_tui.domain.ladders import steps as ladder_steps
from wijkwerk_tui.services import undo
from wijkwerk_tui.services.undo import Done
from wijkwerk_tui.store import ladders
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.field import FormField


class LadderDialog(FormScreen):
    DEFAULT_CSS = """
    LadderDialog #step-list { height: auto; border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis; }
    LadderDialog #step-list:focus { border: none; }
    LadderDialog #step-info { height: auto; color: $text-muted; padding-left: 20; }
    """
    # A digit on the step list picks the step and moves on to the date before the next key is
    # handed out (a binding, not on_key: keys typed fast were already queued for the list).
    BINDINGS = [Binding(str(n), f"pick({n})", show=False, priority=True, id=f"ladder.step{n}") for n in range(1, 7)]

    def __init__(
        self,
        resident_id: uuid.UUID,
        ladder: Ladder,
        resident_name: str,
        current: int | None,
        labels: dict[int, str] | None = None,
    ) -> None:
        """`labels`: the organisation's own names for the steps (read with the resident's file)."""
        super().__init__()
        self.resident_id = resident_id
        self.ladder = ladder
        self.current = current
        self.form_title = f"{LADDER_NAMES[ladder]} — {resident_name}"
        self._steps = ladder_steps(ladder, labels)

    def compose_fields(self) -> ComposeResult:
        # Top step first, as on a real ladder; one line each so the whole ladder fits at 80x24.
        options = []
        for step in reversed(self._steps):
            prompt = Text(f"{step.number}  {step.label}", no_wrap=True, overflow="ellipsis")
            prompt.append(f" — {step.description}", style="dim")
            options.append(Option(prompt, id=str(step.number)))
        yield self.field("Trede (typ cijfer)", OptionList(*options, id="step-list"), "step")
        yield Static(id="step-info")
        yield self.field("Datum", Input(format_date(self.app.today()), id="measured_on", compact=True), "measured_on")
        yield self.field(
            "Groeipotentieel",
            Input(
                placeholder=f"haalbare trede, 1-{top_step(self.ladder)} (mag leeg)",
                id="potential",
                compact=True,
                max_length=1,
            ),
            "potential",
        )
        yield self.field("Notitie", Input(placeholder="korte toelichting (mag leeg)", id="note", compact=True), "note")

    def _index(self, number: int) -> int:
        return len(self._steps) - number

    def prepare(self) -> None:
        step_list = self.query_one("#step-list", OptionList)
        step_list.highlighted = self._index(self.current) if self.current else None
        step_list.focus()
        self._describe(step_list.highlighted)
        self.rebaseline()

    def _describe(self, index: int | None) -> None:
        info = Text()
        if index is None:
            info.append("Nog geen trede gekozen: typ een cijfer of gebruik ↑↓.")
        else:
            step = self._steps[self._index_to_number(index) - 1]
            info.append(f"Gekozen: trede {step.number} — {step.label}", style="bold")
            if step.number == self.current:
                info.append(" (huidige trede)")
            info.append(f"\n{step.description}")
        self.query_one("#step-info", Static).update(info)

    def _index_to_number(self, index: int) -> int:
        return len(self._steps) - index

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._describe(event.option_index)

    def action_pick(self, number: int) -> None:
        """On the step list a digit picks the step and moves on to the date, as in the intake
        (so a date typed there by mistake is not read as steps)."""
        step_list = self.query_one("#step-list", OptionList)
        if self.focused is not step_list or number > top_step(self.ladder):
            raise SkipAction  # (a digit in another field, or no such step: on_key says so)
        self.query_one("#field-step", FormField).set_error(None)
        step_list.highlighted = self._index(number)
        self.set_focus(self.query_one("#measured_on", Input))  # (at once: the next key goes there)

    def on_key(self, event: events.Key) -> None:
        """Any other character on the step list is no step."""
        if self.focused is not self.query_one("#step-list", OptionList):
            return
        if event.is_printable and event.character not in (None, " "):
            event.stop()
            self.query_one("#field-step", FormField).set_error(
                f"Typ een cijfer van 1 tot en met {top_step(self.ladder)} voor de trede."
            )

    def save(self) -> Write:
        db, worker, resident_id, ladder = self.app.db, self.app.worker_id, self.resident_id, self.ladder
        highlighted = self.query_one("#step-list", OptionList).highlighted
        if highlighted is None:
            raise ValidationError("step", f"Kies een trede: typ een cijfer van 1 tot en met {top_step(ladder)}.")
        step = self._index_to_number(highlighted)
        measured_on = parse_date(self.value_of("measured_on"), self.app.today(), "measured_on")
        potential, note = self.value_of("potential").strip() or None, self.value_of("note")

        def write() -> Done:
            row = ladders.record_step(
                db, worker, resident_id, ladder, step, measured_on, potential=potential, note=note
            )
            what = f"{LADDER_NAMES[ladder]} trede {step}"
            return Done(
                f"{LADDER_NAMES[ladder]}: trede {step} opgeslagen.", undo.saved(db, worker, what, [row], resident_id)
            )

        return write
