"""`wijkwerk import`: a spreadsheet's dry run, then (with --confirm) the import; --list, --undo.

The dry run prints, per row, what would happen: new resident, added to someone on file,
already imported, or the error and its cell. Nothing is written without --confirm.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wijkwerk_tui.domain.errors import DomainError

if TYPE_CHECKING:
    from wijkwerk_tui.security.vault import Unlocked
    from wijkwerk_tui.services.import_plan import Preview

STATUS = {
    "new": "nieuw",
    "merge": "bestaand",
    "same_file": "zelfde",
    "known": "al gedaan",
    "error": "FOUT",
    "skipped": "overgeslagen",
}
IGNORE_WORDS = ("negeren", "niet", "overslaan", "niets", "-")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "import",
        help="spreadsheet of CSV inlezen: eerst een proefrun, met --confirm echt (coördinator)",
        parents=[common],
    )
    parser.add_argument("file", nargs="?", metavar="BESTAND", help=".xlsx, .xls, .ods of .csv")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="KOLOM=BETEKENIS",
        help="wat een kolom betekent, bijv. 'Geb=geboortejaar' of 'Notities=negeren' (herhaalbaar)",
    )
    parser.add_argument(
        "--new",
        action="append",
        default=[],
        metavar="BLAD:RIJ",
        help="deze rij is iemand anders dan de gevonden inwoner: als nieuwe inwoner (herhaalbaar)",
    )
    parser.add_argument("--save-mapping", action="store_true", help="de kolommen (met --map) onthouden voor later")
    parser.add_argument("--confirm", action="store_true", help="na de proefrun echt importeren")
    parser.add_argument("--list", action="store_true", help="eerdere imports tonen")
    parser.add_argument("--undo", metavar="KENMERK", help="een import in zijn geheel ongedaan maken")


def _target(text: str) -> str:
    from wijkwerk_tui.domain.import_columns import IGNORE, TARGETS, guess, is_target

    value = text.strip()
    if is_target(value):
        return value
    if value.lower() in IGNORE_WORDS:
        return IGNORE
    guessed = guess(value)
    if guessed is None:
        names = ", ".join(t.split(" (")[0].lower() for t in TARGETS.values())
        raise DomainError(f"onbekende betekenis '{value}'; kies uit: {names} (of bijv. 'PL 2024').")
    return guessed


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for item in args.map:
        column, sep, meaning = item.partition("=")
        if not sep or not column.strip():
            raise DomainError("geef --map als KOLOM=BETEKENIS, bijv. --map 'Geb=geboortejaar'.")
        chosen[column.strip()] = _target(meaning)
    return chosen


def print_preview(shown: Preview, out: Callable[[str], None] = print) -> None:
    from wijkwerk_tui.domain.import_columns import describe
    from wijkwerk_tui.domain.text import counted

    for layout in shown.layouts:
        if not layout.header_row:
            out(f"Blad {layout.name}: geen kopregel gevonden (naam, geboortejaar, PL, ...): overgeslagen.")
            continue
        out(f"Blad {layout.name} (kopregel {layout.header_row}, {counted(layout.data_rows, 'rij', 'rijen')}):")
        for header, target in zip(layout.headers, layout.targets, strict=True):
            if header:
                out(f"  {header:<24} -> {describe(target)}")
    out("")
    for row in shown.rows:
        name = f"{row.name}: " if row.name and row.status != "error" else ""
        out(f"{row.label:<16} {STATUS[row.status]:<12} {name}{row.text}")
    out("")
    if shown.new_areas:
        out("Nieuwe gebieden: " + ", ".join(shown.new_areas))
    out("Samen: " + shown.summary())


def run(args: argparse.Namespace, login: Callable[[argparse.Namespace], Unlocked]) -> int:
    if not args.file and not args.list and not args.undo:
        raise DomainError("geef een bestand, of --list of --undo KENMERK.")
    overrides = _overrides(args)
    session = login(args)
    try:
        if args.list:
            return _list(session)
        if args.undo:
            return _undo(session, args.undo)
        return _import(session, args, overrides)
    finally:
        session.db.close()


def _list(session: Unlocked) -> int:
    from wijkwerk_tui.domain.accounts import require
    from wijkwerk_tui.domain.clock import LOCAL_ZONE
    from wijkwerk_tui.store import imports

    require(session.role, "import")  # the file names may name someone
    batches = imports.batches(session.db)
    for b in batches:
        state = f"ongedaan {b.undone_at:%d-%m-%Y}" if b.undone_at else ""
        made = f"{b.counts.get('new', 0)} nieuw, {b.counts.get('added_to', 0)} bestaand"
        when = b.made_at.astimezone(LOCAL_ZONE)
        line = f"{str(b.id)[:8]}  {when:%d-%m-%Y %H:%M}  {b.made_by}  {b.file_name}  {b.rows} rijen: {made}  {state}"
        print(line.rstrip())
    if not batches:
        print("Nog geen imports.")
    return 0


def _undo(session: Unlocked, prefix: str) -> int:
    from wijkwerk_tui.services import import_apply
    from wijkwerk_tui.store import imports

    match = [b for b in imports.batches(session.db) if str(b.id).startswith(prefix.strip().lower())]
    if len(match) != 1:
        raise DomainError("geen import met dat kenmerk." if not match else "dat kenmerk is te kort.")
    print(import_apply.undo(session.db, session.worker_id, match[0].id).message())
    return 0


def _rows_named(shown: Preview, asked: list[str]) -> set[str]:
    """--new values as the preview's rows: 'Ruinen:17', 'ruinen r17' or 'Ruinen rij 17'."""
    refs = {(r.sheet.casefold(), r.number): r.ref for r in shown.rows}
    found = set()
    for text in asked:
        m = re.fullmatch(r"\s*(.*?)\s*(?::|\s+r(?:ij)?\s*)(\d+)\s*", text, re.IGNORECASE)
        ref = refs.get((m.group(1).casefold(), int(m.group(2)))) if m else None
        if ref is None:
            raise DomainError(f"--new {text}: die rij staat niet in de proefrun (schrijf BLAD:RIJ, bijv. Ruinen:17).")
        found.add(ref)
    return found


