"""The `wijkwerk` command. Textual is imported only for the subcommands that open the app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wijkwerk_tui import __version__

DEMO_SEED = 2026
DEMO_RESIDENTS = 600


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijkwerk",
        description="Wijkwerk: registratie voor sociaal werk en welzijn, in de terminal.",
    )
    parser.add_argument("--version", action="version", version=f"wijkwerk {__version__}")
    parser.add_argument("--db", metavar="PAD", help="databasebestand (standaard: WIJKWERK_DB of de gebruikersmap)")
    # --db may also follow the subcommand (`wijkwerk demo --db x.db`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PAD", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    sub.add_parser("run", help="open de app (standaard)", parents=[common])
    demo = sub.add_parser("demo", help="maak of hergebruik een demodatabase en open de app", parents=[common])
    demo.add_argument("--residents", type=int, default=DEMO_RESIDENTS, metavar="N", help="aantal inwoners (standaard 600)")
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help="startgetal voor de demogegevens")
    demo.add_argument("--no-run", action="store_true", help="alleen aanmaken en het pad tonen")
    sub.add_parser("check", help="controleer de database en de audit-keten", parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "demo":
            return _demo(args)
        if command == "check":
            return _check(args)
        return _run(_db_path(args))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # never a traceback (it could hold personal data)
        from wijkwerk_tui.domain.errors import DomainError
        from wijkwerk_tui.store.engine import DatabaseError

        if isinstance(error, (DomainError, DatabaseError)):
            print(f"wijkwerk: {error}", file=sys.stderr)
        else:
            print(f"wijkwerk: er ging iets mis ({type(error).__name__}).", file=sys.stderr)
        return 1


def _db_path(args: argparse.Namespace) -> Path:
    from wijkwerk_tui.config import default_db_path

    return default_db_path(args.db)


def _demo(args: argparse.Namespace) -> int:
    from wijkwerk_tui.config import demo_db_path
    from wijkwerk_tui.store.maintenance import ensure_demo

    if args.residents < 1 or args.residents > 1_000_000:
        print("wijkwerk: kies een aantal inwoners van 1 tot en met 1 000 000.", file=sys.stderr)
        return 2
    path = Path(args.db).expanduser() if args.db else demo_db_path(args.residents, args.seed)
    if not args.no_run:
        print(f"Demodatabase voorbereiden ({args.residents} inwoners)...", file=sys.stderr)
    path, _built = ensure_demo(path, args.residents, args.seed)
    if args.no_run:
        print(path)
        return 0
    return _run(path)


def _check(args: argparse.Namespace) -> int:
    from wijkwerk_tui.store.engine import open_database
    from wijkwerk_tui.store.maintenance import check

    db = open_database(_db_path(args))
    try:
        report = check(db)
    finally:
        db.close()
    print(f"Integriteit: {report.integrity}")
    print(f"Schemaversie: {report.revision}")
    chain = "in orde" if report.audit_broken_at is None else f"VERBROKEN bij regel {report.audit_broken_at}"
    print(f"Audit-keten: {report.audit_events} regels, {chain}")
    return 0 if report.ok else 1


def _run(path: Path) -> int:
    from wijkwerk_tui.ui.app import make_app

    app = make_app(db_path=path)
    app.run()
    return app.return_code or 0
