"""The `wijkwerk` command. Textual is imported only for the subcommands that open the app.

Subcommands that open the database log in like the app: `--user NAME` and a
passphrase prompt, or WIJKWERK_USER and WIJKWERK_PASSPHRASE for scripted use. The
demo database lets its demo coordinator in without either; `--demo` points any
subcommand at the default demo (the one `wijkwerk demo` opens), built first if needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wijkwerk_tui import __version__

if TYPE_CHECKING:
    from datetime import date

    from wijkwerk_tui.domain.report import PeriodReport
    from wijkwerk_tui.security.keyfile import KeyFile
    from wijkwerk_tui.security.vault import Unlocked
    from wijkwerk_tui.ui.app import WijkwerkApp

DEMO_SEED = 2026
DEMO_RESIDENTS = 600


def build_parser() -> argparse.ArgumentParser:
    from wijkwerk_tui import cli_dutch

    cli_dutch.install()  # before the parser is built: its -h help line is looked up then
    parser = argparse.ArgumentParser(
        prog="wijkwerk",
        description="Wijkwerk: registratie voor sociaal werk en welzijn, in de terminal.",
    )
    parser.add_argument(
        "--version", action="version", version=f"wijkwerk {__version__}", help="toon het versienummer en stop"
    )
    parser.add_argument("--db", metavar="PAD", help="databasebestand (standaard: WIJKWERK_DB of de gebruikersmap)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="gebruik de standaard-demodatabase (van `wijkwerk demo`; wordt zo nodig eerst gemaakt)",
    )
    parser.add_argument("--user", metavar="NAAM", help="medewerker (standaard: WIJKWERK_USER)")
    parser.add_argument(
        "--passphrase-file", metavar="PAD", help="lees het wachtwoord uit dit bestand (alleen voor u leesbaar)"
    )
    # --db, --demo and --user may also follow the subcommand (`wijkwerk demo --db x.db`).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PAD", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--user", metavar="NAAM", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--passphrase-file", metavar="PAD", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="OPDRACHT")
    sub.add_parser("run", help="open de app (standaard)", parents=[common])
    demo = sub.add_parser("demo", help="maak of hergebruik een demodatabase en open de app", parents=[common])
    demo.add_argument(
        "--residents", type=int, default=DEMO_RESIDENTS, metavar="N", help="aantal inwoners (standaard 600)"
    )
    demo.add_argument("--seed", type=int, default=DEMO_SEED, help="startgetal voor de demogegevens")
    demo.add_argument("--no-run", action="store_true", help="alleen aanmaken en het pad tonen")
    check = sub.add_parser("check", help="controleer de database en de audit-keten", parents=[common])
    check.add_argument(
        "--head", metavar="REGEL:HASH", help="een eerder genoteerde kop van de audit-keten (zoals check hem toont)"
    )
    check.add_argument(
        "--hub",
        action="store_true",
        help="op de server: de audit-ketens van alle laptops bij de hub, en wat de hub meldde (WIJKWERK_HUB_DATABASE)",
    )
    sub.add_parser("backup", help="maak nu een versleutelde back-up", parents=[common])
    sub.add_parser(
        "recovery-code", help="maak een nieuwe herstelcode voor deze laptop (alleen coördinator)", parents=[common]
    )
    restore = sub.add_parser("restore", help="zet een back-up terug (alleen coördinator)", parents=[common])
    restore.add_argument("file", metavar="BESTAND", help="de back-up (zie de map backups naast de database)")
    restore.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    restore.add_argument(
        "--recovery-code",
        action="store_true",
        help="met de herstelcode van de organisatie (WIJKWERK_RECOVERY_CODE of gevraagd) in plaats van een wachtwoord",
    )
    report = sub.add_parser("report", help="rapportage over een periode (cijfers, geen namen)", parents=[common])
    report.add_argument("--from", dest="start", required=True, metavar="DATUM", help="eerste dag, bijv. 1-1-2026")
    report.add_argument("--to", dest="end", required=True, metavar="DATUM", help="laatste dag, bijv. 31-12-2026")
    report.add_argument("--area", metavar="GEBIED", help="alleen dit gebied")
    report.add_argument("--format", choices=("md", "csv", "xlsx", "json", "html"), default="md")
    report.add_argument("--output", metavar="BESTAND", help="bestand (standaard: het scherm; xlsx vraagt een bestand)")
    report.add_argument("--no-suppress", action="store_true", help="ook aantallen onder de 5 tonen")
    report.add_argument(
        "--confirm-stories",
        action="store_true",
        help="verhalen met een mogelijke naam, leeftijd of huisnummer toch opnemen (anders weggelaten)",
    )
    report.add_argument(
        "--freeze", action="store_true", help="de rapportage vaststellen zoals ze verstuurd wordt (toont het kenmerk)"
    )
    report.add_argument(
        "--hub",
        action="store_true",
        help="over de hele organisatie: op de server, uit de hub (WIJKWERK_HUB_DATABASE; --user een coördinator)",
    )
    frozen = sub.add_parser(
        "frozen", help="vastgestelde rapportages; met KENMERK: wat er sindsdien veranderde en waarom", parents=[common]
    )
    frozen.add_argument("id", nargs="?", metavar="KENMERK", help="(het begin van) het kenmerk van de rapportage")
    export = sub.add_parser(
        "export", help="alle gegevens exporteren (coördinator; met persoonsgegevens)", parents=[common]
    )
    export.add_argument("--format", choices=("jsonl", "xlsx"), default="jsonl")
    export.add_argument("--output", metavar="MAP", required=True, help="map voor de bestanden")
    from wijkwerk_tui import cli_import

    cli_import.add_parser(sub, common)
    from wijkwerk_tui import cli_hub

    cli_hub.add_parsers(sub, common)
    inzage = sub.add_parser("inzage", help="exporteer alles over één inwoner (AVG-inzage)", parents=[common])
    inzage.add_argument("resident", metavar="INWONER-ID", help="de id van de inwoner (zie het dossier)")
    inzage.add_argument("--output", metavar="MAP", default=".", help="map voor het .md- en .json-bestand")
    inzage.add_argument("--reden", default="", help="de reden, voor een inwoner buiten uw gebieden (wordt vastgelegd)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    if args.demo and (args.db or command == "demo"):
        problem = "kies --demo of --db, niet allebei" if args.db else "`wijkwerk demo` opent de demo al, zonder --demo"
        print(f"wijkwerk: {problem}.", file=sys.stderr)
        return 2
    try:
        if args.demo:
            args.db = str(_default_demo())
        if command in COMMANDS:
            return COMMANDS[command](args)
        return _run(_db_path(args))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - never a traceback (it could hold personal data)
        from wijkwerk_tui.db.engine import DatabaseError
        from wijkwerk_tui.db.faults import explain
        from wijkwerk_tui.domain.errors import DomainError
        from wijkwerk_tui.security.keyfile import KeyFileError

        if isinstance(error, (DomainError, DatabaseError, KeyFileError, CliError)):
            print(f"wijkwerk: {error}", file=sys.stderr)
        elif explain(error):
            print(f"wijkwerk: {explain(error)}", file=sys.stderr)
        else:
            print(f"wijkwerk: er ging iets mis ({type(error).__name__}).", file=sys.stderr)
        return 1


def _db_path(args: argparse.Namespace) -> Path:
    from wijkwerk_tui.config import default_db_path

    return default_db_path(args.db)


def _demo(args: argparse.Namespace) -> int:
    from wijkwerk_tui.config import demo_db_path
    from wijkwerk_tui.security.demo import ensure_demo

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


def _default_demo() -> Path:
    """The demo `wijkwerk demo` opens (default size and seed), built now if it is not there yet.

    A demo file is moved into place only when it is complete, key file and all, so one that
    exists is used as it is (the login that follows checks it).
    """
    from wijkwerk_tui.config import demo_db_path
    from wijkwerk_tui.security.demo import ensure_demo

    path = demo_db_path(DEMO_RESIDENTS, DEMO_SEED)
    if path.exists():
        return path
    print(f"Demodatabase voorbereiden ({DEMO_RESIDENTS} inwoners, eenmalig)...", file=sys.stderr)
    return ensure_demo(path, DEMO_RESIDENTS, DEMO_SEED)[0]


class CliError(Exception):
    """A refusal (login, bad option) reported in Dutch; the exit status is 1."""


def _passphrase_from_file(args: argparse.Namespace) -> str:
    """The first line of --passphrase-file (a file only its owner can read beats an environment
    variable, which every program of the same user can read)."""
    name = getattr(args, "passphrase_file", None)
    if not name:
        return ""
    try:
        lines = Path(name).expanduser().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise CliError("het wachtwoordbestand kon niet worden gelezen.") from None
    if not lines or not lines[0]:
        raise CliError("het wachtwoordbestand is leeg.")
    return lines[0]


def _credentials(args: argparse.Namespace, path: Path) -> tuple[str, str]:
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.security.gate import state

    if state(path) == "new":
        raise CliError("deze database is nog niet ingericht: start `wijkwerk` om dat te doen.")
    return _user_and_passphrase(args, vault.load_keyfile(path))


def _user_and_passphrase(args: argparse.Namespace, keyfile: KeyFile | None) -> tuple[str, str]:
    # WIJKWERK_USER and WIJKWERK_PASSPHRASE belong to the real database: --demo passes them by.
    environ = {} if getattr(args, "demo", False) else os.environ
    user = getattr(args, "user", None) or environ.get("WIJKWERK_USER") or ""
    passphrase = _passphrase_from_file(args) or environ.get("WIJKWERK_PASSPHRASE", "")
    if keyfile is not None and keyfile.is_demo:
        # Every demo worker has the demo passphrase (the login screen shows it).
        user, passphrase = user or keyfile.demo_user, passphrase or keyfile.demo_passphrase
    if not user:
        raise CliError("geef een medewerker op met --user NAAM of WIJKWERK_USER.")
    return user, passphrase or _ask(f"Wachtwoord voor {user}: ", "WIJKWERK_PASSPHRASE")


def _ask(prompt: str, variable: str) -> str:
    if not sys.stdin.isatty():
        raise CliError(f"niets ingevuld: zet {variable} of start vanuit een terminal.")
    import getpass

    return getpass.getpass(prompt)


def _login(args: argparse.Namespace) -> Unlocked:
    """Log in for a subcommand; a refusal exits non-zero and is audited (key file, then trail)."""
    return _login_keeping(args)[0]


def _login_keeping(args: argparse.Namespace) -> tuple[Unlocked, str]:
    """Log in, keeping the passphrase for the one command that wraps a key with it (`hub init`)."""
    from wijkwerk_tui.security import vault

    path = _db_path(args)
    user, passphrase = _credentials(args, path)
    try:
        session = vault.login(path, user, passphrase)
    except vault.DamagedDatabase as damaged:
        hint = (
            f" Nieuwste goede back-up: {damaged.backup_path} (wijkwerk restore BESTAND)." if damaged.backup_path else ""
        )
        raise CliError(f"{damaged.message}{hint}") from None
    except vault.LoginError as refused:
        raise CliError(refused.message) from None
    if session.notice:  # (a new database key given at this login, or held up: security.rekey)
        print(f"wijkwerk: {session.notice}", file=sys.stderr)
    return session, passphrase


def _check(args: argparse.Namespace) -> int:
    from wijkwerk_tui.ops.maintenance import check
    from wijkwerk_tui.store.audit import parse_head

    if args.hub:
        from wijkwerk_tui import cli_hub

        return cli_hub.check_hub()
    noted = None
    if args.head:
        noted = parse_head(args.head)
        if noted is None:
            raise CliError("geef de kop als REGEL:HASH, zoals check hem toont (minstens 12 tekens van de hash).")
    session = _login(args)
    try:
        report = check(session.db, noted)
    finally:
        session.db.close()
    for line in report.lines(args.head.strip() if args.head else ""):
        print(line)
    return 0 if report.ok else 1


def _recovery_code(args: argparse.Namespace) -> int:
    from wijkwerk_tui.domain.accounts import PermissionDenied
    from wijkwerk_tui.security import vault

    session = _login(args)
    try:
        code = vault.new_recovery(session)
    except PermissionDenied as denied:
        raise CliError(denied.message) from None
    finally:
        session.db.close()
    print(
        f"Nieuwe herstelcode van deze laptop: {code}\n"
        "Schrijf hem op papier en bewaar hem achter slot; hij wordt niet nog eens getoond. "
        "De vorige herstelcode opent niets meer."
    )
    return 0


def _backup(args: argparse.Namespace) -> int:
    from wijkwerk_tui.ops import backup

    session = _login(args)
    try:
        made = backup.make_backup(session.db, session.worker_id)
        pruned = backup.prune(session.db.path)
    finally:
        session.db.close()
    print(made)
    if pruned.notice:
        print(f"wijkwerk: {pruned.notice}", file=sys.stderr)
    return 0


def _restore(args: argparse.Namespace) -> int:
    """Works where the database is damaged or gone and where the key file is lost: the backup's
    own key file copy then opens it (with the passphrase or recovery code of that time)."""
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.security.keyfile import keyfile_path

    path, file = _db_path(args), Path(args.file).expanduser()
    if not file.is_file():
        raise CliError("dat back-upbestand bestaat niet.")
    if args.recovery_code:
        code = os.environ.get("WIJKWERK_RECOVERY_CODE", "") or _ask("Herstelcode: ", "WIJKWERK_RECOVERY_CODE")
    else:
        keys = next((k for k in (keyfile_path(path), keyfile_path(file)) if k.exists()), None)
        user, passphrase = _user_and_passphrase(args, vault.load_keys(keys) if keys else None)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("bevestig met --yes (er is geen terminal om het te vragen).")
        answer = input(f"De huidige database wordt vervangen door {file.name}. Doorgaan? Typ ja: ")
        if answer.strip().lower() != "ja":
            print("Niets veranderd.", file=sys.stderr)
            return 1
    try:
        if args.recovery_code:
            vault.restore_with_recovery_code(path, file, code)
        else:
            vault.restore(path, file, user, passphrase).db.close()
    except vault.LoginError as refused:
        raise CliError(refused.message) from None
    print(
        f"Teruggezet: {file.name}, met het sleutelbestand van toen. "
        "De vorige database staat ernaast (.voor-herstel-...)."
    )
    return 0


def _inzage(args: argparse.Namespace) -> int:
    import uuid
    from functools import partial

    from wijkwerk_tui.exchange import inzage_document as document
    from wijkwerk_tui.queries import inzage
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.store import settings

    try:
        resident_id = uuid.UUID(args.resident)
    except ValueError:
        raise CliError("dat is geen geldige inwoner-id.") from None
    from wijkwerk_tui.domain.errors import DomainError
    from wijkwerk_tui.store.scope import NeedsReason

    session = _login(args)
    try:
        data = inzage.collect(session.db, session.worker_id, resident_id, args.reden)
        organisation = settings.get(session.db, "organisation")
        files = document.write(data, Path(args.output).expanduser(), organisation, partial(vault.readable, session))
    except NeedsReason as refused:  # (outside his areas and caseload)
        raise CliError(f"{refused.message} Geef de reden met --reden.") from None
    except DomainError as refused:  # (not found; a reason too short)
        raise CliError(refused.message) from None
    finally:
        session.db.close()
    for file in files:
        print(file)
    return 0


def _report(args: argparse.Namespace) -> int:
    from wijkwerk_tui.domain import report as period
    from wijkwerk_tui.domain import report_build
    from wijkwerk_tui.domain.dates import parse_date
    from wijkwerk_tui.domain.errors import DomainError
    from wijkwerk_tui.queries import report_data
    from wijkwerk_tui.store import areas, settings

    if args.format == "xlsx" and not args.output:
        raise CliError("xlsx gaat naar een bestand: geef --output BESTAND.xlsx.")
    if args.hub and args.freeze:
        raise CliError("een rapportage uit de hub wordt niet vastgesteld; stel hem vast op een laptop.")
    session = _hub_session(args) if args.hub else _login(args)
    try:
        today = session.db.today()
        try:
            start, end = parse_date(args.start, today, "start"), parse_date(args.end, today, "end")
        except DomainError as error:
            raise CliError(f"datum: {error}") from None
        if end < start:
            raise CliError("de einddatum ligt voor de begindatum.")
        area_id = None
        if args.area:
            match = [
                a
                for a in areas.list_areas(session.db, include_inactive=True)
                if a.name.casefold() == args.area.strip().casefold()
            ]
            if not match:
                raise CliError("dat gebied bestaat niet.")
            area_id = match[0].id
        built = report_build.build(
            report_data.load(session.db, session.worker_id, period.Period(start, end, area_id)),
            settings.get(session.db, "organisation"),
        )
        if not args.confirm_stories:
            built = _without_flagged_stories(session, built, today)
        _write_report(built, args)
        if args.freeze:  # only what was written is frozen
            from wijkwerk_tui.store import frozen_reports

            frozen_id = frozen_reports.freeze(session.db, session.worker_id, built, area_id)
            print(f"Vastgesteld: kenmerk {str(frozen_id)[:8]}", file=sys.stderr)
    finally:
        session.db.close()
    return 0


def _hub_session(args: argparse.Namespace) -> Unlocked:
    """The hub's database and one of the organisation's coordinators (issue 17)."""
    from wijkwerk_tui.hub import report as hub_report
    from wijkwerk_tui.security.vault import Unlocked

    db = hub_report.hub_database(None)
    try:
        worker = hub_report.coordinator(db, getattr(args, "user", None) or os.environ.get("WIJKWERK_USER"))
    except BaseException:
        db.close()
        raise
    return Unlocked(db, worker.id, worker.name, worker.role)


def _write_report(built: PeriodReport, args: argparse.Namespace) -> None:
    from wijkwerk_tui.exchange import report_files as export

    suppress = not args.no_suppress
    if args.output:
        try:
            print(export.write(built, args.format, Path(args.output).expanduser(), suppress))
        except OSError as error:
            raise CliError(f"het bestand kon niet worden geschreven ({error.strerror or 'onbekende fout'}).") from None
        return
    published = built.view(protect=suppress)
    if args.format == "csv":
        sys.stdout.buffer.write(export.to_csv(published))
    elif args.format == "html":
        from wijkwerk_tui.exchange.report_html import to_html

        print(to_html(published), end="")
    else:
        print(export.to_json(published) if args.format == "json" else export.to_markdown(published))


def _export(args: argparse.Namespace) -> int:
    from wijkwerk_tui.exchange import full_export

    session = _login(args)
    try:
        written = full_export.write(session.db, session.worker_id, args.format, Path(args.output).expanduser())
    finally:
        session.db.close()
    for path in written:
        print(path)
    return 0


def _without_flagged_stories(session: Unlocked, built: PeriodReport, today: date) -> PeriodReport:
    """Stories that could name someone are left out and listed (not repeated) on stderr."""
    from dataclasses import replace

    from wijkwerk_tui.domain import story_check
    from wijkwerk_tui.domain.report import ALL
    from wijkwerk_tui.queries import story_names

    if not built.stories:
        return built
    names = story_names.known_names(session.db, session.worker_id)
    kept = []
    for area, day, story in built.stories:
        flags = story_check.check(story, names, today)
        if flags and built.area in (ALL, area):
            print(
                f"Verhaal van {day:%d-%m-%Y} ({area}) weggelaten: {story_check.describe(flags)}. "
                "Pas het aan in het contactmoment, of neem het op met --confirm-stories.",
                file=sys.stderr,
            )
        elif not flags:
            kept.append((area, day, story))
    return replace(built, stories=kept)


def _frozen(args: argparse.Namespace) -> int:
    from wijkwerk_tui.services import report_compare
    from wijkwerk_tui.store import frozen_reports

    session = _login(args)
    try:
        kept = frozen_reports.list_frozen(session.db, session.worker_id)
        if not args.id:
            for item in kept:
                print(
                    f"{str(item.id)[:8]}  {item.start:%d-%m-%Y} t/m {item.end:%d-%m-%Y}  {item.area}  "
                    f"vastgesteld {item.frozen_at:%d-%m-%Y} door {item.by}"
                )
            if not kept:
                print("Nog geen vastgestelde rapportages.")
            return 0
        match = [item for item in kept if str(item.id).startswith(args.id.strip().lower())]
        if len(match) != 1:
            raise CliError("geen vastgestelde rapportage met dat kenmerk." if not match else "dat kenmerk is te kort.")
        for line in report_compare.compare(session.db, session.worker_id, match[0].id).lines():
            print(line)
    finally:
        session.db.close()
    return 0


def _import_command(args: argparse.Namespace) -> int:
    from wijkwerk_tui import cli_import

    return cli_import.run(args, _login)


def _hub_command(args: argparse.Namespace) -> int:
    from wijkwerk_tui import cli_hub

    return cli_hub.run_hub(args, _login, _login_keeping)


def _sync_command(args: argparse.Namespace) -> int:
    from wijkwerk_tui import cli_hub

    return cli_hub.run_sync(args, _login_keeping)


COMMANDS = {
    "hub": _hub_command,
    "sync": _sync_command,
    "frozen": _frozen,
    "demo": _demo,
    "check": _check,
    "backup": _backup,
    "recovery-code": _recovery_code,
    "restore": _restore,
    "inzage": _inzage,
    "report": _report,
    "export": _export,
    "import": _import_command,
}


def _run(path: Path) -> int:
    from wijkwerk_tui.ui.app import make_app

    app = make_app(db_path=path)
    app.run()
    after_the_app(app, path)
    return app.return_code or 0


def after_the_app(app: WijkwerkApp, path: Path) -> None:
    """Once nothing of the app runs any more."""
    if app.wiped:  # again: what a worker was writing meanwhile
        from wijkwerk_tui.exchange.wipe_laptop import wipe_laptop

        wipe_laptop(path, [])
    elif app.session is not None:  # a new database key, when an account lost its slot here
        from wijkwerk_tui.security import rekey, vault

        if rekey.due(path):
            print("De database krijgt een nieuwe sleutel (een account is uitgeschakeld); even geduld…", file=sys.stderr)
        said = vault.close(app.session)
        if said:
            print(said, file=sys.stderr)