def _import(session: Unlocked, args: argparse.Namespace, overrides: dict[str, str]) -> int:
    from wijkwerk_tui.domain.accounts import require
    from wijkwerk_tui.domain.import_columns import normal_header
    from wijkwerk_tui.exchange import import_files
    from wijkwerk_tui.services import import_apply
    from wijkwerk_tui.store import imports

    require(session.role, "import")
    path = Path(args.file).expanduser()
    shown = import_files.preview(session.db, path, overrides)
    if args.new:
        shown = import_files.preview(session.db, path, overrides, _rows_named(shown, args.new))
    headers = {normal_header(h) for layout in shown.layouts for h in layout.headers}
    for column in overrides:
        if normal_header(column) not in headers:
            print(f"wijkwerk: let op: de kolom '{column}' (--map) komt in dit bestand niet voor.", file=sys.stderr)
    print_preview(shown)
    if args.save_mapping and overrides:
        imports.save_mapping(session.db, {normal_header(k): v for k, v in overrides.items()}, session.worker_id)
        print("De betekenis van deze kolommen is onthouden.")
    if not shown.writes:
        print("Niets te importeren: alles staat er al (of elke rij heeft een fout).")
        return 0
    if not args.confirm:
        print("Dit was een proefrun: er is niets opgeslagen. Met --confirm wordt dit geïmporteerd.")
        return 0
    print("Importeren…", file=sys.stderr)
    done = import_apply.apply(session.db, session.worker_id, shown)
    print(done.message() + f" Ongedaan maken: wijkwerk import --undo {str(done.batch_id)[:8]}")
    return 0
