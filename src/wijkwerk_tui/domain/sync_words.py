"""Where the sync stands, in the words the start screen shows."""

from __future__ import annotations

from datetime import datetime

from wijkwerk_tui.domain.dates import format_time
from wijkwerk_tui.domain.text import counted


def sync_line(joined: bool, waiting: int, last: datetime | None, offline: datetime | None) -> str:
    """'Gesynchroniseerd 10:42 · 3 wijzigingen wachten' or 'Offline sinds 09:15' ('' alone)."""
    if not joined:
        return ""
    if offline is not None:
        text = f"Offline sinds {format_time(offline)}"
    elif last is not None:
        text = f"Gesynchroniseerd {format_time(last)}"
    else:
        text = "Nog niet gesynchroniseerd"
    if waiting:
        text += f" · {counted(waiting, 'wijziging wacht', 'wijzigingen wachten')}"
    return text


def sync_said(pushed: int, pulled: int, conflicts: int, copied: bool, came: int = 0, left: int = 0) -> str:
    """What a completed sync did, in one line."""
    text = f"Gesynchroniseerd: {pushed} verstuurd, {pulled} ontvangen."
    if came:
        text += f" {counted(came, 'inwoner', 'inwoners')} uit de gebieden van deze laptop erbij."
    if left:
        text += (
            f" {counted(left, 'inwoner', 'inwoners')} buiten zijn gebieden van deze laptop gehaald (de hub houdt ze)."
        )
    if conflicts:
        text += f" {counted(conflicts, 'conflict wacht', 'conflicten wachten')} op een keuze (Conflicten)."
    if copied:
        text += " Deze laptop was teruggezet of gekopieerd en gaat verder als nieuw apparaat; er ging niets verloren."
    return text


# What the hub found about an audit chain (hub.audit_anchor), for coordinators.
AUDIT_ALERTS = {
    "teruggezet": "teruggezet uit een back-up of gekopieerd: de keten gaat verder vanaf een ouder punt",
    "ingekort": "ingekort of herschreven: de laptop schreef opnieuw over regels die de hub al had",
    "gat": "regels ontbreken: ze zijn nooit bij de hub aangekomen (gewist voor het versturen)",
    "breuk": "de keten sluit niet aan op wat de hub ervan heeft",
    "gewijzigd": "een regel is veranderd nadat hij geschreven werd (zijn hash klopt niet)",
    "geweigerd": "regels die deze laptop niet mag sturen (van een andere laptop, of met een andere medewerker) "
    "zijn niet overgenomen",
}


def audit_alert_said(chain_name: str, sender_name: str, kind: str, number: int) -> str:
    by = "" if sender_name == chain_name else f" (verstuurd door {sender_name})"
    return f"Audittrail van laptop {chain_name}{by}, vanaf regel {number}: {AUDIT_ALERTS[kind]}."
