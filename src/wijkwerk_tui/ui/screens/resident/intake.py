"""Snelle intake: the fastest path in the app, and it never loses what was typed.

Tab order: name, year, area, contact kind (one letter), both ladder steps (a digit each,
which moves on by itself), signals (one key each), note, optional referral, consent. Every
change is kept as a draft in the database; Ctrl+S saves everything in one transaction and
starts a fresh intake with the area and contact kind kept, and marked as kept.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import DescendantBlur
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from wijkwerk_tui.domain import consent as consent_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.activities import CONTACT_KINDS
from wijkwerk_tui.domain.areas import resolve_area
from wijkwerk_tui.domain.dates import format_date
from wijkwerk_tui.domain.errors import ValidationError
from wijkwerk_tui.domain.ladders import Ladder, steps
from wijkwerk_tui.domain.text import counted, strip_controls
from wijkwerk_tui.queries import search
from wijkwerk_tui.queries.search import ResidentRow
from wijkwerk_tui.services import intake
from wijkwerk_tui.services.intake import IntakeData, IntakeResult
from wijkwerk_tui.services.undo import Done
from wijkwerk_tui.store import areas, drafts, partners, residents
from wijkwerk_tui.ui.dialogs.form import FormScreen, Write
from wijkwerk_tui.ui.text import plain
from wijkwerk_tui.ui.widgets.field import FormField
from wijkwerk_tui.ui.widgets.key_toggles import KeyChoice, KeyToggles, YesNo
from wijkwerk_tui.ui.widgets.partner_picker import PartnerPicker
from wijkwerk_tui.ui.widgets.step_input import StepInput

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.db.tables import Area, Partner

DRAFT = "intake"
# Drafts are written at most this often while typing (and at once on leaving a field).
DRAFT_PAUSE_S = 0.3
# Marks a value kept from the previous intake, so a huisbezoek in Ruinen is not carried on unnoticed.
CARRIED = "↻ als vorige intake"
ANONYMOUS_ONLY = (
    "Zonder toestemming wordt alleen een anoniem contact bewaard (soort, gebied, signalen); "
    "naam, geboortejaar, treden en notitie niet."
)
DRAFT_NOT_KEPT = "⚠ Het concept kon niet worden bewaard (zie de melding). Wat u typte staat er nog."

# One key per category, shown next to it.
SIGNAL_KEYS: list[tuple[str, str, str]] = [
    ("e", "loneliness", "eenzaam"),
    ("s", "debts", "schulden"),
    ("m", "carer_strain", "mantelzorg"),
    ("h", "domestic_violence", "huisel.geweld"),
    ("l", "low_literacy", "laaggeletterd"),
    ("d", "digital", "digitaal"),
    ("w", "housing", "wonen"),
    ("k", "frail_elderly", "kwetsbaar"),
    ("g", "health", "gezondheid"),
    ("z", "care_avoidance", "zorgmijding"),
    ("j", "youth", "jeugd"),
    ("a", "other", "anders"),
]
assert {code for _, code, _ in SIGNAL_KEYS} == set(signal_rules.CATEGORIES)


@dataclass(frozen=True)
class IntakeSetup:
    """What the intake needs before its first frame (`IntakeScreen.load`)."""

    areas: list[Area]
    last_area: uuid.UUID | None
    last_kind: str
    partners: list[Partner]


class IntakeScreen(FormScreen):
    DEFAULT_CSS = """
    IntakeScreen > Vertical#form { width: 100%; height: 100%; max-height: 100%; border: none; padding: 0 1; }
    IntakeScreen #form-body { max-height: 1fr; height: 1fr; }
    IntakeScreen .hint { color: $text-muted; height: auto; padding-left: 20; }
    IntakeScreen #duplicates { height: auto; max-height: 5; margin-left: 20; }
    IntakeScreen #duplicates-title { height: auto; padding-left: 20; color: $warning; }
    """
    BINDINGS = [
        Binding("ctrl+d", "choose_existing", "Bestaande kiezen", id="intake.existing", priority=True),
    ]

    form_title = "Snelle intake"
    asks_before_quit = False  # its draft is written before the app stops

    def __init__(self, setup: IntakeSetup, draft: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.setup = setup
        self._draft = draft
        self._existing: ResidentRow | None = None
        self._restoring = False
        # Draft writing: debounced on the UI thread, written in order by workers.
        self._draft_timer: Timer | None = None
        self._draft_dirty = False
        self._draft_seq = 0  # raised by every flush
        self._draft_written = 0  # the newest flush on disk (or overtaken by a save)
        self._draft_lock = threading.Lock()
        self._draft_failed = False
        self._area_note: tuple[str, str] | None = None  # (value, why it is there) for the area hint
        self._hall_area: str | None = None  # the area before a chosen resident's own replaced it

    @staticmethod
    def load(db: Database) -> IntakeSetup:
        last_area, last_kind = intake.last_choices(db)
        return IntakeSetup(areas.list_areas(db), last_area, last_kind, partners.list_partners(db))

    def compose_fields(self) -> ComposeResult:
        self._areas = self.setup.areas
        last_area, last_kind = self.setup.last_area, self.setup.last_kind
        area_name = next((a.name for a in self._areas if a.id == last_area), "")
        if area_name:
            self._area_note = (area_name, CARRIED)
        kind = last_kind if last_kind in CONTACT_KINDS else "walk_in"
        kind_choice = KeyChoice(CONTACT_KINDS, kind, id="kind")
        kind_choice.note = CARRIED if kind != "walk_in" else ""
        yield self.field("Naam", Input(placeholder="voornaam achternaam", id="name", compact=True), "name")
        yield Static(id="duplicates-title")
        table: DataTable[Text] = DataTable(id="duplicates", cursor_type="row")
        table.can_focus = False  # out of the Tab order until Ctrl+D
        yield table
        yield self.field(
            "Geboortejaar", Input(id="birth_year", compact=True, max_length=4, restrict=r"\d*"), "birth_year"
        )
        yield self.field(
            "Gebied",
            Input(
                area_name,
                id="area",
                compact=True,
                suggester=SuggestFromList([a.name for a in self._areas], case_sensitive=False),
            ),
            "area",
        )
        yield Static(id="area-hint", classes="hint")
        yield self.field("Soort (letter)", kind_choice, "kind")
        yield self.field("Participatie 1-6", StepInput(6, id="participation"), "participation")
        yield self.field("Verantw. 1-5", StepInput(5, id="support"), "support")
        yield Static(id="steps-hint", classes="hint")
        yield self.field("Signalen (toets)", KeyToggles(SIGNAL_KEYS, id="signals"), "signals")
        yield self.field("Notitie", Input(placeholder="kort, één regel", id="note", compact=True), "note")
        found = [(p.id, p.name, p.kind) for p in self.setup.partners]
        yield self.field("Doorverwijzen naar", PartnerPicker(found, id="partner", optional=True), "partner")
        yield self.field("Delen met partner", YesNo(id="referral_consent"), "referral_consent")
        yield self.field("Toestemming reg.", YesNo(id="consent"), "consent")
        yield Static(id="consent-hint", classes="hint")

    def prepare(self) -> None:
        # The draft belongs to whoever started the intake, even if another worker unlocks later.
        self._owner = self.app.worker_id
        self.query_one("#duplicates", DataTable).add_columns("Naam", "Jaar", "Gebied")
        self.query_one("#duplicates", DataTable).display = False
        self.query_one("#referral_consent", YesNo).can_focus = False
        if self._draft:
            self._restore(self._draft)
        self._update_hints()
        self.query_one("#name", Input).focus()
        self.rebaseline()

    # -- draft ------------------------------------------------------------------
    def _payload(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#name", Input).value,
            "birth_year": self.query_one("#birth_year", Input).value,
            "area": self.query_one("#area", Input).value,
            "kind": self.value_of("kind"),
            "participation": self.query_one("#participation", Input).value,
            "support": self.query_one("#support", Input).value,
            "signals": list(self.query_one("#signals", KeyToggles).form_value),
            "note": self.query_one("#note", Input).value,
            "partner_query": self.query_one("#partner-search", Input).value,
            "referral_consent": self.query_one("#referral_consent", YesNo).value,
            "consent": self.query_one("#consent", YesNo).value,
            "existing": str(self._existing.id) if self._existing else None,
            "existing_label": self._existing_label(),
        }

    def _restore(self, data: dict[str, Any]) -> None:
        self._restoring = True
        for name in ("name", "birth_year", "area", "participation", "support", "note"):
            self.query_one(f"#{name}", Input).value = str(data.get(name) or "")
        self.query_one("#partner-search", Input).value = str(data.get("partner_query") or "")
        if data.get("kind") in CONTACT_KINDS:
            self.query_one("#kind", KeyChoice).set_value(data["kind"])
        self.query_one("#signals", KeyToggles).set_value(data.get("signals") or [])
        self.query_one("#referral_consent", YesNo).set_value(data.get("referral_consent"))
        self.query_one("#consent", YesNo).set_value(data.get("consent"))
        if data.get("existing"):
            self._existing = ResidentRow(
                uuid.UUID(data["existing"]), data.get("existing_label") or "", "", None, "", None, None
            )
        self.call_after_refresh(self._end_restore)

    def _end_restore(self) -> None:
        self._restoring = False
        self._show_existing()

    def _keep_draft(self) -> None:
        """Something changed: write the draft after a short pause (not on every key)."""
        if self._restoring:
            return
        self._draft_dirty = True
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_PAUSE_S, self.flush_draft)

    @property
    def draft_pending(self) -> bool:
        """A change not yet written as a draft (tests wait for it)."""
        writing = any(w.node is self and w.group == "intake-draft" and w.is_running for w in self.app.workers)
        return self._draft_dirty or writing

    def _stop_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def flush_draft(self) -> Worker[None] | None:
        """Write the draft now if anything changed (also before a lock or quit); the worker doing it."""
        self._stop_draft_timer()
        if not self._draft_dirty or not self.is_attached:
            return None
        self._draft_dirty = False
        payload: dict[str, Any] | None = self._payload()
        # Only what was typed about this visit makes a draft; the kept area and kind do not.
        if not any(
            value not in ("", None, []) for key, value in (payload or {}).items() if key not in ("area", "kind")
        ):
            payload = None
        self._draft_seq += 1
        return self._write_draft(self._draft_seq, payload)

    @work(thread=True, exit_on_error=False, group="intake-draft", description="intake-draft")
    def _write_draft(self, seq: int, payload: dict[str, Any] | None) -> None:
        with self._draft_lock:  # in order: a slow older write never lands after a newer one
            if seq <= self._draft_written:
                return
            if payload is None:
                drafts.clear(self.app.db, self._owner, DRAFT)
            else:
                drafts.save(self.app.db, self._owner, DRAFT, payload)
            self._draft_written = seq
        if self._draft_failed:
            self.app.call_from_thread(self._draft_kept_again)

    def work_failed(self, worker: Worker[Any]) -> None:
        if worker.group != "intake-draft":
            super().work_failed(worker)
            return
        # The draft could not be written (a full disk): what is typed stays on screen, the next
        # pause tries again, and Ctrl+Q asks before the typing is lost.
        self._draft_failed = True
        self._draft_dirty = True
        self.asks_before_quit = True
        self.query_one("#form-error", Static).update(Text(DRAFT_NOT_KEPT))

    def _draft_kept_again(self) -> None:
        self._draft_failed = False
        self.asks_before_quit = False
        self.query_one("#form-error", Static).update(Text(""))

    def on_descendant_blur(self, _event: DescendantBlur) -> None:
        self.flush_draft()

    # -- reacting to input ----------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id
        if field == "note":
            cleaned, changed = strip_controls(event.value)
            if changed:
                event.input.value = cleaned
                self.query_one("#field-note", FormField).set_error(
                    "Regeleinden en onzichtbare tekens zijn weggehaald; controleer de notitie."
                )
                return
        if field in ("name", "birth_year", "area", "participation", "support"):
            self.query_one(f"#field-{field}", FormField).set_error(None)  # changed: the old message no longer holds
        if field in ("name", "birth_year") and self._existing is None:
            self.find_duplicates(self.query_one("#name", Input).value, self.query_one("#birth_year", Input).value)
        self._update_hints()
        self._keep_draft()

    def on_partner_picker_changed(self, event: PartnerPicker.Changed) -> None:
        # The sharing question only joins the Tab order when there is a referral.
        self.query_one("#referral_consent", YesNo).can_focus = bool(event.query.strip())
        if event.query.strip():  # the matches below the field, in view while typing
            sharing = self.query_one("#field-referral_consent")
            self.call_after_refresh(sharing.scroll_visible, animate=False)
        self._keep_draft()

    def on_key_choice_changed(self, _event: KeyChoice.Changed) -> None:
        self._keep_draft()

    def on_key_toggles_changed(self, _event: KeyToggles.Changed) -> None:
        self._keep_draft()

    def on_yes_no_changed(self, event: YesNo.Changed) -> None:
        self._keep_draft()
        if event.answer.id == "consent":
            self.query_one("#field-consent", FormField).set_error(None)
            self._update_hints()

    def _area(self, typed: str) -> Area | None:
        return resolve_area(typed, self._areas, lambda a: a.name)

    def _update_hints(self) -> None:
        typed = self.query_one("#area", Input).value
        area = self._area(typed) if typed else None
        hint = Text()
        if area is not None:
            hint.append(f"→ {area.name}")
            if self._area_note is not None and self._area_note[0] == typed:
                hint.append(f"  {self._area_note[1]}", style="italic")
        elif typed:
            hint.append("geen gebied met deze naam", style="italic")
        self.query_one("#area-hint", Static).update(hint)
        labels = []
        for ladder, name in ((Ladder.PARTICIPATION, "participation"), (Ladder.SUPPORT, "support")):
            value = self.query_one(f"#{name}", Input).value
            match = [s for s in steps(ladder) if str(s.number) == value]
            if match:
                labels.append(f"{'P' if ladder is Ladder.PARTICIPATION else 'V'}{value} {match[0].label}")
        self.query_one("#steps-hint", Static).update(Text(" · ".join(labels)))
        # Said before saving: without consent only an anonymous contact is kept.
        refused = self.query_one("#consent", YesNo).value is False
        consent_hint = self.query_one("#consent-hint", Static)
        consent_hint.update(Text(ANONYMOUS_ONLY if refused else "", style="bold"))
        if refused:
            consent_hint.scroll_visible(animate=False)

    # -- duplicates first ---------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates", description="duplicates")
    def find_duplicates(self, name: str, year: str) -> None:
        rows = search.likely_duplicates(self.app.db, name, year)
        self.app.call_from_thread(self._show_duplicates, name, rows)

    def _show_duplicates(self, name: str, rows: list[ResidentRow]) -> None:
        if name != self.query_one("#name", Input).value or self._existing is not None:
            return
        table = self.query_one("#duplicates", DataTable)
        table.clear()
        for row in rows:
            table.add_row(plain(row.name), plain(row.birth_year or ""), plain(row.area), key=str(row.id))
        table.display = bool(rows)
        title = Text(f"Mogelijk al bekend ({len(rows)}) — Ctrl+D om te kiezen", style="bold") if rows else Text("")
        self.query_one("#duplicates-title", Static).update(title)

    def action_choose_existing(self) -> None:
        table = self.query_one("#duplicates", DataTable)
        if self._existing is not None:  # Ctrl+D again: back to a new resident
            self._existing = None
            self._restore_hall_area()
            self._show_existing()
            self.find_duplicates(self.query_one("#name", Input).value, self.query_one("#birth_year", Input).value)
            self._keep_draft()
            return
        if table.row_count:
            table.can_focus = True
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id != "duplicates" or event.row_key.value is None:
            return
        row = event.data_table.get_row(event.row_key)
        self._existing = ResidentRow(uuid.UUID(event.row_key.value), str(row[0]), "", None, str(row[2]), None, None)
        event.data_table.can_focus = False
        if self._existing.area:  # the visit's area is where they live, not the previous intake's
            area = self.query_one("#area", Input)
            if self._hall_area is None:
                self._hall_area = area.value
            self._area_note = (self._existing.area, "waar de inwoner woont")
            area.value = self._existing.area
        self._show_existing()
        self._keep_draft()
        self.query_one("#area", Input).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="consent", description="consent")
    def _load_consent(self, resident_id: uuid.UUID) -> None:
        given, since = residents.consent_on_file(self.app.db, resident_id)
        self.app.call_from_thread(self._show_consent, resident_id, given, since)

    def _show_consent(self, resident_id: uuid.UUID, given: bool | None, since: date | None) -> None:
        """A yes on file is shown, not asked again; missing or withdrawn consent is asked."""
        if self._existing is None or self._existing.id != resident_id:
            return
        on_file = "" if consent_rules.needs_asking(given) else "ja" + (f", sinds {format_date(since)}" if since else "")
        self.query_one("#consent", YesNo).show_on_file(on_file)
        self.query_one("#field-consent", FormField).set_error(None)

    def data_changed(self, gone: set[Any]) -> None:
        # An undo: the last save's confirmation line no longer holds.
        self.query_one("#form-error", Static).update(Text(""))

    def _restore_hall_area(self) -> None:
        if self._hall_area is not None:
            self.query_one("#area", Input).value = self._hall_area
            self._hall_area = None

    def _existing_label(self) -> str:
        return self._existing.name if self._existing else ""

    def _show_existing(self) -> None:
        table = self.query_one("#duplicates", DataTable)
        title = self.query_one("#duplicates-title", Static)
        if self._existing is None:
            self.query_one("#consent", YesNo).show_on_file("")
            return
        self._load_consent(self._existing.id)
        table.display = False
        title.update(
            Text(f"Nieuw contact voor bestaande inwoner: {self._existing.name} (Ctrl+D = toch nieuw)", style="bold")
        )

    # -- saving -----------------------------------------------------------------------
    def _data(self) -> IntakeData:
        area = self._area(self.query_one("#area", Input).value)
        if area is None:
            raise ValidationError("area", "Kies het gebied (typ de eerste letters).")
        picker = self.query_one("#partner", PartnerPicker)
        partner = picker.value if self.query_one("#partner-search", Input).value.strip() else None
        if self.query_one("#partner-search", Input).value.strip() and partner is None:  # never dropped unseen
            raise ValidationError("partner", "Geen partner gekozen: typ een deel van de naam, of maak het veld leeg.")
        return IntakeData(
            name=self.query_one("#name", Input).value,
            birth_year=self.query_one("#birth_year", Input).value,
            area_id=area.id,
            kind=self.value_of("kind"),
            participation=self.query_one("#participation", Input).value,
            support=self.query_one("#support", Input).value,
            categories=self.query_one("#signals", KeyToggles).form_value,
            note=self.query_one("#note", Input).value,
            partner_id=partner,
            referral_consent=self.query_one("#referral_consent", YesNo).value,
            consent=self.query_one("#consent", YesNo).value,
            existing_resident_id=self._existing.id if self._existing else None,
        )

    def save(self) -> Write:
        db, worker, owner, data = self.app.db, self.app.worker_id, self._owner, self._data()
        self._stop_draft_timer()
        self._draft_dirty = False
        seq = self._draft_seq

        def write() -> Done:
            with self._draft_lock:  # the draft goes in the same transaction as the intake
                result = intake.save_intake(db, worker, data, draft=(owner, DRAFT))
                self._draft_written = max(self._draft_written, seq)
            return Done(intake_summary(result), result.undo)

        return write

    def after_save(self, message: str) -> None:
        # Stay on the intake: confirm in one line and start a fresh one.
        self.app.notify(message, markup=False)
        self.query_one("#form-error", Static).update(Text(message, style="bold"))
        self._reset()

    def _reset(self) -> None:
        """A fresh intake: area and contact kind stay."""
        self._restoring = True
        for name in ("name", "birth_year", "participation", "support", "note", "partner-search"):
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#signals", KeyToggles).set_value([])
        self.query_one("#referral_consent", YesNo).set_value(None)
        self.query_one("#consent", YesNo).show_on_file("")
        kind = self.query_one("#kind", KeyChoice)
        kind.set_value(kind.value, CARRIED if kind.value != "walk_in" else "")
        # The next visitor is at the same hall: a chosen resident's home area is not kept.
        self._restore_hall_area()
        self._area_note = (self.query_one("#area", Input).value, CARRIED)
        self._existing = None
        self.query_one("#duplicates", DataTable).display = False
        self.query_one("#duplicates-title", Static).update("")
        self.call_after_refresh(self._after_reset)

    def _after_reset(self) -> None:
        self._restoring = False
        self._update_hints()
        self.rebaseline()
        self.query_one("#name", Input).focus()

    discard_question = "Deze intake niet opslaan en weggooien?"

    def discard(self) -> None:
        self._stop_draft_timer()
        self._draft_dirty = False
        self._draft_seq += 1
        self._draft_written = self._draft_seq  # a write still on its way lands nowhere
        self.app.drop_draft(self._owner)  # the app's worker: this screen is about to go
        self.dismiss(False)


def intake_summary(result: IntakeResult) -> str:
    """The one-line confirmation after a save."""
    if result.resident_id is None:
        return "Anoniem contact opgeslagen (geen toestemming voor registratie); naam en notitie zijn niet bewaard."
    parts = [
        "nieuwe inwoner" if result.new_resident else "contact",
        counted(result.steps, "trede", "treden") if result.steps else "",
        counted(result.signals, "signaal", "signalen") if result.signals else "",
        "doorverwijzing" if result.referral else "",
    ]
    return f"Opgeslagen: {result.resident_name} — " + ", ".join(p for p in parts if p) + "."
