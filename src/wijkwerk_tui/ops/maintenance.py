"""The integrity check: SQLite's own, the schema revision and the audit chain, the chain
measured against heads kept outside the database (a noted one, the newest backup's).

On a damaged file every part is read on its own (a fresh connection each: a page that failed
to decrypt must not spoil what is read next), so the report says what is affected and which
backup to put back, instead of stopping at the first error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from wijkwerk_tui.db import migrate
from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.faults import DAMAGED, kind
from wijkwerk_tui.domain.clock import LOCAL_ZONE
from wijkwerk_tui.ops import backup
from wijkwerk_tui.store import audit, settings
from wijkwerk_tui.store.audit import Head

T = TypeVar("T")

# What a worker recognises, per table (the search index and summaries can be rebuilt).
LABELS = {
    "resident": "inwoners",
    "contact": "contactmomenten",
    "ladderstep": "ladderstappen",
    "ladder_summary": "ladderoverzicht (herstelbaar)",
    "referral": "doorverwijzingen",
    "signal": "signaleringen",
    "meldcodestep": "meldcodestappen",
    "goal": "doelen en afspraken",
    "partner": "sociale kaart",
    "groupactivity": "groepsactiviteiten",
    "activityresident": "deelnemers aan groepsactiviteiten",
    "auditevent": "audit-trail",
    "worker": "accounts",
    "area": "gebieden",
    "setting": "instellingen",
    "draft": "concepten",
    "alembic_version": "schemaversie",
}
SEARCH_INDEX = "zoekindex (herstelbaar)"
WHOLE_FILE = "de hele database"


@dataclass(frozen=True)
class CheckReport:
    integrity: str  # "ok", or SQLite's first finding
    revision: str | None
    audit_events: int
    audit_broken_at: int | None  # 0: the trail could not be read at all
    audit_chains: int = 1  # one per laptop whose entries are here (through the hub)
    audit_forks: int = 0  # a restored or copied database went on from an older entry
    audit_head: Head | None = None  # the newest entry now: to note on paper
    extends_noted: bool | None = None  # None: no head was given
    extends_backup: bool | None = None  # against the newest backup's manifest; None: none there
    backup_name: str = ""
    damaged: tuple[str, ...] = ()  # what a worker calls the parts that cannot be read
    good_backup: Path | None = None  # when damaged: the newest backup that passes the check
    db_path: Path | None = None
    hub_alerts: tuple[tuple[str, str], ...] = ()  # what the hub found about the laptops' chains

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.revision == migrate.HEAD
            and self.audit_broken_at is None
            and self.extends_noted is not False
            and self.extends_backup is not False
        )

    def lines(self, noted_text: str = "") -> list[str]:
        """The report in Dutch, for the command line and the check screen (no personal data)."""
        from wijkwerk_tui.store.audit import format_head

        out = []
        if self.integrity == "ok":
            out.append("Integriteit: in orde")
        else:
            out.append("Integriteit: BESCHADIGD. De database is beschadigd; wat niet gelezen kan worden:")
            out.append(f"  {', '.join(self.damaged) if self.damaged else 'onbekend (zie de back-up hieronder)'}")
            if self.good_backup is not None:
                command = f"wijkwerk --db {self.db_path} restore {self.good_backup}"
                out.append(
                    f"Herstel: zet de nieuwste goede back-up terug, {self.good_backup.name}, met: {command} "
                    "(een coördinator; het venster van Wijkwerk eerst sluiten). Wat daarna is vastgelegd, moet "
                    "opnieuw worden ingevoerd; het beschadigde bestand blijft ernaast bewaard."
                )
            else:
                out.append("Er is geen goede back-up. Verander niets aan het bestand; bel uw beheerder.")
        out.append(f"Schemaversie: {self.revision or 'onleesbaar'}")
        if self.audit_broken_at == 0:
            out.append("Audit-keten: ONLEESBAAR")
        else:
            chain = "in orde" if self.audit_broken_at is None else f"VERBROKEN bij regel {self.audit_broken_at}"
            chains = f" in {self.audit_chains} ketens (één per laptop)" if self.audit_chains > 1 else ""
            out.append(f"Audit-keten: {self.audit_events} regels{chains}, {chain}")
            if self.audit_forks:
                out.append(
                    f"Audit-keten: {self.audit_forks}× vertakt: een database ging verder vanaf een oudere regel "
                    "(teruggezet uit een back-up of gekopieerd); dat is geen breuk."
                )
        if self.audit_head:
            out.append(f"Kop van de keten nu: {format_head(self.audit_head)} (noteer hem op papier)")
        if self.extends_backup is not None:
            verdict = "ja" if self.extends_backup else "NIET: regels zijn weggehaald of herschreven"
            out.append(f"Bevat de kop van back-up {self.backup_name}: {verdict}")
        if self.extends_noted is not None:
            verdict = "ja" if self.extends_noted else "NIET: regels zijn weggehaald of herschreven"
            out.append(f"Bevat de genoteerde kop {noted_text}: {verdict}")
        if self.hub_alerts:
            out.append("Meldingen van de hub over de audit-ketens van de laptops (bij de laatste synchronisatie):")
            out += [f"  {_when(at)}: {said}" for at, said in self.hub_alerts]
        return out


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone(LOCAL_ZONE).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return at


def _unless_damaged(read: Callable[[], T], fallback: T) -> T:
    try:
        return read()
    except Exception as error:
        if kind(error) == DAMAGED:
            return fallback
        raise


def _integrity(db: Database) -> tuple[str, tuple[str, ...]]:
    """SQLite's integrity check; when it finds anything, which tables are affected."""
    connection = backup.connect_file(db.path, db.key)
    try:
        found = [str(row[0]) for row in connection.execute("PRAGMA integrity_check").fetchall()]
    except Exception as error:
        if kind(error) != DAMAGED:
            raise
        return "onleesbaar", _affected(db)  # the check itself stopped: table by table
    finally:
        connection.close()
    if found == ["ok"]:
        return "ok", ()
    return "\n".join(found).splitlines()[-1][:200], _affected(db)


