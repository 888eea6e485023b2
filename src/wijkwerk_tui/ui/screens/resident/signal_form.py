"""A new signal. The resident may be unknown ("oudere dame Kerkstraat"); for huiselijk
geweld / mishandeling the five meldcode steps show as a checklist with a date each."""

from __future__ import annotations

import uuid
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from wijkwerk_tui.domain import signals as rules
from wijkwerk_tui.domain.dates import format_date, parse_date, parse_optional_date
from wijkwerk_tui.services import undo
from wijkwerk_tui.services.undo import Done
from wijkwerk_tui.store import signals
from wijkwerk_tui.store.signals import SignalData
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.widgets.choices import select
from wijkwerk_tui.ui.widgets.field import FormField


class MeldcodeChecklist(Vertical):
    """Five steps, each a checkbox with the date it was taken."""

    DEFAULT_CSS = """
    MeldcodeChecklist { height: auto; border: round $warning; padding: 0 1; display: none; }
    MeldcodeChecklist.-shown { display: block; }
    MeldcodeChecklist Horizontal { height: auto; }
    MeldcodeChecklist Checkbox { width: 1fr; }
    MeldcodeChecklist Input { width: 14; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Meldcode huiselijk geweld en kindermishandeling — gezette stappen"))
        for number, label in rules.MELDCODE_STEPS.items():
            yield FormField(
                "",
                Horizontal(
                    Checkbox(f"{number}. {label}", id=f"meldcode-check-{number}", compact=True),
                    Input(placeholder="datum", id=f"meldcode-date-{number}", compact=True),
                ),
                f"meldcode_{number}",
            )


def meldcode_values(screen: FormScreen, today: date) -> dict[int, date]:
    """Checked steps with their dates; an empty date means today."""
    steps: dict[int, date] = {}
    for number in rules.MELDCODE_STEPS:
        if screen.query_one(f"#meldcode-check-{number}", Checkbox).value:
            text = screen.query_one(f"#meldcode-date-{number}", Input).value
            steps[number] = parse_optional_date(text, today, f"meldcode_{number}") or today
    return steps


class SignalForm(FormScreen):
    def __init__(self, resident_id: uuid.UUID | None, resident_name: str = "") -> None:
        super().__init__()
        self.resident_id = resident_id
        self.form_title = f"Nieuw signaal — {resident_name}" if resident_id else "Nieuw signaal (inwoner nog onbekend)"

    def compose_fields(self) -> ComposeResult:
        today = self.app.today()
        if self.resident_id is None:
            yield self.field(
                "Om wie gaat het",
                Input(placeholder="bijv. oudere dame Kerkstraat", id="subject", compact=True),
                "subject",
            )
        yield self.field("Categorie", select(rules.CATEGORIES, id="category", prompt="Kies een categorie"), "category")
        yield self.field("Urgentie", select(rules.URGENCIES, "normal", id="urgency", allow_blank=False), "urgency")
        yield self.field("Bron", select(rules.SOURCES, "own", id="source", allow_blank=False), "source")
        yield self.field(
            "Beschrijving", TextArea(id="description", soft_wrap=True, tab_behavior="focus"), "description"
        )
        yield self.field("Opgemerkt op", Input(format_date(today), id="noticed_on", compact=True), "noticed_on")
        yield self.field(
            "Opvolgen op",
            Input(format_date(rules.default_follow_up(today)), id="follow_up_on", compact=True),
            "follow_up_on",
        )
        yield self.field(
            "Vertrouwelijk", Checkbox("alleen ik en coördinatoren", id="confidential", compact=True), "confidential"
        )
        yield MeldcodeChecklist(id="meldcode")

    def prepare(self) -> None:
        self.query_one("#form-body").styles.max_height = "100%"
        self.query_one("#description", TextArea).styles.height = 4

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "category":
            shown = event.value in rules.MELDCODE_CATEGORIES
            self.query_one("#meldcode", MeldcodeChecklist).set_class(shown, "-shown")

    def save(self) -> Write:
        db, worker, resident_id = self.app.db, self.app.worker_id, self.resident_id
        today = self.app.today()
        category = self.value_of("category")
        data = SignalData(
            category=category or "",
            urgency=self.value_of("urgency"),
            source=self.value_of("source"),
            description=self.value_of("description"),
            subject=self.value_of("subject") if self.resident_id is None else "",
            noticed_on=parse_date(self.value_of("noticed_on"), today, "noticed_on"),
            follow_up_on=parse_optional_date(self.value_of("follow_up_on"), today, "follow_up_on"),
            confidential=bool(self.value_of("confidential")),
            meldcode=meldcode_values(self, today) if category in rules.MELDCODE_CATEGORIES else {},
        )

        def write() -> Done:
            signal = signals.add_signal(db, worker, resident_id, data)
            what = f"het signaal {rules.CATEGORIES[data.category]}"
            return Done(
                f"Signaal opgeslagen: {rules.CATEGORIES[data.category]}.",
                undo.saved(db, worker, what, [signal], resident_id),
            )

        return write
