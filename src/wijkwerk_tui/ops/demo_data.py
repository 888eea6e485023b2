"""A fictional rural municipality (De Wolden) to demo and benchmark the app on.

Deterministic for a given seed and reference date. Rows go in with bulk inserts in
one transaction, so 100 000 residents take seconds rather than minutes.

The data should look like a well-run organisation to a worker who knows the field:
ladder steps fit the resident's age (paid work only at working age), and the agenda is
kept up: open signals, referrals awaiting feedback and open goals have their next date in
the recent past or the near future, a few overdue and none by more than `MOST_OVERDUE`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Table
from sqlmodel import Session, SQLModel

from wijkwerk_tui.db.engine import Database
from wijkwerk_tui.db.tables import (
    ActivityResident,
    Area,
    Contact,
    Goal,
    GroupActivity,
    LadderStep,
    MeldcodeStep,
    Partner,
    Referral,
    Resident,
    ResidentMove,
    Signal,
    SignalReopening,
    Worker,
)
from wijkwerk_tui.domain import referrals as referral_rules
from wijkwerk_tui.domain import signals as signal_rules
from wijkwerk_tui.domain.activities import GOAL_CONTRIBUTORS
from wijkwerk_tui.domain.ladders import Ladder, top_step
from wijkwerk_tui.domain.names import PersonalData, phonetic_key, search_key
from wijkwerk_tui.store import audit, settings

ORGANISATION = "Welzijn De Wolden (demo)"
AREAS = (
    "Zuidwolde",
    "Ruinen",
    "Ruinerwold",
    "de Wijk",
    "Koekange",
    "Echten",
    "Kerkenveld",
    "Veeningen",
    "Alteveer",
    "Buitengebied",
)
AREA_WEIGHTS = (22, 14, 13, 11, 9, 5, 4, 4, 3, 15)

# Demo workers get their passphrase slots later (security.demo); no organisation key signs them.
_NO_KEYS = {"passphrase_hash": "", "signature": "", "org_key": "", "public_key": "", "wrapped_key": ""}

WORKERS = (
    ("Anke Boerema", "coordinator"),
    ("Jeroen Lammers", "worker"),
    ("Sanne Kuiper", "worker"),
    ("Fatma Yıldız", "worker"),
    ("Marco Zwiers", "worker"),
    ("Ineke Oosting", "coordinator"),
    ("Ruud Hofsteenge", "worker"),
    ("Lotte Brinkman", "worker"),
)

PARTNERS = (
    ("Sociaal wijkteam De Wolden", "Wijkteam", 5),
    ("Algemeen maatschappelijk werk", "Maatschappelijk werk", 4),
    ("Schuldhulpverlening gemeente", "Schulden", 4),
    ("Sociaal raadslieden", "Advies", 3),
    ("Huisartsenpraktijk / POH", "Zorg", 4),
    ("GGZ Drenthe", "Zorg", 5),
    ("Veilig Thuis Drenthe", "Veiligheid", 5),
    ("JGZ / consultatiebureau", "Jeugd", 4),
    ("Woningcorporatie", "Wonen", 3),
    ("Taalhuis / bibliotheek", "Taal", 3),
    ("Vrijwilligerscentrale", "Vrijwilligers", 3),
    ("Buurtbemiddeling", "Buurt", 3),
    ("Ouderenadviseur", "Ouderen", 3),
    ("Vluchtelingenwerk", "Nieuwkomers", 4),
)

GIVEN = (
    "Jan",
    "Gerrit",
    "Hendrik",
    "Albert",
    "Harm",
    "Jannes",
    "Roelof",
    "Klaas",
    "Willem",
    "Bert",
    "Henk",
    "Johan",
    "Kees",
    "Peter",
    "Mark",
    "Dennis",
    "Thijs",
    "Daan",
    "Sem",
    "Lucas",
    "Mohammed",
    "Emre",
    "Yusuf",
    "Ahmad",
    "Piotr",
    "Tomasz",
    "Aaltje",
    "Geesje",
    "Hennie",
    "Jantje",
    "Grietje",
    "Roelie",
    "Annie",
    "Gerda",
    "Ria",
    "Wilma",
    "Ineke",
    "Marja",
    "Petra",
    "Sandra",
    "Linda",
    "Anouk",
    "Lisa",
    "Emma",
    "Sophie",
    "Julia",
    "Fatima",
    "Ayşe",
    "Özlem",
    "Noor",
    "Zeynep",
    "Agnieszka",
    "José",
    "Renée",
    "Chloë",
    "Zoë",
)
FAMILY = (
    ("", "Jansen"),
    ("", "Janssen"),
    ("de", "Vries"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("", "Mulder"),
    ("", "Müller"),
    ("", "Özdemir"),
    ("", "Yılmaz"),
    ("", "Hoekstra"),
    ("", "Dijkstra"),
    ("", "Kuipers"),
    ("", "Westerhof"),
    ("", "Bos"),
    ("de", "Boer"),
    ("", "Huisman"),
    ("", "Oosting"),
    ("", "Lubbers"),
    ("", "Kroeze"),
    ("", "Schuiling"),
    ("", "Prins"),
    ("", "Eleveld"),
    ("", "Hofman"),
    ("", "Nijenhuis"),
    ("", "Bruins"),
    ("van der", "Pol"),
    ("van der", "Veen"),
    ("van den", "Berg"),
    ("de", "Wit"),
    ("de", "Groot"),
    ("ter", "Horst"),
    ("", "Seinen"),
    ("", "Wolters"),
    ("", "Lanting"),
    ("", "Kamping"),
    ("", "Brouwer"),
    ("", "Koops"),
    ("", "Mensink"),
    ("", "Kowalski"),
    ("", "Haddou"),
    ("", "Ramdin"),
    ("van", "Dam"),
    ("", "Zwiep"),
    ("", "Hagedoorn"),
    ("", "Pronk"),
)

ACTIVITIES = (
    "Koffieochtend",
    "Samen eten",
    "Beweegclub 55+",
    "Digicafé",
    "Taalcafé",
    "Repair café",
    "Jeugdsoos",
    "Wandelgroep",
    "Mantelzorgcafé",
    "Klaverjassen",
    "Huiswerkbegeleiding",
)

NOTES = (
    "Kwam binnen bij de inloop.",
    "Afspraak gemaakt voor een huisbezoek.",
    "Telefonisch contact gehad.",
    "Gaat meedoen met de koffieochtend.",
    "Buurvrouw helpt met boodschappen.",
    "Vraag over formulieren.",
    "Doorgesproken wat het netwerk kan doen.",
    "Voelt zich minder alleen sinds de wandelgroep.",
)

# Stories for the report (anekdotische verantwoording): most written as they should be, without
# anything that names someone; some with a name, an age, a birth year or a house number in them,
# which the check before an export must flag (tests/ops/test_demo_stories.py).
CLEAN_STORIES = (
    "Meneer durft weer naar de soos sinds de buurtbus hem ophaalt.",
    "Een oudere dame die alleen woonde, helpt nu mee bij de koffieochtend.",
    "Na de verhuizing van haar dochter zat mevrouw veel thuis; nu wandelt ze wekelijks met de buurvrouw.",
    "De bakker op de hoek belde ons: een vaste klant kwam niet meer. We zijn langsgegaan en er is nu hulp.",
    "Een jonge moeder vond via de inloop de weg naar de schuldhulp en heeft weer overzicht.",
    "Twee buurmannen repareren nu samen fietsen in het dorpshuis.",
    "Een mantelzorger kreeg respijtzorg en kan weer op adem komen.",
    "Dankzij de vrijwilliger van het taalcafé durft mevrouw nu zelf de huisarts te bellen.",
    "De boer van de zorgboerderij heeft een nieuwe deelnemer verwelkomd.",
    "Meneer komt sinds de zomer elke week naar het repaircafé en voelt zich weer nuttig.",
    "De visser bij de haven vertelde over een buurman die vereenzaamt; we zijn samen op bezoek gegaan.",
    "Een gezin met schulden heeft na drie gesprekken een plan gemaakt met de budgetcoach.",
    "Mevrouw had al maanden niemand gesproken. Nu schuift ze aan bij de maaltijd in het buurthuis.",
    "Door de wandelgroep kent meneer nu de halve straat.",
)
PLANTED_STORIES = (
    "{given} {family} ({age}) uit {area} durfde weer naar de markt.",
    "Mevrouw van de Kerkstraat {number} heeft weer contact met haar kinderen.",
    "Meneer {family} komt elke week naar de soos.",
    "Mevrouw is {age} jaar en doet mee met de gymgroep.",
    "Geboren in {year}, en nu voor het eerst op de computercursus.",
    "{given} kwam met een vraag over de energietoeslag en gaat nu naar het spreekuur.",
)
STORY_SHARE, PLANTED_SHARE = 0.05, 0.3

CONTACT_KIND_WEIGHTS = {"walk_in": 5, "home_visit": 3, "phone": 4, "activity": 2, "outreach": 1}

# Participatieladder steps 5 and 6 are paid work: only from 18 until the state pension age.
WORKING_AGES = range(18, 67)
NO_PAID_WORK_STEP = 4
# The agenda of a well-run organisation: what is overdue is overdue by weeks, not years.
MOST_OVERDUE = timedelta(days=42)
OVERDUE_EVERY = 6


@dataclass
class DemoSummary:
    residents: int = 0
    counts: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Generates rows in dict form, in the shape of the tables, ready for bulk insert."""

    def __init__(self, db: Database, seed: int, today: date) -> None:
        self.db = db
        self.rng = random.Random(seed)
        self.today = today
        self.rows: dict[type[SQLModel], list[dict[str, Any]]] = {}
        self.counter = seed << 20
        self.looked_at: Counter[tuple[str, bool]] = Counter()
        self.lead = ""  # the demo coordinator: who the demo logs in as

    def uid(self) -> str:
        """A version-4 UUID in SQLAlchemy's stored form (32 hex digits).

        Increasing ids (a counter in the top bits, like UUIDv7's clock) keep index writes
        at the end of each B-tree, which is what makes a 100 000-resident build fast.
        """
        self.counter += 1
        value = (self.counter << 80) | self.rng.getrandbits(80)
        value = (value & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
        return f"{value:032x}"

    def stamp(self, on: date, worker: str | None) -> dict[str, Any]:
        seconds = self.rng.randrange(36000)
        moment = f"{on.isoformat()} {8 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000000"
        return {
            "id": self.uid(),
            "created_at": moment,
            "updated_at": moment,
            "created_by": worker,
            "device_id": self.db.device_id,
            "deleted_at": None,
            "version": 1,
        }

    def add(self, model: type[SQLModel], row: dict[str, Any]) -> dict[str, Any]:
        self.rows.setdefault(model, []).append(row)
        return row

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days + 1)))

    def next_date(self, planned: date, kind: str, worker: str, ahead_days: int) -> date:
        """When an open item (signal, referral, goal) of `worker` comes up next.

        The planned date while it is still ahead. Once it has passed, the worker has looked at
        it and set a new date within `ahead_days`; one in OVERDUE_EVERY waits for that, overdue
        by at most MOST_OVERDUE. Counted apart for the demo coordinator, whose first one of each
        kind is overdue, so that even a small demo opens on a start screen with work on it.
        """
        if planned >= self.today:
            return planned
        key = (kind, worker == self.lead)
        self.looked_at[key] += 1
        if self.looked_at[key] % OVERDUE_EVERY == 1:
            return max(planned, self.today - timedelta(days=self.rng.randint(1, MOST_OVERDUE.days)))
        return self.today + timedelta(days=self.rng.randint(0, ahead_days))


