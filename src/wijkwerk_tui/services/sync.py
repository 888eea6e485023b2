"""Joining the organisation's hub, and syncing with it: push what waits, then pull what is new.

The outbox is filled by the store in the same transaction as each change (db.capture); this
module only moves it. Every step can be cut off at any moment (a laptop closed, the network
gone, the hub restarted): a push the hub applied but the laptop never heard about is sent
again and the hub recognises it; a page pulled is taken in together with the cursor.
Network errors become one Dutch `SyncError`; nothing is lost and the app works on offline.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, update
from sqlmodel import col, select

from wijkwerk_tui.crypto import org_key
from wijkwerk_tui.db import capture, migrate
from wijkwerk_tui.db.engine import HUB_URL, Database
from wijkwerk_tui.db.in_use import Pace
from wijkwerk_tui.db.sync_codec import SYNCED, CodecError
from wijkwerk_tui.db.sync_lock import Busy, one_sync
from wijkwerk_tui.db.sync_tables import Outbox
from wijkwerk_tui.domain import revocation
from wijkwerk_tui.domain.errors import DomainError, ValidationError
from wijkwerk_tui.services import privacy, sync_scope
from wijkwerk_tui.services.sync_apply import (
    CURSOR,
    FOLD_PENDING,
    PAUSE_S,
    RECOMPUTE_ALL,
    apply_page,
    end_bulk,
    finish_join,
    mirror_conflicts,
    start_bulk,
)
from wijkwerk_tui.store import audit, settings, trust
from wijkwerk_tui.store.access import require_role

if TYPE_CHECKING:
    # httpx is imported when a sync runs: its package loads `rich` (its command line) at import.
    import httpx

HUB_TOKEN = "hub.token"  # setting: this laptop's device token, inside the encrypted database
WIPE_KEY = "hub.wipe_key"  # setting: keys the hub's proof of this laptop's revocation (domain.revocation)
HUB_EPOCH = "hub.epoch"  # setting: the epoch the hub handed out at the last sync (hub.devices)
DEVICE_ID = "device_id"  # setting: this laptop's id (db.engine makes it)
LAST_SYNC = "hub.last_sync"  # setting: when the last sync completed (ISO, UTC)
OFFLINE_SINCE = "hub.offline_since"  # setting: when the hub first did not answer
QUEUED_TABLES = "hub.queued_tables"  # setting: the synced tables whose rows were all queued (JSON)
# What syncs since 0017-0018: a laptop joined before that sends what it held there once.
_LATER_SYNCED = ("orgsetting", "auditevent")
PUSH_PAGE = 5000
PULL_PAGE = 5000  # changes per pull request (the hub's most); the app asks for fewer (APP_PAGE)
# In the app, a page is taken in in one transaction unless the app wants to write meanwhile
# (db.write_turn.others_waiting): then what is in so far is committed and, after a pause for
# that writer, the rest follows. A save waits for ~40 changes, not 1000; a search typed
# meanwhile finds its page cache dropped once per page, not every 40 changes (BENCHMARKS.md).
APP_PAGE = 1000  # in the app (its own process): changes per request
CLOCK_SLACK = timedelta(minutes=4)  # within the hub's 5 minutes: a clock set right again
TIMEOUT_S, CONNECT_S = 30.0, 5.0


class SyncError(DomainError):
    """The sync did not complete. Message is Dutch; the changes wait for the next try."""

    def __init__(
        self, message: str, *, offline: bool = False, code: str = "", hub_clock: str = "", proof: str = ""
    ) -> None:
        super().__init__(message)
        self.offline = offline  # the hub did not answer (a refusal is not being offline)
        self.code = code
        self.hub_clock = hub_clock
        self.proof = proof  # (a revocation's: `domain.revocation`)


class LaptopRevoked(SyncError):
    """A coordinator revoked this laptop at the hub, and the hub proved it (`domain.revocation`):
    the caller wipes this laptop's data (`ops.wipe`) once the database is closed."""

    def __init__(self) -> None:
        super().__init__(
            "Deze laptop is ontkoppeld door een coördinator van de organisatie (verloren of gestolen). "
            "De gegevens op deze laptop zijn gewist."
        )


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    conflicts: int
    copied: bool = False  # this database was restored or copied: it went on as a new device
    alerts: int = 0  # new things the hub found about an audit chain (settings.hub_alerts)
    came: int = 0  # a laptop with areas (hub.scope): residents taken in whole
    gone: frozenset[uuid.UUID] = frozenset()  # and those removed from this laptop

    @property
    def left(self) -> int:
        return len(self.gone)


