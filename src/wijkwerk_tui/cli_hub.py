"""`wijkwerk hub …` (the organisation's server) and `wijkwerk sync` (a laptop).

On the server: `hub serve`, `hub invite` (a one-time code for one laptop), `hub devices`,
`hub revoke`. The hub's database is named in WIJKWERK_HUB_DATABASE. On a laptop: `hub join
URL` (a coordinator, with the code) and `sync`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from wijkwerk_tui.domain.accounts import COORDINATOR
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.domain.sync_words import sync_said
from wijkwerk_tui.domain.text import counted, visible_line

if TYPE_CHECKING:
    from wijkwerk_tui.db.engine import Database
    from wijkwerk_tui.security.vault import Unlocked

CODE_ENV = "WIJKWERK_HUB_CODE"


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    hub = sub.add_parser("hub", help="de hub van de organisatie (server) of deze laptop koppelen", parents=[common])
    inner = hub.add_subparsers(dest="hub_command", metavar="HUB-OPDRACHT", required=True)
    serve = inner.add_parser("serve", help="start de hub (PostgreSQL in WIJKWERK_HUB_DATABASE)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--certfile", metavar="PAD", help="TLS-certificaat (nodig buiten 127.0.0.1)")
    serve.add_argument("--keyfile", metavar="PAD", help="sleutel bij het certificaat")
    serve.add_argument("--achter-proxy", dest="proxied", action="store_true", help="TLS zit in een reverse proxy")
    invite = inner.add_parser("invite", help="maak een eenmalige koppelcode voor één laptop (24 uur geldig)")
    invite.add_argument("--label", default="", help="voor wie of welke laptop (alleen voor uzelf)")
    invite.add_argument(
        "--gebieden",
        dest="areas",
        default="",
        metavar="NAMEN",
        help="de gebieden van deze laptop, met komma's (zonder: de hele organisatie)",
    )
    inner.add_parser("devices", help="toon de gekoppelde laptops")
    scoped = inner.add_parser(
        "areas", help="geef een laptop zijn gebieden: hij houdt alleen hun inwoners (en zijn eigen dossiers)"
    )
    scoped.add_argument("device", metavar="LAPTOP-ID")
    scoped.add_argument("areas", nargs="+", metavar="GEBIED")
    keep = inner.add_parser("retention", help="pas de bewaartermijn toe voor de hele organisatie")
    keep.add_argument("--user", metavar="NAAM", help="de coördinator die dit doet")
    keep.add_argument("--yes", action="store_true", help="echt anonimiseren (zonder: alleen tellen)")
    keep.add_argument("--jaar", dest="years", type=int, metavar="N", help="met --yes: de bewaartermijn die u bedoelt")
    keep.add_argument(
        "--negeer-stille-laptops",
        dest="stale_ok",
        action="store_true",
        help="ook als een gekoppelde laptop al lang niet synchroniseerde",
    )
    revoke = inner.add_parser("revoke", help="ontkoppel een verloren of gestolen laptop (hij wist zich daarna)")
    revoke.add_argument("device", metavar="LAPTOP-ID")
    revoke.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    join = inner.add_parser("join", help="koppel deze laptop aan de hub (coördinator)", parents=[common])
    join.add_argument("url", metavar="ADRES", help="https://… van de hub")
    join.add_argument("--name", default="", help="naam van deze laptop, bv. 'Dorpshuis Ruinen'")
    init = inner.add_parser(
        "init",
        help="maak de sleutel van de organisatie en onderteken alle accounts (coördinator, gekoppelde laptop)",
        parents=[common],
    )
    init.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    accept = inner.add_parser("accept-key", help="bevestig de sleutel die een coördinator met `hub init` aanbood")
    accept.add_argument(
        "fingerprint", metavar="VINGERAFDRUK", help="zoals `hub init` hem toonde (tussen aanhalingstekens)"
    )
    sign = inner.add_parser(
        "sign", help="onderteken accounts die deze laptop niet vertrouwt (coördinator met de sleutel)", parents=[common]
    )
    sign.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    inner.add_parser("key", help="toon de vingerafdruk van de sleutel die deze laptop kent", parents=[common])
    syncing = sub.add_parser(
        "sync",
        help="synchroniseer nu met de hub (of via een USB-stick: --to-file / --from-file)",
        parents=[common],
        description=(
            "Zonder netwerk: `sync --to-file STICK/ruinen.wijkwerk` op de laptop in het dorpshuis; een coördinator "
            "leest het in op een laptop met netwerk (`sync --from-file STICK/ruinen.wijkwerk`), wat het antwoord "
            "ruinen-antwoord.wijkwerk ernaast zet; terug in het dorpshuis `sync --from-file` met dat antwoord."
        ),
    )
    syncing.add_argument(
        "--to-file",
        metavar="BESTAND",
        help="schrijf wat wacht naar een bestand voor de hub (versleuteld voor de coördinatoren)",
    )
    syncing.add_argument(
        "--from-file",
        metavar="BESTAND",
        help="lees een bestand in: van een andere laptop (doorgeven aan de hub) of het antwoord van de hub",
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")


def run_hub(
    args: argparse.Namespace,
    login: Callable[[argparse.Namespace], Unlocked],
    login_keeping: Callable[[argparse.Namespace], tuple[Unlocked, str]],
) -> int:
    from wijkwerk_tui.hub import devices, scope, serve, trust

    if args.hub_command == "init":
        return _init(args, login_keeping)
    if args.hub_command == "sign":
        return _sign(args, login)
    if args.hub_command == "key":
        return _key(args, login)
    if args.hub_command == "serve":
        serve.serve(None, args.host, args.port, args.certfile, args.keyfile, args.proxied)
        return 0
    if args.hub_command == "join":
        return _join(args, login_keeping)
    if args.hub_command == "retention":
        return _retention(args)
    engine = serve.hub_engine(serve.database_url(None))
    try:
        if args.hub_command == "invite":
            names = [name for name in args.areas.split(",") if name.strip()]
            if args.areas and not names:
                print("wijkwerk: Noem bij --gebieden minstens één gebied, bv. --gebieden Ruinen.", file=sys.stderr)
                return 1
            try:
                code = devices.make_invite(engine, args.label, _now(), scope.invite_areas(engine, names))
            except scope.UnknownAreas as refused:
                print(f"wijkwerk: {refused}", file=sys.stderr)
                return 1
            print(f"Koppelcode (24 uur geldig, één keer te gebruiken): {code}")
        elif args.hub_command == "areas":
            try:
                found = scope.set_areas(engine, args.device, args.areas)
            except scope.UnknownAreas as refused:
                print(f"wijkwerk: {refused}", file=sys.stderr)
                return 1
            if not found:
                print("wijkwerk: geen actieve laptop met deze id.", file=sys.stderr)
                return 1
            print(
                "Gebieden gezet. Bij zijn volgende sync haalt de laptop de inwoners van deze gebieden binnen en "
                "verwijdert hij de andere (alleen van die laptop, niet van de hub)."
            )
        elif args.hub_command == "devices":
            for device in devices.devices(engine):
                state = f"ontkoppeld {_local(device.revoked_at)}" if device.revoked_at else "actief"
                seen = _local(device.last_seen_at) if device.last_seen_at else "nog niet"
                origin = f"  (teruggezet of gekopieerd van {device.copied_from})" if device.copied_from else ""
                where = scope.area_names(engine, device.areas) if device.areas else "hele organisatie"
                print(
                    f"{device.id}  {visible_line(device.name) or '-'}  {state}  laatst gezien: {seen}  "
                    f"gebieden: {visible_line(where)}{origin}"
                )
            if not devices.devices(engine):
                print("Nog geen laptop gekoppeld. Maak een koppelcode met `wijkwerk hub invite`.")
            keys = trust.offered(engine)
            for key in keys:
                state = "geaccepteerd" if key.accepted else "aangeboden, nog niet geaccepteerd"
                print(f"Sleutel van de organisatie: {key.fingerprint}  {state}  door {visible_line(key.maker)}")
            if not keys:
                print("Sleutel van de organisatie: nog niet gemaakt (wijkwerk hub init)")
        elif args.hub_command == "accept-key":
            try:
                maker = trust.accept(engine, args.fingerprint, _now())
            except trust.NoSuchKey as refused:
                print(f"wijkwerk: {refused}", file=sys.stderr)
                return 1
            print(f"Sleutel van {visible_line(maker)} geaccepteerd. Elke laptop neemt hem over bij zijn volgende sync.")
        elif args.hub_command == "revoke":
            if not args.yes and not _confirm_revoke():
                print("Niets veranderd.", file=sys.stderr)
                return 1
            if not devices.revoke(engine, args.device, _now()):
                print("wijkwerk: geen actieve laptop met deze id.", file=sys.stderr)
                return 1
            print("Laptop ontkoppeld: hij krijgt niets meer en wist zijn gegevens zodra hij de hub weer bereikt.")
    finally:
        engine.dispose()
    return 0


def _retention(args: argparse.Namespace) -> int:
    from wijkwerk_tui.hub import report, retention
    from wijkwerk_tui.store import settings

    db = report.hub_database(None)
    try:
        who = report.coordinator(db, args.user, "de bewaartermijn toepassen")
        years = settings.retention_years(db)
        set_by = retention.period_set_by(db)
        stale = retention.stale_laptops(db, _now())
        if not args.yes:
            count = len(retention.expired(db, _now()))
            print(
                f"{counted(count, 'inwoner heeft', 'inwoners hebben')} langer dan {years} jaar geen contact gehad "
                "(op geen enkele laptop) en geen lopend signaal of lopende doorverwijzing. Met --yes --jaar "
                f"{years} worden hun persoonsgegevens geanonimiseerd, op de hub en bij de volgende "
                "synchronisatie op elke laptop."
            )
            if set_by is not None:
                print(
                    f"De bewaartermijn van {years} jaar is ingesteld door {visible_line(set_by.worker)} op laptop "
                    f"{visible_line(set_by.laptop)} (ontvangen {_local(set_by.received_at)})."
                )
            else:
                print(f"De bewaartermijn van {years} jaar is die van wijkwerk zelf: niemand stelde hem in.")
            _say_stale(stale)
            return 0
        if args.years != years:
            # The period reaches every laptop: the operator says which one he means, so a
            # period changed unnoticed (or by someone who should not) anonymises nobody.
            print(
                f"wijkwerk: de bewaartermijn is nu {years} jaar. Bevestig met --jaar {years} "
                "(eerst zonder --yes: dan ziet u wie hem instelde).",
                file=sys.stderr,
            )
            return 2
        if stale and not args.stale_ok:
            _say_stale(stale, file=sys.stderr)
            return 1
        done = retention.sweep(db, who, _now(), years)
        print(
            f"{counted(done, 'inwoner', 'inwoners')} geanonimiseerd; elke laptop volgt bij de volgende synchronisatie."
        )
    finally:
        db.close()
    return 0


def _say_stale(stale: list[Any], file: TextIO | None = None) -> None:
    """Contacts on a laptop that has not synced in a while are not at the hub yet."""
    if not stale:
        return
    file = file or sys.stdout  # (looked up now: not the stdout of when this module was imported)
    print(
        f"Let op: {counted(len(stale), 'gekoppelde laptop synchroniseerde', 'gekoppelde laptops synchroniseerden')} "
        "al meer dan twee weken niet; wie daar nog komt, kan de hub als 'lang niet gezien' tellen:",
        file=file,
    )
    for device in stale:
        seen = _local(device.last_seen_at) if device.last_seen_at else "nog nooit"
        print(f"  {device.id}  {visible_line(device.name) or '-'}  laatst gezien: {seen}", file=file)
    print(
        "Synchroniseer die laptops eerst, ontkoppel wat niet meer gebruikt wordt (wijkwerk hub revoke), of "
        "geef --negeer-stille-laptops. Een laptop die is teruggezet of gekopieerd laat zijn oude id achter "
        "(zie 'teruggezet of gekopieerd van' bij wijkwerk hub devices): ontkoppel dat oude id.",
        file=file,
    )


def _join(args: argparse.Namespace, login: Callable[[argparse.Namespace], tuple[Unlocked, str]]) -> int:
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.services import sync

    code = os.environ.get(CODE_ENV) or (input("Koppelcode: ") if sys.stdin.isatty() else "")
    if not code:
        print(f"wijkwerk: geef de koppelcode (of zet {CODE_ENV}).", file=sys.stderr)
        return 2
    session, passphrase = login(args)
    try:
        queued = sync.join(session.db, session.worker_id, args.url, code, args.name or session.db.device_id[:8])
        print(f"Gekoppeld. {counted(queued, 'wijziging gaat', 'wijzigingen gaan')} mee bij de eerste synchronisatie.")
        result = sync.sync(session.db)
        vault.take_accounts(session)  # the organisation's accounts open this laptop now
        print(_said(result))
    finally:
        _close(session, passphrase)
    return 0


def _close(session: Unlocked, passphrase: str) -> None:
    """Close the database; a new key, when an account lost its slot here (security.rekey)."""
    from wijkwerk_tui.security import rekey, vault

    if rekey.due(session.db.path):
        print("De database krijgt een nieuwe sleutel (een account is uitgeschakeld); even geduld…", flush=True)
    said = vault.close(session, passphrase)
    if said:
        print(said)


def _fingerprint(public: str) -> str:
    from wijkwerk_tui.crypto.org_key import fingerprint

    return fingerprint(public)


def _init(args: argparse.Namespace, login_keeping: Callable[[argparse.Namespace], tuple[Unlocked, str]]) -> int:
    """Sync first (every account the hub knows comes in), offer the key; once the hub's operator
    accepted it: show every account, sign them after a "j", sync again."""
    from wijkwerk_tui.domain.errors import DomainError
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.services import sync

    session, passphrase = login_keeping(args)
    try:
        sync.sync(session.db)
        offer = vault.offer_org_key(session, passphrase)
        if not offer.accepted:
            print(f"Sleutel van de organisatie aangeboden. Vingerafdruk: {offer.fingerprint}")
            print("Lees deze vingerafdruk voor aan de beheerder van de hub; die bevestigt hem met")
            print(f"  wijkwerk hub accept-key '{offer.fingerprint}'")
            print("Draai daarna `wijkwerk hub init` opnieuw om de accounts te ondertekenen.")
            return 0
        shown = vault.accounts_to_sign(session)
        print(f"De hub accepteerde de sleutel {offer.fingerprint}. Zo worden de accounts ondertekend:")
        _list_accounts(shown)
        if not args.yes and not _confirm("Ondertekenen? [j/N] "):
            print("Niets ondertekend.", file=sys.stderr)
            return 1
        signed = vault.adopt_org_key(session, offer, shown)
        print(f"Ondertekend: {counted(len(signed), 'account', 'accounts')}.")
        print("Geef ook een tweede coördinator de sleutel (een nieuw wachtwoord via Medewerkers, `r`):")
        print("wie hem als enige heeft en zijn wachtwoord vergeet, kan geen accounts meer wijzigen.")
        print(_said(sync.sync(session.db)))
    except DomainError as error:
        print(f"wijkwerk: {error}", file=sys.stderr)
        return 1
    finally:
        session.db.close()
    return 0


def _list_accounts(rows: list[Any]) -> None:
    for worker in rows:
        role = "coördinator" if worker.role == COORDINATOR else "medewerker"
        print(f"  {visible_line(worker.name)}: {role}, {'actief' if worker.active else 'gedeactiveerd'}")


def _sign(args: argparse.Namespace, login: Callable[[argparse.Namespace], Unlocked]) -> int:
    """List the accounts this laptop does not honour, and sign them as they stand."""
    from wijkwerk_tui.domain.errors import DomainError
    from wijkwerk_tui.security import vault

    session = login(args)
    try:
        waiting = vault.unsigned_accounts(session)
        if not waiting:
            print("Alle accounts op deze laptop zijn ondertekend.")
            return 0
        print("Niet ondertekend (zo worden ze ondertekend; kijk of dit klopt):")
        _list_accounts(waiting)
        if not args.yes and not _confirm("Ondertekenen? [j/N] "):
            print("Niets ondertekend.", file=sys.stderr)
            return 1
        signed = vault.sign_accounts(session, waiting)
        print(f"Ondertekend: {counted(len(signed), 'account', 'accounts')}.")
    except DomainError as error:
        print(f"wijkwerk: {error}", file=sys.stderr)
        return 1
    finally:
        session.db.close()
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        print("wijkwerk: bevestig met --yes (er is geen terminal om het te vragen).", file=sys.stderr)
        return False
    return input(question).strip().lower() in ("j", "ja")


def _key(args: argparse.Namespace, login: Callable[[argparse.Namespace], Unlocked]) -> int:
    from wijkwerk_tui.security import vault

    session = login(args)
    try:
        public = vault.pinned_key(session)
    finally:
        session.db.close()
    print(f"Sleutel van de organisatie: {_fingerprint(public)}" if public else "Deze laptop kent nog geen sleutel.")
    return 0


def _said(result: object) -> str:
    from wijkwerk_tui.services.sync import SyncResult

    assert isinstance(result, SyncResult)
    return sync_said(result.pushed, result.pulled, result.conflicts, result.copied, result.came, result.left)


def run_sync(args: argparse.Namespace, login: Callable[[argparse.Namespace], tuple[Unlocked, str]]) -> int:
    to_file, from_file = getattr(args, "to_file", None), getattr(args, "from_file", None)
    session, passphrase = login(args)
    if to_file or from_file:
        return _guarded(session, passphrase, lambda: _by_file(session, passphrase, to_file, from_file))
    return _guarded(session, passphrase, lambda: _over_network(session))


def _guarded(session: Unlocked, passphrase: str, work: Callable[[], int]) -> int:
    """Run a sync; a laptop the hub proved revoked wipes itself (exit 3), else the database is
    closed as `_close` does (a new key when one is due)."""
    from wijkwerk_tui.services import sync

    try:
        code = work()
    except sync.LaptopRevoked as revoked:
        _wipe(session.db)
        print(revoked.message, file=sys.stderr)
        return 3
    except BaseException:
        session.db.close()
        raise
    _close(session, passphrase)
    return code


def _over_network(session: Unlocked) -> int:
    from wijkwerk_tui.security import vault
    from wijkwerk_tui.services import sync

    print(_said(sync.sync(session.db)))
    vault.take_accounts(session)  # accounts that arrived open this laptop now
    return 0


def _by_file(session: Unlocked, passphrase: str, to_file: str | None, from_file: str | None) -> int:
    """`sync --to-file` / `--from-file` (security.bundles): a hall without any network."""
    from wijkwerk_tui.security import bundles, vault

    if not from_file:
        assert to_file
        carried = bundles.write_outgoing(session, passphrase, Path(to_file).expanduser())
        print(
            f"{counted(carried, 'wijziging', 'wijzigingen')} in {to_file} (versleuteld voor de coördinatoren). "
            "Ze blijven hier wachten tot het antwoord van de hub is ingelezen."
        )
        return 0
    target = Path(to_file).expanduser() if to_file else None
    done = bundles.read_file(session, passphrase, Path(from_file).expanduser(), target)
    if not isinstance(done, bundles.Relayed):
        print(_said(done))
        vault.take_accounts(session)  # accounts that arrived open this laptop now
        return 0
    if done.refused:
        print(f"De hub nam het bestand niet aan: {done.refused}", file=sys.stderr)
        print(f"Het antwoord (met die melding, voor die laptop) staat in {done.answer}.")
        return 1
    print(
        f"Doorgegeven aan de hub: {counted(done.changes, 'wijziging', 'wijzigingen')}. Het antwoord "
        f"({counted(done.pulled, 'wijziging', 'wijzigingen')} voor die laptop) staat in {done.answer}."
    )
    return 0


def _confirm_revoke() -> bool:
    """The laptop wipes itself when it reaches the hub again: what it has not sent goes too."""
    if not sys.stdin.isatty():
        print("wijkwerk: bevestig met --yes (er is geen terminal om het te vragen).", file=sys.stderr)
        return False
    print(
        "Deze laptop krijgt niets meer, en wist alles wat erop staat zodra hij de hub weer bereikt, ook wat hij "
        "nog niet verstuurde. Alleen voor een verloren of gestolen laptop."
    )
    return input("Ontkoppelen? Typ ja: ").strip().lower() == "ja"


def _wipe(db: Database) -> None:
    """Lost or stolen, and the hub proved it: this laptop's data goes (`exchange.wipe_laptop`)."""
    from wijkwerk_tui.config import export_dir
    from wijkwerk_tui.exchange.wipe_laptop import wipe_laptop

    db.close()
    wipe_laptop(db.path, [export_dir()])