def _affected(db: Database) -> tuple[str, ...]:
    """Each table checked on its own, on a fresh connection: once a page has failed, SQLite's
    whole-file check reports every tree it meets afterwards, so its list would name far more
    than is damaged."""
    try:
        connection = backup.connect_file(db.path, db.key)
        try:
            schema = connection.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").fetchall()
        finally:
            connection.close()
    except Exception as error:
        if kind(error) != DAMAGED:
            raise
        return (WHOLE_FILE,)
    virtual = {str(name) for name, sql in schema if str(sql or "").upper().startswith("CREATE VIRTUAL")}
    tables = {str(name) for name, _sql in schema if not _table_is_whole(db, str(name), str(name) in virtual)}
    labels = {SEARCH_INDEX if t.startswith("resident_fts") else LABELS.get(t, t) for t in tables}
    return tuple(sorted(labels))


def _table_is_whole(db: Database, table: str, virtual: bool) -> bool:
    """Every row reads, and (for a real table) SQLite's check of it and its indexes passes."""
    connection = backup.connect_file(db.path, db.key)
    try:
        for _row in connection.execute(f'SELECT * FROM "{table}"'):  # a name from sqlite_schema
            pass
        if virtual:
            return True
        return [row[0] for row in connection.execute(f'PRAGMA integrity_check("{table}")')] == ["ok"]
    except Exception as error:
        if kind(error) != DAMAGED:
            raise
        return False
    finally:
        connection.close()


def check(db: Database, noted: Head | None = None) -> CheckReport:
    """SQLite's own integrity check, the schema revision, and the audit chain: whole, and still
    extending the head `noted` (on paper) and the one in the newest backup's manifest."""
    integrity, damaged = _integrity(db)
    chain = _unless_damaged(lambda: audit.verify_chain(db), None)
    extends_backup, backup_name = None, ""
    anchor = backup.anchor_manifest(db.path)
    if anchor is not None:
        made, manifest = anchor
        head = manifest["audit_head"]
        noted_head = (int(head["seq"]), str(head["hash"]))
        extends_backup, backup_name = _unless_damaged(lambda: audit.extends(db, noted_head), False), made.name
    return CheckReport(
        integrity,
        _unless_damaged(lambda: migrate.current_revision(db.engine), None),
        chain.events if chain else 0,
        (chain.broken_at if chain else 0),
        chain.devices if chain else 1,
        chain.forks if chain else 0,
        _unless_damaged(lambda: audit.head(db), None),
        _unless_damaged(lambda: audit.extends(db, noted), False) if noted else None,
        extends_backup,
        backup_name,
        damaged,
        backup.newest_good(db.path, db.key) if integrity != "ok" else None,
        db.path,
        tuple(_unless_damaged(lambda: settings.hub_alerts(db), [])),
    )
