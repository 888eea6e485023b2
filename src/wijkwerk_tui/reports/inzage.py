"""The inzage document: one resident's data as readable Markdown, plus the same as JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

TITLES = {
    "ladders": "Ladders", "signalen": "Signalen", "doorverwijzingen": "Doorverwijzingen",
    "contactmomenten": "Contactmomenten", "doelen": "Doelen en afspraken", "activiteiten": "Groepsactiviteiten",
    "inzage_log": "Wie heeft het dossier bekeken of gewijzigd",
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
    return lines + [""]


def to_markdown(data: dict[str, Any], organisation: str = "") -> str:
    person = data["inwoner"]
    lines = [f"# Inzage in uw gegevens{f' bij {organisation}' if organisation else ''}", "",
             f"Gemaakt op {data['gemaakt_op'][:10]}. Dit zijn alle gegevens die over u zijn vastgelegd.", "",
             "## Persoonsgegevens", ""]
    lines += [f"- **{key.replace('_', ' ')}**: {_cell(value)}" for key, value in person.items()] + [""]
    for key, title in TITLES.items():
        lines += [f"## {title}", ""]
        if key == "ladders":
            for ladder, rows in data["ladders"].items():
                lines += [f"### {ladder}", ""] + _table(rows)
        else:
            lines += _table(data[key])
    return "\n".join(lines)


def write(data: dict[str, Any], folder: Path, organisation: str = "") -> tuple[Path, Path]:
    """Write inzage-<date>-<id>.md and .json into `folder` (readable only by this user)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"inzage-{data['gemaakt_op'][:10]}-{data['inwoner']['id'][:8]}"
    markdown, raw = folder / f"{stem}.md", folder / f"{stem}.json"
    for path, text in ((markdown, to_markdown(data, organisation)),
                       (raw, json.dumps(data, ensure_ascii=False, indent=2))):
        path.write_text(text, encoding="utf-8")
        os.chmod(path, 0o600)
    return markdown, raw