def check_hub() -> int:
    """`wijkwerk check --hub`: the hub's copy of every laptop's audit chain, every chain that did
    not go on from it (hub.audit_anchor), and every account the organisation's key did not
    sign (hub.trust). 1 when it found something but a restore, an alert a coordinator handled
    or an unsigned account that is not an active coordinator."""
    from wijkwerk_tui.hub import audit_anchor, trust
    from wijkwerk_tui.hub.serve import database_url, hub_engine

    engine = hub_engine(database_url(None))
    try:
        report = audit_anchor.verify(engine)
        found = audit_anchor.alerts(engine)
        unsigned = trust.unsigned_accounts(engine)
        keyed = bool(trust.accepted(engine))
    finally:
        engine.dispose()
    if report.ok:
        print(
            f"Audit-ketens bij de hub: {counted(report.devices, 'laptop', 'laptops')}, {report.events} regels, in orde."
        )
    else:
        print(
            f"Audit-ketens bij de hub: BESCHADIGD bij regel {report.broken_at} (een laptop stuurde een regel die "
            "niet klopt, of de database van de hub is gewijzigd)."
        )
    for alert in found:
        handled = ""
        if alert.seen_at:
            by = f"{visible_line(alert.seen_by)} op laptop {visible_line(alert.seen_device)}"
            handled = f" (afgehandeld door {by}, {_local(alert.seen_at)})"
        print(f"Melding {_local(alert.made_at)}: {visible_line(alert.said)}{handled}")
    if not found:
        print("Geen meldingen: elke keten gaat verder waar de hub hem had.")
    for name, role, active in unsigned:
        said = "coördinator" if role == COORDINATOR else "medewerker"
        print(f"Niet ondertekend: {visible_line(name)} ({said}, {'actief' if active else 'gedeactiveerd'})")
    if keyed and not unsigned:
        print("Accounts bij de hub: alle ondertekend met de sleutel van de organisatie.")
    # A restore is legitimate, and a coordinator may have handled an alert: said, but it passes.
    # An unsigned account waits for `hub sign`; an unsigned active coordinator no laptop makes
    # (the hub takes a new one as a worker): someone changed the hub's database.
    forged = any(role == COORDINATOR and active for _name, role, active in unsigned)
    return 0 if report.ok and not forged and all(a.kind == "teruggezet" or a.seen_at for a in found) else 1