def _walk(rng: random.Random, step: int, top: int) -> int:
    return max(1, min(top, step + rng.choice((-1, 0, 0, 1, 1))))


def age_in(birth_year: int, on: date) -> int:
    """The age a resident reaches in the year of `on`: with only a birth year, the highest it can be."""
    return on.year - birth_year


def highest_step(ladder: Ladder, birth_year: int, on: date) -> int:
    """The highest step that is plausible at that age (paid work only at working age)."""
    if ladder is Ladder.PARTICIPATION and age_in(birth_year, on) not in WORKING_AGES:
        return NO_PAID_WORK_STEP
    return top_step(ladder)


def build_demo(db: Database, residents: int = 600, seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Fill an empty database with demo data. All of it lands in one transaction."""
    b = _Builder(db, seed, today or db.today())
    rng, today = b.rng, b.today
    start_of_history = today - timedelta(days=3 * 365)

    area_ids = [
        b.add(Area, {**b.stamp(start_of_history, None), "name": n, "sort_order": i, "active": True})["id"]
        for i, n in enumerate(AREAS)
    ]
    worker_ids = [
        b.add(Worker, {**b.stamp(start_of_history, None), "name": n, "role": r, "active": True, **_NO_KEYS})["id"]
        for n, r in WORKERS
    ]
    b.lead = worker_ids[0]  # the first coordinator by name: the one the demo logs in as
    partner_ids = [
        b.add(
            Partner,
            {
                **b.stamp(start_of_history, None),
                "name": n,
                "kind": k,
                "phone": "",
                "email": "",
                "website": "",
                "address": "",
                "support_step": s,
                "active": True,
            },
        )["id"]
        for n, k, s in PARTNERS
    ]
    categories = list(signal_rules.CATEGORIES)
    kinds = list(CONTACT_KIND_WEIGHTS)
    kind_weights = list(CONTACT_KIND_WEIGHTS.values())

    living: dict[str, list[str]] = {}  # residents per area (volunteers come from them)
    for index in range(residents):
        area_index = rng.choices(range(len(AREAS)), AREA_WEIGHTS)[0]
        area_id = area_ids[area_index]
        worker = rng.choice(worker_ids)
        prefix, family = rng.choice(FAMILY)
        given = rng.choice(GIVEN)
        birth_year = rng.randint(1932, 2008)
        person = PersonalData(given, prefix, family, birth_year)
        # Most have been known for one to three years; some came in this year (new on the ladders).
        first_on = today - timedelta(days=rng.randint(365, 3 * 365) if rng.random() < 0.85 else rng.randint(20, 364))
        resident = b.add(
            Resident,
            {
                **b.stamp(first_on, worker),
                "pk": index + 1,
                "given_name": person.given_name,
                "family_prefix": prefix,
                "family_name": family,
                "birth_year": birth_year,
                "birth_date": None,
                "area_id": area_id,
                "phone": "",
                "email": "",
                "consent_register": True,
                "consent_on": first_on,
                "search_key": search_key(person, AREAS[area_index]),
                "name_key": phonetic_key(family),
                "participation_step": None,
                "support_step": None,
                "last_contact_on": None,
                "anonymised_at": None,
                "merged_into": None,
            },
        )
        rid = resident["id"]
        living.setdefault(area_id, []).append(rid)
        for ladder, start_step in (
            (Ladder.PARTICIPATION, rng.choices((1, 2, 3, 4), (3, 4, 3, 1))[0]),
            (Ladder.SUPPORT, rng.choices((1, 2, 3, 4, 5), (1, 3, 4, 2, 1))[0]),
        ):
            step, on = start_step, first_on
            while on <= today:
                # The step has to fit for as long as it is the current one: until the next
                # placement, or today (a resident who turns 67 meanwhile has stopped working).
                next_on = on + timedelta(days=rng.randint(120, 240))
                until = min(next_on, today)
                highest = min(highest_step(ladder, birth_year, on), highest_step(ladder, birth_year, until))
                step = min(step, highest)  # retired, or not yet of working age
                potential = min(highest, step + 1) if rng.random() < 0.4 else None
                if ladder is Ladder.SUPPORT and potential is not None:
                    potential = max(1, step - 1)
                b.add(
                    LadderStep,
                    {
                        **b.stamp(on, worker),
                        "resident_id": rid,
                        "ladder": ladder.value,
                        "step": step,
                        "potential": potential,
                        "measured_on": on,
                        "worker_id": worker,
                        "note": "",
                    },
                )
                if rng.random() < 0.02:  # corrected the same day: the later entry wins
                    corrected = _walk(rng, step, min(top_step(ladder), highest))
                    later = b.stamp(on, worker)
                    later["created_at"] = later["updated_at"] = f"{on.isoformat()} 19:00:00.000000"
                    b.add(
                        LadderStep,
                        {
                            **later,
                            "resident_id": rid,
                            "ladder": ladder.value,
                            "step": corrected,
                            "potential": None,
                            "measured_on": on,
                            "worker_id": worker,
                            "note": "Gecorrigeerd",
                        },
                    )
                    step = corrected
                resident[f"{ladder.value}_step"] = step
                on = next_on
                step = _walk(rng, step, top_step(ladder))
        # Some move to another village: what was recorded before stays where it was made.
        moved_on, home_before = None, area_id
        if rng.random() < 0.04:
            moved_on = b.day_between(first_on + timedelta(days=30), today)
            area_index = rng.choice([i for i in range(len(AREAS)) if area_ids[i] != area_id])
            area_id = area_ids[area_index]
            resident["area_id"] = area_id
            resident["search_key"] = search_key(person, AREAS[area_index])
            b.add(
                ResidentMove,
                {
                    **b.stamp(moved_on, worker),
                    "resident_id": rid,
                    "from_area_id": home_before,
                    "to_area_id": area_id,
                    "moved_on": moved_on,
                },
            )
        last_contact = first_on
        for _ in range(rng.randint(1, 5)):
            on = b.day_between(first_on, today)
            last_contact = max(last_contact, on)
            where = home_before if moved_on and on < moved_on else area_id
            story = ""
            if rng.random() < STORY_SHARE:
                story = _story(b, person, birth_year, AREAS[area_ids.index(where)])
            b.add(
                Contact,
                {
                    **b.stamp(on, worker),
                    "resident_id": rid,
                    "area_id": where,
                    "kind": rng.choices(kinds, kind_weights)[0],
                    "contact_on": on,
                    "duration_min": rng.choice((10, 15, 20, 30, 45, 60)),
                    "note": rng.choice(NOTES),
                    "is_story": bool(story),
                    "story": story,
                    "signal_categories": "",
                    "worker_id": worker,
                },
            )
        resident["last_contact_on"] = last_contact
        # Every category at least once, then about a third of residents with a signal.
        if index < len(categories) or rng.random() < 0.3:
            category = categories[index] if index < len(categories) else rng.choice(categories)
            _signal(
                b,
                rid,
                _area_on(home_before, area_id, moved_on),
                worker,
                category,
                first_on,
                partner_ids,
            )
        if rng.random() < 0.2:
            _goal(b, rid, worker, first_on)
        if index >= len(categories) and rng.random() < 0.01:  # entered by mistake, deleted later
            resident["deleted_at"] = f"{b.day_between(first_on, today).isoformat()} 16:00:00.000000"

    _activities(b, area_ids, worker_ids, start_of_history, living)
    for _i in range(max(10, residents // 20)):  # anonymous walk-ins: no consent to register
        on = b.day_between(today - timedelta(days=365), today)
        worker = rng.choice(worker_ids)
        b.add(
            Contact,
            {
                **b.stamp(on, worker),
                "resident_id": None,
                "area_id": rng.choice(area_ids),
                "kind": "walk_in",
                "contact_on": on,
                "duration_min": 10,
                "note": "",
                "is_story": False,
                "story": "",
                # A third say what worries them, without giving a name: anonymous signals.
                "signal_categories": rng.choice(categories) if rng.random() < 0.33 else "",
                "worker_id": worker,
            },
        )

    summary = DemoSummary(residents=residents)
    order = (
        Area,
        Worker,
        Partner,
        Resident,
        ResidentMove,
        LadderStep,
        Referral,
        Signal,
        SignalReopening,
        MeldcodeStep,
        Contact,
        Goal,
        GroupActivity,
        ActivityResident,
    )
    with db.transaction() as session:
        if db.engine.dialect.name == "sqlite":
            # Random UUID keys scatter index writes: a big page cache keeps the bulk load linear.
            session.connection().exec_driver_sql("PRAGMA cache_size = -400000")
        for model in order:
            rows = b.rows.get(model, [])
            _bulk_insert(session, model, rows)
            summary.counts[_table(model).name] = len(rows)
        settings.put(session, "organisation", ORGANISATION)
        settings.put(session, "demo", "1")
        audit.record(session, db, None, "demo.build", None, f"{residents} inwoners")
    return summary


def _table(model: type[SQLModel]) -> Table:
    """The model's table (the `__table__` SQLModel does not declare), from the one metadata."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


def _bulk_insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    table = _table(model)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        raise NotImplementedError("demo data is built in SQLite files only")
    # Rows hold SQLAlchemy's stored forms for SQLite (hex UUIDs, ISO date strings), so the
    # driver gets plain tuples: per-value bind processing would be most of the build time.
    names = [c.name for c in table.columns]
    dates = [n for n in names if isinstance(table.columns[n].type, Date)]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    driver = connection.connection.driver_connection
    assert driver is not None  # an open pooled connection always has its DBAPI connection
    cursor = driver.cursor()
    for chunk in _chunks(rows, 20000):
        for row in chunk:
            for name in dates:
                if row[name] is not None:
                    row[name] = row[name].isoformat()
        cursor.executemany(sql, [tuple(row[n] for n in names) for row in chunk])


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _signal(
    b: _Builder,
    rid: str,
    area_of: Callable[[date], str],
    worker: str,
    category: str,
    first_on: date,
    partner_ids: list[str],
) -> None:
    """A signal, noticed in the area the resident lived in then (`area_of`)."""
    rng, today = b.rng, b.today
    noticed = b.day_between(first_on, today)
    area_id = area_of(noticed)
    age = (today - noticed).days
    urgency = rng.choices(list(signal_rules.URGENCIES), (3, 6, 2, 1 if category == "domestic_violence" else 0))[0]
    # Most signals are closed within months; what stays open that long is being worked on.
    if rng.random() < (0.9 if age > 120 else 0.4 if age > 30 else 0.0):
        status = "closed"
    else:
        status = rng.choice(("in_progress", "referred") if age > 60 else ("open", "in_progress", "referred"))
    follow_up = noticed + timedelta(days=rng.choice((7, 14, 21, 28)))
    if status != "closed":
        follow_up = b.next_date(follow_up, "signal", worker, ahead_days=28)
    referral_id = None
    if status == "referred" or (status == "closed" and rng.random() < 0.3):
        referral_id = _referral(b, rid, area_id, worker, noticed, partner_ids)
    signal = b.add(
        Signal,
        {
            **b.stamp(noticed, worker),
            "resident_id": rid,
            "subject": "",
            "area_id": area_id,
            "category": category,
            "urgency": urgency,
            "source": rng.choice(list(signal_rules.SOURCES)),
            "status": status,
            "close_reason": ("referred" if referral_id else rng.choice(("resolved", "no_need", "declined")))
            if status == "closed"
            else None,
            "description": f"Signaal: {signal_rules.CATEGORIES[category].lower()}.",
            "noticed_on": noticed,
            "follow_up_on": follow_up,
            "closed_on": min(today, noticed + timedelta(days=rng.randint(5, 90))) if status == "closed" else None,
            "confidential": category == "domestic_violence",
            "referral_id": referral_id,
            "worker_id": worker,
        },
    )
    if status == "closed" and rng.random() < 0.05:
        # Closed once before, then reopened when the concern came back: the closing is kept.
        first_closed = noticed + timedelta(days=rng.randint(2, 20))
        reopened = first_closed + timedelta(days=rng.randint(5, 40))
        if reopened < signal["closed_on"]:
            b.add(
                SignalReopening,
                {
                    **b.stamp(reopened, worker),
                    "signal_id": signal["id"],
                    "closed_on": first_closed,
                    "close_reason": "resolved",
                    "reopened_on": reopened,
                },
            )
    if category in signal_rules.MELDCODE_CATEGORIES:
        for step in range(1, rng.randint(1, 5) + 1):
            b.add(
                MeldcodeStep,
                {
                    **b.stamp(noticed, worker),
                    "signal_id": signal["id"],
                    "step": step,
                    "done_on": min(today, noticed + timedelta(days=step * 3)),
                    "note": "Collega geraadpleegd" if step == 2 else "",
                },
            )


def _referral(b: _Builder, rid: str, area_id: str, worker: str, on: date, partner_ids: list[str]) -> str:
    rng, today = b.rng, b.today
    due = referral_rules.default_feedback_due(on)
    if due >= today or rng.random() < 0.25:  # recent ones, and some older ones, still wait for feedback
        # A long one (debt counselling, a care path) is accepted, with a feedback date agreed anew.
        status = rng.choice(("sent", "accepted")) if (today - on).days <= 60 else "accepted"
        feedback_on = None
        due = b.next_date(due, "referral", worker, ahead_days=42)
    else:
        status = rng.choices(("completed", "rejected", "accepted"), (6, 1, 2))[0]
        feedback_on = min(today, on + timedelta(days=rng.randint(3, 30)))
    sent_on: date | None = on
    if rng.random() < 0.05:  # talked through, then turned down before it was ever sent
        status, feedback_on, sent_on = "rejected", None, None
    row = b.add(
        Referral,
        {
            **b.stamp(on, worker),
            "resident_id": rid,
            "partner_id": rng.choice(partner_ids),
            "reason": "Hulpvraag besproken met de inwoner.",
            "consent_share": True,
            "consent_on": on,
            "no_consent_reason": "",
            "status": status,
            "referred_on": on,
            "feedback_due_on": due,
            "feedback_on": feedback_on,
            "feedback": "Inwoner is in beeld en wordt geholpen." if feedback_on else "",
            "worker_id": worker,
            "area_id": area_id,
            "sent_on": sent_on,
        },
    )
    referral_id: str = row["id"]
    return referral_id


def _area_on(before: str, after: str, moved_on: date | None) -> Callable[[date], str]:
    """Where a resident lived on a day: before his move, or after it."""
    return lambda on: before if moved_on is not None and on < moved_on else after


def _story(b: _Builder, person: PersonalData, birth_year: int, area: str) -> str:
    rng = b.rng
    if rng.random() >= PLANTED_SHARE:
        return rng.choice(CLEAN_STORIES)
    return rng.choice(PLANTED_STORIES).format(
        given=person.given_name,
        family=f"{person.family_prefix} {person.family_name}".strip(),
        age=b.today.year - birth_year,
        area=area,
        number=rng.randint(1, 120),
        year=birth_year,
    )


def _goal(b: _Builder, rid: str, worker: str, first_on: date) -> None:
    rng, today = b.rng, b.today
    set_on = b.day_between(first_on, today)
    review = set_on + timedelta(days=rng.choice((30, 60, 90)))
    status = "open" if review >= today else rng.choice(("achieved", "partly", "open"))
    if status == "open":
        review = b.next_date(review, "goal", worker, ahead_days=60)
    b.add(
        Goal,
        {
            **b.stamp(set_on, worker),
            "resident_id": rid,
            "description": rng.choice(
                (
                    "Wekelijks naar de koffieochtend",
                    "Zelf DigiD kunnen gebruiken",
                    "Administratie op orde met vrijwilliger",
                    "Eén keer per week wandelen",
                    "Contact met de buren herstellen",
                )
            ),
            "contributor": rng.choice(list(GOAL_CONTRIBUTORS)),
            "set_on": set_on,
            "review_on": review,
            "status": status,
            "worker_id": worker,
        },
    )


def _activities(
    b: _Builder, area_ids: list[str], worker_ids: list[str], start: date, living: dict[str, list[str]]
) -> None:
    """Weekly activities in three villages; each village has a few residents who volunteer
    (linked by name, so the report can count unique volunteers)."""
    rng, today = b.rng, b.today
    helpers = {area: rng.sample(people, min(len(people), 3)) for area, people in living.items()}
    on = max(start, today - timedelta(days=365))
    while on <= today:
        for area_id in rng.sample(area_ids, 3):
            activity = b.add(
                GroupActivity,
                {
                    **b.stamp(on, rng.choice(worker_ids)),
                    "name": rng.choice(ACTIVITIES),
                    "area_id": area_id,
                    "held_on": on,
                    "participants": rng.randint(4, 30),
                    "volunteers": rng.randint(0, 5),
                    "note": "",
                },
            )
            named = helpers.get(area_id, [])[: rng.randint(0, activity["volunteers"])]
            for resident_id in named:
                b.add(
                    ActivityResident,
                    {
                        **b.stamp(on, activity["created_by"]),
                        "activity_id": activity["id"],
                        "resident_id": resident_id,
                        "role": "volunteer",
                    },
                )
        on += timedelta(days=7)
