"""`wijkwerk import`: a spreadsheet's dry run, then (with --confirm) the import; --list, --undo.

The dry run prints, per row, what would happen: new resident, added to someone on file,
already imported, or the error and its cell. Nothing is written without --confirm.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

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
        from wijkwerk_tui.cli import CliError

        names = ", ".join(t.split(" (")[0].lower() for t in TARGETS.values())
        raise CliError(f"onbekende betekenis '{value}'; kies uit: {names} (of bijv. 'PL 2024').")
    return guessed


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    from wijkwerk_tui.cli import CliError

    chosen: dict[str, str] = {}
    for item in args.map:
        column, sep, meaning = item.partition("=")
        if not sep or not column.strip():
            raise CliError("geef --map als KOLOM=BETEKENIS, bijv. --map 'Geb=geboortejaar'.")
        chosen[column.strip()] = _target(meaning)
    return chosen


def print_preview(shown: Preview, out: Callable[[str], None] = print) -> None:
    from wijkwerk_tui.domain.import_columns import describe

    for layout in shown.layouts:
        if not layout.header_row:
            out(f"Blad {layout.name}: geen kopregel gevonden (naam, geboortejaar, PL, ...): overgeslagen.")
            continue
        out(f"Blad {layout.name} (kopregel {layout.header_row}, {layout.data_rows} rijen):")
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
    from wijkwerk_tui.cli import CliError

    if not args.file and not args.list and not args.undo:
        raise CliError("geef een bestand, of --list of --undo KENMERK.")
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
    from wijkwerk_tui.domain.clock import LOCAL_ZONE
    from wijkwerk_tui.store import imports

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
    from wijkwerk_tui.cli import CliError
    from wijkwerk_tui.services import import_apply
    from wijkwerk_tui.store import imports

    match = [b for b in imports.batches(session.db) if str(b.id).startswith(prefix.strip().lower())]
    if len(match) != 1:
        raise CliError("geen import met dat kenmerk." if not match else "dat kenmerk is te kort.")
    print(import_apply.undo(session.db, session.worker_id, match[0].id).message())
    return 0


def _import(session: Unlocked, args: argparse.Namespace, overrides: dict[str, str]) -> int:
    from wijkwerk_tui.domain.accounts import require
    from wijkwerk_tui.domain.import_columns import normal_header
    from wijkwerk_tui.exchange import import_files
    from wijkwerk_tui.services import import_apply
    from wijkwerk_tui.store import imports

    require(session.role, "import")
    shown = import_files.preview(session.db, Path(args.file).expanduser(), overrides, set(args.new))
    print_preview(shown)
    if args.save_mapping and overrides:
        imports.save_mapping(session.db, {normal_header(k): v for k, v in overrides.items()})
        print("De betekenis van deze kolommen is onthouden.")
    if not args.confirm:
        print("Dit was een proefrun: er is niets opgeslagen. Met --confirm wordt dit geïmporteerd.")
        return 0
    if not shown.writes:
        print("Niets te importeren: alles staat er al (of elke rij heeft een fout).")
        return 0
    done = import_apply.apply(session.db, session.worker_id, shown)
    print(done.message() + f" Ongedaan maken: wijkwerk import --undo {str(done.batch_id)[:8]}")
    return 0
