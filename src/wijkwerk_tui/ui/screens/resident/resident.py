"""One resident: own data, both ladders drawn with their history, signals, referrals,
contacts and goals. Keys p, v, s, d, c, g open the forms."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.accounts import may
from wijkwerk_tui.domain.activities import CONTACT_KINDS, GOAL_CONTRIBUTORS, GOAL_STATUSES
from wijkwerk_tui.domain.dates import age_on, format_date
from wijkwerk_tui.domain.ladders import LADDER_NAMES, Ladder, Step, movement_between, steps
from wijkwerk_tui.domain.names import full_name
from wijkwerk_tui.queries import overview
from wijkwerk_tui.services import resident_file
from wijkwerk_tui.services.resident_file import ResidentFile
from wijkwerk_tui.store import settings
from wijkwerk_tui.ui.base import AppScreen
from wijkwerk_tui.ui.text import ARROWS, NOT_ENCRYPTED, day, plain
from wijkwerk_tui.ui.widgets.footer import Footer
from wijkwerk_tui.ui.widgets.ladder_view import LadderView
from wijkwerk_tui.ui.widgets.row_list import Column, RowList

_FEEDBACK_WORDS = {"overdue": "te laat", "due_soon": "binnenkort", "pending": "", "received": "ontvangen", "closed": ""}


@dataclass(frozen=True)
class Loaded:
    """Everything the screen shows, read in one go (the view is audited as it shows)."""

    file: ResidentFile
    labels: dict[Ladder, dict[int, str]]
    today: date


def fetch(db: Database, worker_id: uuid.UUID | None, resident_id: uuid.UUID, reason: str = "") -> Loaded:
    data = resident_file.load(db, worker_id, resident_id, reason)
    return Loaded(data, {ladder: settings.ladder_labels(db, ladder) for ladder in Ladder}, db.today())


class ResidentScreen(AppScreen[None]):
    DEFAULT_CSS = """
    ResidentScreen #resident-head { height: auto; padding: 0 1; }
    ResidentScreen #ladders { height: auto; }
    ResidentScreen .ladder-column { width: 1fr; height: auto; border: round $primary; }
    ResidentScreen .ladder-history { height: auto; max-height: 8; }
    ResidentScreen .section-title { height: 1; padding: 0 1; margin-top: 1; text-style: bold; }
    ResidentScreen .section { height: auto; max-height: 10; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Terug", id="resident.back"),
        Binding("p", "ladder('participation')", "Participatie", id="resident.participation"),
        Binding("v", "ladder('support')", "Verantw.", id="resident.support"),
        Binding("s", "signal", "Signaal", id="resident.signal"),
        Binding("d", "referral", "Doorverwijzing", id="resident.referral"),
        Binding("c", "contact", "Contact", id="resident.contact"),
        Binding("g", "goal", "Doel", id="resident.goal"),
        # Less frequent: in the help (?) and the palette, not in the footer.
        Binding("e", "edit", "Gegevens", id="resident.edit", show=False),
        Binding("i", "inzage", "Inzage", id="resident.inzage", show=False),
        Binding("w", "who_looked", "Wie keek mee", id="resident.who_looked", show=False),
        Binding("x", "erase", "Wissen (AVG)", id="resident.erase", show=False),
        Binding("m", "merge", "Samenvoegen", id="resident.merge", show=False),
    ]

    def __init__(self, resident_id: uuid.UUID, loaded: Loaded | None = None, reason: str = "") -> None:
        """With `loaded` (see `Navigation.open_resident`) the first frame shows the file;
        without, the screen reads it in a worker thread. `reason`: it opened with one
        (outside the worker's areas and caseload: store.scope)."""
        super().__init__()
        self.resident_id = resident_id
        self.reason = reason
        self.file: ResidentFile | None = None
        self.labels: dict[Ladder, dict[int, str]] = {}
        self.title = "Inwoner"
        self._loaded = loaded

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="resident-body"):
            yield Static(id="resident-head")
            with Horizontal(id="ladders"):
                for ladder in Ladder:
                    with Vertical(classes="ladder-column", id=f"column-{ladder.value}") as column:
                        column.border_title = LADDER_NAMES[ladder]
                        yield LadderView(id=f"ladder-{ladder.value}")
                        yield RowList(
                            "Datum",
                            "Trede",
                            Column("Door", max_width=14),
                            Column("Notitie", flex=True),
                            id=f"history-{ladder.value}",
                            classes="ladder-history",
                        )
            yield Static("Signalen (Enter: status wijzigen)", classes="section-title")
            yield RowList("Datum", "Categorie", "Urgentie", "Status", "Opvolgen", id="signals", classes="section")
            yield Static("Doorverwijzingen (Enter: status en terugkoppeling)", classes="section-title")
            yield RowList(
                "Datum", Column("Partner", flex=True), "Status", "Terug vóór", "", id="referrals", classes="section"
            )
            yield Static("Contactmomenten", classes="section-title")
            yield RowList(
                "Datum", "Soort", "Min.", Column("Notitie", flex=True, max_width=60), id="contacts", classes="section"
            )
            yield Static("Doelen en afspraken (Enter: status wijzigen)", classes="section-title")
            yield RowList(Column("Doel", flex=True), "Wie", "Evaluatie", "Status", id="goals", classes="section")
        yield Footer()

    def on_mount(self) -> None:
        if self._loaded is None:
            self.load()
        else:
            self._show(self._loaded)
            self._loaded = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="resident", description="resident")
    def load(self) -> None:
        """(Re)read the file: when opened without it, and after every form."""
        loaded = fetch(self.app.db, self.app.worker_id, self.resident_id, self.reason)
        self.app.call_from_thread(self._show, loaded)

    @work(thread=True, exit_on_error=False, group="resident-recent", description="resident-recent")
    def _remember(self) -> None:
        """Once per opening, not on every reload: the view's audit entry, and the start
        screen's "recently opened"."""
        resident_file.record_view(self.app.db, self.app.worker_id, self.resident_id, self.reason)
        overview.remember_opened(self.app.db, self.app.worker_id, self.resident_id)

    def _show(self, loaded: Loaded) -> None:
        if self.file is None:  # the first time this opening shows the file
            self._remember()
        data, labels, today = loaded.file, loaded.labels, loaded.today
        self.file, self.labels = data, labels
        r = data.resident
        name = full_name(r.given_name, r.family_prefix, r.family_name)
        self.title = name
        age = age_on(today, r.birth_year, r.birth_date)
        consent = {True: "ja", False: "nee", None: "nog niet gevraagd"}[r.consent_register]
        head = Text()
        head.append(name, style="bold")
        if age is not None:
            head.append(f" · {age} jaar ({r.birth_year})")
        head.append(f" · {data.area or 'geen gebied'}")
        head.append(f"\nToestemming registratie: {consent}")
        if r.consent_on:
            head.append(f" ({format_date(r.consent_on)})")
        head.append("\n")
        for ladder in Ladder:
            history = data.history[ladder]
            current = history[-1].step if history else None
            head.append(f"{LADDER_NAMES[ladder]}: ")
            head.append(f"trede {current}" if current else "nog geen meting", style="bold" if current else "dim")
            head.append("   ")
        self.query_one("#resident-head", Static).update(head)
        for ladder in Ladder:
            self._show_ladder(ladder, data, steps(ladder, labels[ladder]))
        self._show_sections(data, today)

    def _show_ladder(self, ladder: Ladder, data: ResidentFile, ladder_steps: tuple[Step, ...]) -> None:
        history = data.history[ladder]
        current = history[-1] if history else None
        self.query_one(f"#ladder-{ladder.value}", LadderView).show(
            ladder_steps, current.step if current else None, current.potential if current else None
        )
        previous = None
        rows = []
        for item in history:
            arrow = ARROWS[movement_between(previous, item.step).value]
            previous = item.step
            rows.append(
                (
                    day(item.measured_on),
                    f"{item.step} {arrow}",
                    short_name(data.workers.get(item.worker_id, "")) if item.worker_id else "",
                    item.note,
                )
            )
        self.query_one(f"#history-{ladder.value}", RowList).set_rows(rows[::-1])  # newest first

    def _show_sections(self, data: ResidentFile, today: date) -> None:
        self.query_one("#signals", RowList).set_rows(
            [
                (
                    day(s.noticed_on),
                    signal_rules.CATEGORIES.get(s.category, s.category),
                    plain(signal_rules.URGENCIES[s.urgency], "bold red" if s.urgency == "acute" else ""),
                    signal_rules.STATUSES.get(s.status, s.status),
                    day(s.follow_up_on),
                )
                for s in data.signals
            ],
            [str(s.id) for s in data.signals],
        )
        referrals = []
        for ref in data.referrals:
            state = referral_rules.feedback_state(ref.status, ref.feedback_due_on, ref.feedback_on, today)
            referrals.append(
                (
                    day(ref.referred_on),
                    data.partners.get(ref.partner_id, ""),
                    referral_rules.STATUSES[ref.status],
                    day(ref.feedback_due_on),
                    plain(_FEEDBACK_WORDS[state.value], "bold" if state.value == "overdue" else ""),
                )
            )
        self.query_one("#referrals", RowList).set_rows(referrals, [str(ref.id) for ref in data.referrals])
        self.query_one("#contacts", RowList).set_rows(
            [
                (day(c.contact_on), CONTACT_KINDS.get(c.kind, c.kind), c.duration_min or "", c.note.replace("\n", " "))
                for c in data.contacts
            ],
            [str(c.id) for c in data.contacts],
        )
        self.query_one("#goals", RowList).set_rows(
            [
                (
                    g.description,
                    GOAL_CONTRIBUTORS.get(g.contributor, g.contributor),
                    day(g.review_on),
                    GOAL_STATUSES.get(g.status, g.status),
                )
                for g in data.goals
            ],
            [str(g.id) for g in data.goals],
        )

    # -- forms ----------------------------------------------------------------
    def resident_name(self) -> str:
        if self.file is None:
            return ""
        r = self.file.resident
        return full_name(r.given_name, r.family_prefix, r.family_name)

    def _reload_after(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def data_changed(self, gone: set[object]) -> None:
        if self.resident_id not in gone:
            self.load()
        elif self.is_current:  # an undone intake took this resident back: back to where we were
            self.dismiss()
        else:
            self._gone = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_gone", False):
            self.dismiss()

    def action_ladder(self, ladder: str) -> None:
        from wijkwerk_tui.ui.screens.resident.ladder_dialog import LadderDialog

        if self.file is None:
            return
        which = Ladder(ladder)
        history = self.file.history[which]
        current = history[-1].step if history else None
        dialog = LadderDialog(self.resident_id, which, self.resident_name(), current, self.labels.get(which, {}))
        self.app.push_screen(dialog, self._reload_after)

    def action_signal(self) -> None:
        from wijkwerk_tui.ui.screens.resident.signal_form import SignalForm

        self.app.push_screen(SignalForm(self.resident_id, self.resident_name()), self._reload_after)

    def action_referral(self) -> None:
        from wijkwerk_tui.ui.screens.resident.referral_form import ReferralForm

        if self.file is None:
            return
        rid, name, signals = self.resident_id, self.resident_name(), self.file.signals
        self.app.push_loaded(
            ReferralForm.load, lambda found: ReferralForm(rid, name, found, signals), self._reload_after
        )

    def action_contact(self) -> None:
        from wijkwerk_tui.ui.screens.resident.contact_form import ContactForm

        self.app.push_screen(ContactForm(self.resident_id, self.resident_name()), self._reload_after)

    def action_goal(self) -> None:
        from wijkwerk_tui.ui.screens.resident.goal_form import GoalForm

        self.app.push_screen(GoalForm(self.resident_id, self.resident_name()), self._reload_after)

    def action_edit(self) -> None:
        from wijkwerk_tui.ui.screens.resident.resident_form import ResidentForm

        if self.file is not None:
            resident_id = self.file.resident.id
            # Read afresh: another window may have saved since this screen was read, and the
            # form should show (and compare with) what is stored now.
            self.app.push_loaded(
                lambda db: ResidentForm.load_for(db, resident_id),
                lambda loaded: ResidentForm(*loaded),
                self._reload_after,
            )

    # -- privacy ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # What the role may not do is hidden from the footer and the help, and refused.
        needs = {"who_looked": "audit_view", "erase": "erase", "merge": "merge"}.get(action)
        return not needs or may(self.app.role, needs)

    def action_merge(self) -> None:
        from wijkwerk_tui.ui.screens.resident.merge_form import MergeForm

        self.app.push_screen(MergeForm(self.resident_id, self.resident_name()), self._reload_after)

    def action_who_looked(self) -> None:
        from wijkwerk_tui.ui.screens.resident.who_looked import WhoLookedScreen

        self.app.push_screen(WhoLookedScreen(self.resident_id, self.resident_name()))

    def action_inzage(self) -> None:
        self._inzage(self.app.export_dir)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inzage", description="inzage")
    def _inzage(self, folder: Path) -> None:
        from functools import partial

        from wijkwerk_tui.domain import sealed
        from wijkwerk_tui.exchange import inzage_document as document
        from wijkwerk_tui.queries import inzage
        from wijkwerk_tui.security import vault

        db = self.app.db
        self.app.progress("Inzage maken…")
        found = inzage.collect(db, self.app.worker_id, self.resident_id, self.reason)
        session = self.app.session
        reveal = partial(vault.readable, session) if session is not None else sealed.without_key
        markdown, _raw = document.write(found, folder, settings.get(db, settings.ORGANISATION_KEY), reveal)
        self.app.progress("")
        message = f"Inzage opgeslagen: {markdown} (en .json). {NOT_ENCRYPTED}"
        self.app.call_from_thread(self.app.notify, message, markup=False, timeout=10)

    def action_erase(self) -> None:
        from wijkwerk_tui.ui.dialogs.confirm import ConfirmDialog

        def answered(erase: bool | None) -> None:
            if erase:
                self._erase()

        merged, also = self.file.merged if self.file else 0, ""
        if merged == 1:
            also = " Ook het dossier dat hiermee is samengevoegd, wordt gewist."
        elif merged > 1:
            also = f" Ook de {merged} dossiers die hiermee zijn samengevoegd, worden gewist."
        self.app.push_screen(
            ConfirmDialog(
                f"Alle persoonsgegevens en notities van deze inwoner wissen (AVG-verzoek)?{also} Dit kan niet "
                "ongedaan worden gemaakt. Alleen aantallen blijven over voor rapportages.",
                yes="Wissen (j)",
                no="Niet wissen (n)",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="erase", description="erase")
    def _erase(self) -> None:
        from wijkwerk_tui.services import privacy

        folded = privacy.erase_resident(self.app.db, self.app.worker_id, self.resident_id)
        self.app.call_from_thread(self._erased, folded)

    def _erased(self, folded: bool) -> None:
        self.app.saved()
        self.app.notify("De gegevens zijn gewist. De telling in rapportages blijft kloppen.", markup=False)
        if not folded:
            self.app.notify(
                "Nog een venster van Wijkwerk leest deze database: tot dat dicht is, staat de gewiste tekst nog "
                "in het logbestand naast de database. Sluit het en wis opnieuw, of vraag de beheerder.",
                severity="warning",
                markup=False,
                timeout=15,
            )
        if self.is_current:
            self.dismiss()

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        if self.file is None or event.key is None:
            return
        row_id = uuid.UUID(event.key)
        table = event.row_list.id
        if table == "signals":
            from wijkwerk_tui.security import vault
            from wijkwerk_tui.ui.screens.resident.signal_status import SignalStatusDialog

            signal = next(s for s in self.file.signals if s.id == row_id)
            choices = [(r.id, self.file.partners.get(r.partner_id, "")) for r in self.file.referrals]
            actor = self.app.worker_id
            session = self.app.session
            text = vault.readable(session, signal.description, signal.confidential) if session else ""
            self.app.push_loaded(
                lambda db: SignalStatusDialog.load(db, actor, signal.id),
                lambda steps: SignalStatusDialog(signal, choices, steps, text),
                self._reload_after,
            )
        elif table == "referrals":
            from wijkwerk_tui.ui.screens.resident.referral_update import ReferralUpdateDialog

            referral = next(r for r in self.file.referrals if r.id == row_id)
            self.app.push_screen(
                ReferralUpdateDialog(referral, self.file.partners.get(referral.partner_id, "")), self._reload_after
            )
        elif table == "goals":
            from wijkwerk_tui.ui.screens.resident.goal_status import GoalStatusDialog

            goal = next(g for g in self.file.goals if g.id == row_id)
            self.app.push_screen(GoalStatusDialog(goal), self._reload_after)


def short_name(name: str, width: int = 14) -> str:
    """'Lotte Brinkman' fits; 'Lotte van den Brinkman' becomes 'Lotte B.' rather than 'Lotte van d…'."""
    parts = name.split()
    if len(name) <= width or len(parts) < 2:
        return name
    return f"{parts[0]} {parts[-1][0]}."
