"""Dutch words for the audit trail's actions, for "Wie keek mee" and the inzage document."""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    "resident.view": "dossier bekeken",
    "resident.breakglass": "dossier geopend met reden",
    "resident.create": "inwoner aangemaakt",
    "resident.update": "gegevens gewijzigd",
    "resident.delete": "inwoner verwijderd",
    "resident.export": "inzage geëxporteerd",
    "resident.erase": "gewist op verzoek",
    "resident.anonymise": "geanonimiseerd (bewaartermijn)",
    "audit.view": "'Wie keek mee' bekeken",
    "ladder.record": "trede vastgelegd",
    "ladder.delete": "trede verwijderd",
    "signal.create": "signaal vastgelegd",
    "signal.update": "signaal gewijzigd",
    "signal.status": "status signaal gewijzigd",
    "signal.link": "signaal gekoppeld",
    "signal.meldcode": "meldcodestap vastgelegd",
    "referral.create": "doorverwijzing vastgelegd",
    "referral.status": "status doorverwijzing gewijzigd",
    "referral.feedback": "terugkoppeling vastgelegd",
    "contact.create": "contactmoment vastgelegd",
    "goal.create": "doel vastgelegd",
    "goal.status": "status doel gewijzigd",
    "save.undo": "opslag ongedaan gemaakt",
    "report.freeze": "rapportage vastgesteld",
    "import.run": "bestand geïmporteerd",
    "import.undo": "import ongedaan gemaakt",
    "database.rekey": "nieuwe databasesleutel",
    "import.mapping": "kolommen voor de import onthouden",
    "resident.merge": "dubbele inwoner samengevoegd in dit dossier",
    "resident.merged": "samengevoegd met een ander dossier",
    "conflict.resolve": "keuze gemaakt bij een conflict (synchronisatie)",
    "hub.copy": "laptop teruggezet of gekopieerd: verder als nieuw apparaat",
    "hub.alerts_seen": "meldingen over de audittrail afgehandeld",
    "signal.sealed": "tekst van vertrouwelijke signalen versleuteld voor de lezers",
    "hub.bundle_out": "bestand voor de hub geschreven (USB)",
    "hub.bundle_relay": "bestand van een laptop zonder netwerk aan de hub doorgegeven",
    "hub.bundle_in": "antwoord van de hub ingelezen (USB)",
    "hub.scope_dropped": "inwoners buiten de gebieden van deze laptop hier verwijderd (niet bij de hub)",
}


def describe(action: str) -> str:
    return ACTIONS.get(action, action)
