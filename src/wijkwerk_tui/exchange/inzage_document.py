"""The inzage document: one resident's data as readable Markdown, plus the same as JSON."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from wijkwerk_tui.domain import sealed
from wijkwerk_tui.domain.activities import CONTACT_KINDS, GOAL_CONTRIBUTORS, GOAL_STATUSES
from wijkwerk_tui.domain.ladders import LADDER_NAMES, Ladder, steps
from wijkwerk_tui.domain.referrals import STATUSES as REFERRAL_STATUSES
from wijkwerk_tui.domain.signals import CATEGORIES, URGENCIES
from wijkwerk_tui.domain.signals import STATUSES as SIGNAL_STATUSES
from wijkwerk_tui.exchange.private_files import private_file, private_folder
from wijkwerk_tui.queries.inzage import Inzage

TITLES = {
    "ladders": "Ladders",
    "signalen": "Signalen",
    "doorverwijzingen": "Doorverwijzingen",
    "contactmomenten": "Contactmomenten",
    "doelen": "Doelen en afspraken",
    "activiteiten": "Groepsactiviteiten",
    "inzage_log": "Wie heeft het dossier bekeken of gewijzigd",
}


def _value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def as_dict(found: Inzage, reveal: Callable[[str], str] = sealed.without_key) -> dict[str, Any]:
    """The data as the resident reads it: Dutch names, labels instead of codes (also the JSON).
    `reveal`: a confidential signal's sealed text as the one who asks may read it."""

    def who(worker_id: uuid.UUID | None) -> str:
        return found.workers.get(worker_id, "") if worker_id else ""

    r = found.resident
    labels = {ladder: {s.number: s.label for s in steps(ladder)} for ladder in Ladder}
    return {
        "gemaakt_op": found.made_at.isoformat(),
        "inwoner": {
            "id": str(r.id),
            "voornaam": r.given_name,
            "tussenvoegsel": r.family_prefix,
            "achternaam": r.family_name,
            "geboortejaar": r.birth_year,
            "geboortedatum": _value(r.birth_date),
            "gebied": found.area,
            "telefoon": r.phone,
            "e-mail": r.email,
            "toestemming_registratie": r.consent_register,
            "toestemming_op": _value(r.consent_on),
            "geregistreerd_op": _value(r.created_at),
            "geanonimiseerd_op": _value(r.anonymised_at),
        },
        "ladders": {
            LADDER_NAMES[ladder]: [
                {
                    "datum": _value(s.measured_on),
                    "trede": s.step,
                    "omschrijving": labels[ladder].get(s.step, ""),
                    "groeipotentieel": s.potential,
                    "toelichting": s.note,
                    "medewerker": who(s.worker_id),
                }
                for s in found.ladders[ladder]
            ]
            for ladder in Ladder
        },
        "signalen": [
            {
                "datum": _value(s.noticed_on),
                "soort": CATEGORIES.get(s.category, s.category),
                "urgentie": URGENCIES.get(s.urgency, s.urgency),
                "status": SIGNAL_STATUSES.get(s.status, s.status),
                "omschrijving": reveal(s.description) if s.confidential else s.description,
                "opvolgen_op": _value(s.follow_up_on),
                "gesloten_op": _value(s.closed_on),
                "vertrouwelijk": s.confidential,
                "medewerker": who(s.worker_id),
                "meldcode": [{"stap": m.step, "datum": _value(m.done_on), "notitie": m.note} for m in meldcode],
            }
            for s, meldcode in found.signals
        ],
        "doorverwijzingen": [
            {
                "datum": _value(f.referred_on),
                "partner": found.partners.get(f.partner_id, ""),
                "reden": f.reason,
                "toestemming_delen": f.consent_share,
                "toestemming_op": _value(f.consent_on),
                "reden_zonder_toestemming": f.no_consent_reason,
                "status": REFERRAL_STATUSES.get(f.status, f.status),
                "terugkoppeling_uiterlijk": _value(f.feedback_due_on),
                "terugkoppeling_op": _value(f.feedback_on),
                "terugkoppeling": f.feedback,
                "medewerker": who(f.worker_id),
            }
            for f in found.referrals
        ],
        "contactmomenten": [
            {
                "datum": _value(c.contact_on),
                "soort": CONTACT_KINDS.get(c.kind, c.kind),
                "minuten": c.duration_min,
                "notitie": c.note,
                "medewerker": who(c.worker_id),
            }
            for c in found.contacts
        ],
        "doelen": [
            {
                "vastgesteld_op": _value(g.set_on),
                "doel": g.description,
                "wie_draagt_bij": GOAL_CONTRIBUTORS.get(g.contributor, g.contributor),
                "evaluatie_op": _value(g.review_on),
                "status": GOAL_STATUSES.get(g.status, g.status),
                "medewerker": who(g.worker_id),
            }
            for g in found.goals
        ],
        "activiteiten": [{"datum": _value(a.held_on), "naam": a.name} for a in found.activities],
        "inzage_log": [
            {"tijd": _value(e.at), "medewerker": who(e.worker_id) or "systeem", "handeling": e.action}
            for e in found.events
        ],
    }


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    if isinstance(value, list):
        return "; ".join(f"stap {v.get('stap')}: {v.get('datum') or 'open'}" for v in value) or "–"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["Geen gegevens.", ""]
    heads = list(rows[0])
    lines = ["| " + " | ".join(h.replace("_", " ") for h in heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(_cell(row.get(h)) for h in heads) + " |" for row in rows]
    return [*lines, ""]


def to_markdown(data: dict[str, Any], organisation: str = "") -> str:
    person = data["inwoner"]
    lines = [
        f"# Inzage in uw gegevens{f' bij {organisation}' if organisation else ''}",
        "",
        f"Gemaakt op {data['gemaakt_op'][:10]}. Dit zijn alle gegevens die over u zijn vastgelegd.",
        "",
        "## Persoonsgegevens",
        "",
    ]
    lines += [f"- **{key.replace('_', ' ')}**: {_cell(value)}" for key, value in person.items()] + [""]
    for key, title in TITLES.items():
        lines += [f"## {title}", ""]
        if key == "ladders":
            for ladder, rows in data["ladders"].items():
                lines += [f"### {ladder}", "", *_table(rows)]
        else:
            lines += _table(data[key])
    return "\n".join(lines)


def write(
    found: Inzage, folder: Path, organisation: str = "", reveal: Callable[[str], str] = sealed.without_key
) -> tuple[Path, Path]:
    """Write inzage-<date>-<id>.md and .json into `folder` (readable only by this user)."""
    data = as_dict(found, reveal)
    private_folder(folder)
    stem = f"inzage-{data['gemaakt_op'][:10]}-{data['inwoner']['id'][:8]}"
    markdown, raw = folder / f"{stem}.md", folder / f"{stem}.json"
    for path, text in (
        (markdown, to_markdown(data, organisation)),
        (raw, json.dumps(data, ensure_ascii=False, indent=2)),
    ):
        private_file(path).write_text(text, encoding="utf-8")
    return markdown, raw