@dataclass(frozen=True)
class SyncStatus:
    joined: bool
    waiting: int
    last_sync: datetime | None
    offline_since: datetime | None


def _check_url(url: str) -> str:
    import httpx

    url = url.strip().rstrip("/")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise ValidationError("url", "Dit is geen adres van een hub (https://…).") from None
    if parsed.scheme == "https" or (parsed.scheme == "http" and parsed.host in ("127.0.0.1", "localhost", "::1")):
        return url
    raise ValidationError("url", "Gebruik een https-adres voor de hub (http alleen op deze computer zelf).")


def hub_client(url: str, token: str | None = None, epoch: str = "") -> httpx.Client:
    import httpx

    headers = {"x-wijkwerk-schema": migrate.HEAD, "x-wijkwerk-epoch": epoch}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return httpx.Client(
        base_url=url, headers=headers, timeout=httpx.Timeout(TIMEOUT_S, connect=CONNECT_S), follow_redirects=False
    )


def _answer(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200:
        said = body if isinstance(body, dict) else {}
        message = said.get("fout")
        raise SyncError(
            str(message) if message else f"De hub weigerde (code {response.status_code}).",
            code=str(said.get("code", "")),
            hub_clock=str(said.get("klok", "")),
            proof=str(said.get("bewijs", "")),
        )
    return body


def hub_call(client: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
    import httpx

    try:
        return _answer(client.request(method, path, **kwargs))
    except httpx.HTTPError:
        raise SyncError(
            "De hub is niet bereikbaar. Alles blijft bewaard en gaat mee bij de volgende keer.", offline=True
        ) from None


def join(db: Database, actor: Any, url: str, code: str, name: str) -> int:
    """Join with a coordinator's one-time code; queues everything this laptop holds. Returns
    how many changes wait for the first push."""
    with db.reading() as session:
        require_role(session, actor, "hub.join")
    url = _check_url(url)
    with hub_client(url) as client:
        try:
            answer = hub_call(client, "POST", "/v1/join", json={"code": code, "device": db.device_id, "name": name})
        except SyncError as error:
            if error.offline:
                raise SyncError("Geen hub bereikbaar op dit adres. Controleer het adres en het netwerk.") from None
            raise
    with db.transaction() as session:
        settings.put(session, HUB_URL, url)
        settings.put(session, HUB_TOKEN, str(answer["token"]))
        settings.put(session, HUB_EPOCH, str(answer["epoch"]))
        settings.put(session, WIPE_KEY, str(answer.get("wissleutel") or ""))
        # (the organisation's key is pinned at the end of the first sync that brought everything
        # in: pinned now, an interrupted first sync would leave every account of this laptop
        # unsigned here, and nobody able to log in to sync again)
        settings.put(session, CURSOR, "0")
        settings.put(session, RECOMPUTE_ALL, "1")
        settings.put(session, QUEUED_TABLES, json.dumps(sorted(SYNCED)))
        db.sync_on = True
        queued = capture.queue_everything(session, db)
    return queued


def catch_up(db: Database) -> int:
    """After an update that made more tables sync (the organisation's settings and the audit
    trail in 0017-0018), a laptop joined before it sends the rows it held in them, once.
    Returns how many it queued."""
    noted = settings.get(db, QUEUED_TABLES)
    done = set(json.loads(noted)) if noted else set(SYNCED) - set(_LATER_SYNCED)
    missing = [name for name in SYNCED if name not in done]
    if not missing:
        return 0
    with db.transaction() as session:
        if "auditevent" in missing:
            # Its trail goes up in its order: an entry written since the update waits already and
            # would go first, ahead of the entries before it (the hub flags a chain with a gap).
            session.execute(
                delete(Outbox).where(col(Outbox.table_name) == "auditevent", col(Outbox.pushed_at).is_(None))
            )
        queued = capture.queue_everything(session, db, missing)
        settings.put(session, QUEUED_TABLES, json.dumps(sorted(SYNCED)))
    return queued


def _pending(db: Database, most: int = PUSH_PAGE) -> list[Outbox]:
    with db.reading() as session:
        query = select(Outbox).where(col(Outbox.pushed_at).is_(None)).order_by(col(Outbox.seq)).limit(most)
        return list(session.exec(query))


def _waiting(db: Database) -> int:
    with db.reading() as session:
        return int(session.exec(select(func.count()).select_from(Outbox).where(col(Outbox.pushed_at).is_(None))).one())


def wire(entry: Outbox) -> dict[str, Any]:
    return {
        "id": str(entry.change_id),
        "table": entry.table_name,
        "row": str(entry.row_id),
        "kind": entry.kind,
        "fields": json.loads(entry.fields),
        "base": entry.base_version,
        "hlc": entry.hlc,
        "worker": str(entry.worker_id) if entry.worker_id else None,
    }


def push(db: Database, client: httpx.Client) -> tuple[int, int]:
    """Send what waits, oldest first, a page at a time. (sent, conflicts) Only as many as waited
    when it began: what is saved meanwhile (every opened file's view entry) goes with the next
    sync, or a worker opening files faster than a page goes up would keep the sync from ending."""
    sent = conflicts = 0
    left = _waiting(db)
    while left > 0 and (batch := _pending(db, min(PUSH_PAGE, left))):
        left -= len(batch)
        answer = hub_call(client, "POST", "/v1/push", json={"changes": [wire(e) for e in batch]})
        conflicts += int(answer.get("conflicten", 0))
        with db.transaction() as session:
            # Sent entries are removed: they hold personal data, and the hub has them now.
            seqs = [e.seq for e in batch]
            session.execute(delete(Outbox).where(col(Outbox.seq).in_(seqs)))
        sent += len(batch)
    return sent, conflicts


def _push_or_restamp(db: Database, client: httpx.Client) -> tuple[int, int]:
    """Push; when the hub says this laptop's clock ran ahead and the clock is right again now,
    give what waits new stamps (in the same order) and push once more."""
    try:
        return push(db, client)
    except SyncError as error:
        if error.code != "clock" or not error.hub_clock:
            raise
        hub_now = datetime.fromisoformat(error.hub_clock)
        if abs(db.now() - hub_now) > CLOCK_SLACK:
            raise  # still wrong: the message says so
        capture.restamp(db)
        return push(db, client)


def pull(db: Database, client: httpx.Client, page: int = PULL_PAGE) -> int:
    taken = 0
    joining = bool(settings.get(db, RECOMPUTE_ALL))  # (derived columns once, at the end)
    bulk = joining and start_bulk(db)
    pace = db.pace() if page <= APP_PAGE else None  # (in the app: beside a worker's reads)
    give_way = partial(_give_way, db, pace) if pace else None
    fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wijkwerk-pull")
    try:
        coming = fetcher.submit(_changes_after, client, settings.get(db, CURSOR, "0") or "0", page)
        while True:
            answer = coming.result()
            if pace:
                pace.restart()  # (waiting for the hub is no work of this process)
            changes = answer.get("changes") or []
            last = upto(answer, changes)  # (a laptop with areas gets pages with gaps: hub.scope)
            more = bool(answer.get("more")) and last is not None
            if more:
                # The next page travels while this one is taken in: the hub reads it meanwhile.
                coming = fetcher.submit(_changes_after, client, str(last), page)
            start = 0
            while start < len(changes):
                # (each step moves the cursor: safe to cut off)
                start += apply_page(db, changes[start:], derive=not joining, give_way=give_way)
                if pace:
                    pace.step()  # (the page's derived columns and commit)
                if start < len(changes) or db.writers_waiting():
                    time.sleep(PAUSE_S)  # (the writer that waited goes first)
            taken += len(changes)
            move_cursor(db, last)
            if not more:
                if joining:
                    finish_join(db, bulk)
                mirror_conflicts(db, answer.get("conflicten") or [])
                keep_alerts(db, answer.get("meldingen"))
                finish_erasures(db)
                return taken
    finally:
        fetcher.shutdown(wait=True)  # (a page on its way when taking one in failed: let it land)
        if bulk:
            # Cut off: the indexes and triggers back (nothing left when it finished). Should
            # that fail too (a full disk), opening the file builds them (db.bulk_load).
            with suppress(Exception):
                end_bulk(db)


def _give_way(db: Database, pace: Pace) -> bool:
    """Asked between small steps of taking a page in (sync_apply.GIVE_WAY_EVERY): yes when
    a writer waits (the page commits and lets go); and while a worker reads, a rest in
    proportion to the step (db.in_use), cut short when a writer starts to wait meanwhile."""
    return db.writers_waiting() or pace.step(interrupt=db.writers_waiting)


def upto(answer: dict[str, Any], changes: list[dict[str, Any]]) -> int | None:
    """The last change of the hub's log this page covers (those left out included)."""
    said = answer.get("tot")
    if isinstance(said, int) and not isinstance(said, bool):
        return said
    return max((int(c["seq"]) for c in changes), default=None)


def move_cursor(db: Database, upto: int | None) -> None:
    """Past the changes the hub left out of a page (none were for this laptop)."""
    if upto is not None and upto > int(settings.get(db, CURSOR, "0") or 0):
        with db.transaction(bookkeeping=True) as session:
            settings.put(session, CURSOR, str(upto))


def keep_alerts(db: Database, alerts: Any) -> None:
    """What the hub found about the audit chains of every laptop (hub.audit_anchor): shown to
    coordinators by `wijkwerk check`, the check screen and after a sync that brought a new one."""
    if isinstance(alerts, list):
        kept = settings.hub_alerts_text(alerts)
        if kept != settings.get(db, settings.HUB_AUDIT_ALERTS, "[]"):  # (no write when nothing new)
            with db.transaction() as session:
                settings.put(session, settings.HUB_AUDIT_ALERTS, kept)


def finish_erasures(db: Database) -> None:
    """As after an erasure made here: the search index forgets the tokens of the erased names
    and the WAL its old pages (else they stayed in the index until a later merge). Once, at
    the end of a pull: a joining laptop may take in erasures on many pages."""
    # (the index is merged either way; the mark stays until the WAL is empty too: a sync in the
    # app's child meets the app's read snapshot, and `sync_process` tries again after it)
    if settings.get(db, FOLD_PENDING) and privacy.fold_back(db):
        with db.transaction(bookkeeping=True) as session:
            settings.put(session, FOLD_PENDING, "")


def _changes_after(client: httpx.Client, after: str, page: int) -> Any:
    return hub_call(client, "GET", "/v1/pull", params={"after": after, "limit": page})


_RUNNING = threading.Lock()  # one sync at a time in this process (the timer and F5 may meet)


def sync(db: Database, page: int = PULL_PAGE) -> SyncResult:
    """Push, then pull. Raises SyncError (Dutch) when the hub cannot be reached or refuses."""
    if not _RUNNING.acquire(blocking=False):
        raise SyncError("Er loopt al een synchronisatie; even geduld.")
    try:
        with one_process(db):
            return _sync(db, page)
    finally:
        _RUNNING.release()


@contextmanager
def one_process(db: Database) -> Iterator[None]:
    """One sync at a time across processes too (the app's runs in a child; `wijkwerk sync`)."""
    if not db.path.exists():
        yield
        return
    try:
        with one_sync(db.path):
            yield
    except Busy:
        raise SyncError("Er loopt al een synchronisatie; even geduld.") from None


def _new_epoch(db: Database, client: httpx.Client) -> tuple[bool, str]:
    """Take this sync's epoch; a laptop the hub sees as restored or copied first goes on as a
    new device. Returns whether it did, and the organisation's key when the hub names one this
    laptop has not pinned yet (pinned once the sync brought everything in)."""
    copied = False
    try:
        answer = hub_call(client, "POST", "/v1/epoch")
    except SyncError as error:
        if error.code != "epoch":
            raise
        _go_on_as_new_device(db, client)
        copied = True
        answer = hub_call(client, "POST", "/v1/epoch")
    to_pin = _check_org_key(db, answer.get("org_key"))
    with db.transaction() as session:
        settings.put(session, HUB_EPOCH, str(answer["epoch"]))
    client.headers["x-wijkwerk-epoch"] = str(answer["epoch"])
    return copied, to_pin


def _check_org_key(db: Database, said: object) -> str:
    """Before anything goes up: a hub that names a key must name the one this laptop pinned (one
    that names none has not handed it out yet: this laptop keeps checking accounts with its
    own). One not pinned yet is returned, for `_pin` at the end of this sync (once the
    accounts' signatures are in: pinned before, a cut-off sync would leave this laptop's own
    accounts unsigned here and nobody able to log in to sync again)."""
    offered = said if isinstance(said, str) and org_key.is_public_key(said) else ""
    with db.reading() as session:
        known = trust.pinned(session)
    if known and offered and offered != known:  # (none named: not handed out yet, or lost)
        raise SyncError(
            "De hub noemt een andere sleutel van de organisatie dan deze laptop kent "
            f"({org_key.fingerprint(known)}). Er is niets verstuurd; waarschuw de coördinator.",
            code="org_key",
        )
    return offered if offered and not known else ""


def _pin(db: Database, offered: str) -> None:
    """Pin the organisation's key (audited with its fingerprint, which a coordinator can compare
    with the one `hub init` printed)."""
    with db.transaction() as session:
        trust.pin(session, offered)
        audit.record(session, db, db.actor, "hub.org_key_pinned", detail=org_key.fingerprint(offered))


def publish_org_key(
    db: Database, worker_id: uuid.UUID, public: str, wrapped: str
) -> tuple[str, bool, str, dict[str, str]]:
    """Offer the hub the organisation's new public key (`hub init`). Returns the key the hub
    holds for this coordinator (the accepted one, else his own offer, the first he made),
    whether its operator accepted it, his wrapped copy of it when he made it, and each
    account's public key as the hub holds it (by name)."""
    url, token = settings.get(db, HUB_URL), settings.get(db, HUB_TOKEN)
    if not url or not token:
        raise SyncError("Koppel deze laptop eerst aan de hub (wijkwerk hub join).")
    with hub_client(url, token, settings.get(db, HUB_EPOCH) or "") as client:
        answer = hub_call(
            client, "POST", "/v1/org-key", json={"worker": str(worker_id), "public_key": public, "wrapped": wrapped}
        )
    said = answer.get("pairs")
    pairs = {str(k): str(v) for k, v in said.items()} if isinstance(said, dict) else {}
    return str(answer.get("public_key", "")), answer.get("accepted") is True, str(answer.get("wrapped", "")), pairs


def _go_on_as_new_device(db: Database, client: httpx.Client) -> None:
    """Restored from a backup, or one of two copies: the hub has (or another copy has sent)
    changes under this id that this database does not hold. Under a new id of its own, what
    this laptop sent before comes back from the hub like another laptop's work, and what
    waits here goes up again (the hub knows what it applied already): nothing doubles, nothing
    is lost. The cursor stays: everything after it still comes."""
    from wijkwerk_tui.domain.hlc import HybridClock

    new_id = str(uuid.uuid4())
    answer = hub_call(client, "POST", "/v1/rejoin", json={"device": new_id})
    with db.transaction() as session:
        old_id = db.device_id
        settings.put(session, DEVICE_ID, new_id)
        settings.put(session, HUB_TOKEN, str(answer["token"]))
        settings.put(session, HUB_EPOCH, str(answer["epoch"]))
        settings.put(session, WIPE_KEY, str(answer.get("wissleutel") or ""))
        session.execute(update(Outbox).where(col(Outbox.device_id) == old_id).values(device_id=new_id))
        audit.record(session, db, db.actor, "hub.copy", detail="teruggezet of gekopieerd: nieuw apparaat-id")
        settings.put(session, sync_scope.RECONCILE, "1")  # (which residents it holds: this state's)
    db.device_id, db.hlc = new_id, HybridClock(new_id, db.hlc.now(db.now()))  # goes on after the old
    client.headers["authorization"] = f"Bearer {answer['token']}"
    client.headers["x-wijkwerk-epoch"] = str(answer["epoch"])


def _sync(db: Database, page: int) -> SyncResult:
    url, token = settings.get(db, HUB_URL), settings.get(db, HUB_TOKEN)
    if not url or not token:
        raise SyncError("Deze laptop is niet gekoppeld aan een hub. Een coördinator koppelt hem met een koppelcode.")
    refused: SyncError | None = None
    alerts_before = set(settings.hub_alerts(db))
    try:
        with hub_client(url, token, settings.get(db, HUB_EPOCH) or "") as client:
            copied, to_pin = _new_epoch(db, client)
            catch_up(db)
            try:
                sent, conflicts = _push_or_restamp(db, client)
            except SyncError as error:
                if error.offline:
                    raise
                refused, sent, conflicts = error, 0, 0  # refused: what the others did still comes in
            try:
                call = partial(hub_call, client)
                gone = sync_scope.reconcile(db, call)  # (restored: what it holds, before the pull)
                taken = pull(db, client, page)
                # (after the pull: the areas and workers its residents point at are here now)
                came, dropped = sync_scope.take(db, call)
                gone += dropped
                if gone:
                    finish_erasures(db)
            except CodecError:
                raise SyncError(
                    "De hub stuurde iets wat deze versie van wijkwerk niet kent. Werk wijkwerk bij."
                ) from None
            if to_pin:
                _pin(db, to_pin)
            _rotate_if_due(db, client)
    except SyncError as error:
        if error.code == revocation.CODE and revocation.holds(error.proof, settings.get(db, WIPE_KEY), db.device_id):
            raise LaptopRevoked() from None
        if error.offline:
            with db.transaction() as session:
                if not settings.get(db, OFFLINE_SINCE):
                    settings.put(session, OFFLINE_SINCE, db.now().isoformat())
        raise
    if refused is not None:
        with db.transaction() as session:
            settings.put(session, OFFLINE_SINCE, "")
        raise refused
    with db.transaction() as session:
        settings.put(session, LAST_SYNC, db.now().isoformat())
        settings.put(session, OFFLINE_SINCE, "")
    return SyncResult(
        sent, taken, conflicts, copied, len(set(settings.hub_alerts(db)) - alerts_before), came, frozenset(gone)
    )


def _rotate_if_due(db: Database, client: httpx.Client) -> None:
    """A worker was switched off: a new device token, kept in the same transaction that clears
    the mark. An answer lost on the way leaves the mark (and the old token, which the hub still
    takes until it sees the new one): the next sync asks again."""
    if settings.get(db, settings.ROTATE_TOKEN) != "1":
        return
    token = str(hub_call(client, "POST", "/v1/token").get("token") or "")
    if not token:
        return
    with db.transaction() as session:
        settings.put(session, HUB_TOKEN, token)
        settings.put(session, settings.ROTATE_TOKEN, "")
        audit.record(session, db, db.actor, "hub.token_rotated")
    client.headers["authorization"] = f"Bearer {token}"


def rotate_token_now(db: Database) -> None:
    """After slots were taken away (security.slots): rotate at once when the hub answers (a
    SyncError leaves it to the next sync)."""
    url, token = settings.get(db, HUB_URL), settings.get(db, HUB_TOKEN)
    if url and token and settings.get(db, settings.ROTATE_TOKEN) == "1":
        with one_process(db), hub_client(url, token, settings.get(db, HUB_EPOCH) or "") as client:
            _rotate_if_due(db, client)


def status(db: Database) -> SyncStatus:
    waiting = _waiting(db)

    def moment(key: str) -> datetime | None:
        value = settings.get(db, key)
        return datetime.fromisoformat(value) if value else None

    return SyncStatus(bool(settings.get(db, HUB_URL)), waiting, moment(LAST_SYNC), moment(OFFLINE_SINCE))
