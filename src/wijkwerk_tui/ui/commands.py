"""The command palette (Ctrl+P): every main action, and jump to a resident by name."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from wijkwerk_tui.queries.search import ResidentRow
    from wijkwerk_tui.ui.app import WijkwerkApp

MIN_NAME_QUERY = 2
NOTHING_FOUND = "Niets gevonden: geen opdracht of inwoner met deze letters"


def main_actions(app: WijkwerkApp) -> list[tuple[str, str, Callable[[], object]]]:
    """(title, help, callback) for every main action of the app."""
    return [
        ("Vandaag", "Startscherm met wat er vandaag te doen is", app.action_home),
        ("Snelle intake", "Inloop: nieuwe inwoner of contact in één scherm (n)", app.action_intake),
        ("Inwoners zoeken", "Zoeken op naam, geboortejaar of gebied (/)", app.action_residents),
        ("Nieuwe inwoner", "Een inwoner toevoegen buiten de intake", app.action_new_resident),
        (
            "Signaal over onbekende inwoner",
            "Signaal zonder naam, bijv. 'oudere dame Kerkstraat'",
            app.action_anonymous_signal,
        ),
        ("Overzichten", "Open signalen en doorverwijzingen die wachten op terugkoppeling (o)", app.action_overviews),
        ("Sociale kaart", "Partners bekijken, toevoegen en wijzigen (k)", app.action_partners),
        ("Groepsactiviteiten", "Collectieve activiteiten: lijst en nieuwe registreren", app.action_activities),
        ("Synchroniseren", "Met de hub van de organisatie: versturen en ophalen (F5)", app.action_sync),
        ("Conflicten", "Twee laptops wijzigden hetzelfde: kies welke waarde blijft", app.action_conflicts),
        ("Vergrendelen", "Scherm op slot; met uw wachtwoord verder waar u was (Ctrl+L)", app.action_lock),
        ("Eigen wachtwoord wijzigen", "Uw huidige wachtwoord en een nieuw", app.action_change_passphrase),
        ("Back-up maken", "Nu een versleutelde back-up naast de database", app.action_backup_now),
        ("Database controleren", "Is het bestand heel? Wat is beschadigd, welke back-up kan terug", app.action_check),
        ("Exports", "Rapportages en inzages op deze laptop: bekijken en opruimen", app.action_exports),
        *(
            [
                ("Rapportage", "Cijfers over een periode voor de gemeente, met grafieken en export", app.action_report),
                (
                    "Vastgestelde rapportages",
                    "Verstuurde rapportages: wat is er sindsdien veranderd, en waarom",
                    app.action_frozen_reports,
                ),
                (
                    "Importeren",
                    "Inwoners, ladderscores en contacten uit Excel, ODS of CSV: eerst een proefrun",
                    app.action_import,
                ),
                ("Medewerkers", "Accounts toevoegen, wachtwoord opnieuw instellen, deactiveren", app.action_accounts),
                (
                    "Ongebruikelijk inzien",
                    "Per maand: dossiers geopend met reden, buiten gebied, of veel op één dag",
                    app.action_unusual_views,
                ),
                ("Instellingen", "Organisatie, vergrendelen na, bewaartermijn", app.action_settings),
                ("Bewaartermijn toepassen", "Inwoners na de bewaartermijn anonimiseren", app.action_retention),
                (
                    "Meldingen afhandelen",
                    "Afwijkingen in de audittrail die de hub meldde: als afgehandeld markeren",
                    app.action_alerts_seen,
                ),
            ]
            if app.is_coordinator
            else []
        ),
        (
            "Laatste opslag ongedaan maken",
            "Uw eigen laatste opslag, tot enkele minuten erna (Ctrl+O)",
            app.action_undo_last_save,
        ),
        ("Hulp: alle toetsen van dit scherm", "F1, of ? buiten een tekstveld", app.action_help),
        ("Thema wisselen", "Licht, donker of hoog contrast", app.action_change_theme),
        ("Stoppen", "Wijkwerk afsluiten (Ctrl+Q)", app.action_quit),
    ]


class WijkwerkCommands(Provider):
    @property
    def wijkwerk(self) -> WijkwerkApp:
        return cast("WijkwerkApp", self.app)  # a Provider is no DOM node: the app is typed here

    async def discover(self) -> Hits:
        for title, help_text, callback in main_actions(self.wijkwerk):
            yield DiscoveryHit(Text(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for title, help_text, callback in main_actions(self.wijkwerk):
            score = matcher.match(title)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
        rows = await self._residents(query)
        for rank, row in enumerate(rows):
            label = Text(f"Open inwoner: {'≈ ' if row.tolerant else ''}{row.name}")  # ≈: sounds alike
            label.append(f"  ({row.birth_year or '?'}, {row.area or 'geen gebied'})", style="dim")
            if row.needs_reason:
                label.append("  met reden", style="italic")  # (outside his areas: store.scope)
            yield Hit(0.9 - rank * 0.01, label, _opener(self.wijkwerk, row.id), text=f"Open inwoner: {row.name}")
        if not found and not rows:  # said in Dutch here, before Textual says "No matches found"
            yield Hit(0.01, Text(NOTHING_FOUND, style="italic"), _nothing, text=NOTHING_FOUND)

    async def _residents(self, query: str) -> list[ResidentRow]:
        if len(query.strip()) < MIN_NAME_QUERY:
            return []
        from wijkwerk_tui.queries.search import search_residents

        try:  # a thread, as every read from the UI; a failed search finds nobody
            return await asyncio.to_thread(
                search_residents, self.wijkwerk.db, query, limit=10, tolerant=True, actor=self.wijkwerk.worker_id
            )
        except Exception:  # noqa: BLE001 - the palette stays usable; no details (they could hold data)
            return []


def _nothing() -> None:
    """Choosing "niets gevonden" only closes the palette."""


def _opener(app: WijkwerkApp, resident_id: uuid.UUID) -> Callable[[], None]:
    return lambda: app.open_resident(resident_id)
