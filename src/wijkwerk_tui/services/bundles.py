"""Syncing a hall without any network through a USB stick: what the sync would send and fetch,
as two files carried by hand (security.bundles seals and signs them).

1. The hall laptop writes what waits (`outgoing`), with its device token, epoch and cursor.
2. A laptop with network (a coordinator's) hands it to the hub as that laptop would (`relay`):
   the same push, so the same merge rule, and a change sent twice is applied once; then it
   fetches what the hub has after the hall's cursor, into the answer.
3. The hall takes the answer in (`take_answer`): what the hub acknowledged leaves its outbox,
   and what came is applied past its cursor only. Taking an answer twice, or an older one
   after a newer, changes nothing; each step is its own transaction, safe to cut off.
Epochs (hub.devices: how the hub notices a laptop restored from a backup): the relay takes the
next epoch for the hall but goes on showing the hall's current one, and the answer carries
the next, which the hall shows from then on (a lost answer leaves the current one valid). A
copy restored from a backup older than the last round trip shows an epoch the hub has passed:
refused, and told to sync once over the network (where it goes on as a new device).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from wijkwerk_tui.db import migrate
from wijkwerk_tui.db.engine import HUB_URL, Database
from wijkwerk_tui.db.sync_codec import CodecError
from wijkwerk_tui.db.sync_tables import Outbox
from wijkwerk_tui.domain import revocation
from wijkwerk_tui.services import sync, sync_scope
from wijkwerk_tui.services.sync_apply import CURSOR, RECOMPUTE_ALL, apply_page, mirror_conflicts
from wijkwerk_tui.store import audit, settings, trust

OUT = "wijkwerk-naar-hub"  # the hall's file: its changes, for the hub
BACK = "wijkwerk-van-hub"  # the answer: what the hub took, and what it has for the hall
PAGE = 1000
NEWER = "Het antwoord bevat iets wat deze versie van wijkwerk niet kent. Werk wijkwerk bij."
EPOCH_REFUSED = (
    "De hub nam het bestand niet aan: het is ouder dan de laatste synchronisatie van deze laptop, of deze "
    "laptop is teruggezet uit een back-up. Schrijf een nieuw bestand; helpt dat niet, synchroniseer één keer "
    "via het netwerk. Alles blijft hier bewaard."
)
DAMAGED = "Dit bestand is geen bundel van wijkwerk of is beschadigd. Er is niets mee gedaan."


class BundleError(sync.SyncError):
    """A bundle that cannot be used here; the message is Dutch and names no resident."""


@dataclass(frozen=True)
class Written:
    """What this laptop noted when it wrote a bundle: what the answer to it may touch."""

    last_seq: int  # the newest outbox entry it carried (an answer removes none after it)
    epoch: str  # the epoch it showed (the answer's next one is taken only if it still is)


def outgoing(db: Database) -> tuple[dict[str, Any], Written]:
    """What this laptop would push, with what the hub needs to take it as this laptop's; and
    what to note about it here (for its answer)."""
    url, token = settings.get(db, HUB_URL), settings.get(db, sync.HUB_TOKEN)
    if not url or not token:
        raise BundleError("Deze laptop is niet gekoppeld aan een hub. Een coördinator koppelt hem met een koppelcode.")
    with db.reading() as session:
        pinned = trust.pinned(session)
    if not pinned or settings.get(db, RECOMPUTE_ALL):
        raise BundleError(
            "Deze laptop heeft nog niet één keer volledig met de hub gesynchroniseerd. Doe dat eerst via het netwerk."
        )
    sync.catch_up(db)
    with db.reading() as session:
        waiting = list(session.exec(select(Outbox).where(col(Outbox.pushed_at).is_(None)).order_by(col(Outbox.seq))))
    epoch = settings.get(db, sync.HUB_EPOCH) or ""
    bundle = {
        "kind": OUT,
        "id": str(uuid.uuid4()),
        "schema": migrate.HEAD,
        "device": db.device_id,
        "token": token,
        "epoch": epoch,
        "cursor": settings.get(db, CURSOR, "0") or "0",
        "org_key": pinned,
        "made": db.now().isoformat(),
        "changes": [sync.wire(entry) for entry in waiting],
        "rotate": settings.get(db, settings.ROTATE_TOKEN) == "1",  # (a worker was switched off here)
        "scope": sync_scope.pending(db),  # (a laptop with areas: what it took in and dropped)
    }
    return bundle, Written(max((entry.seq or 0 for entry in waiting), default=0), epoch)


def relay(db: Database, bundle: dict[str, Any]) -> dict[str, Any]:
    """Hand another laptop's bundle to the hub this laptop reaches, and make its answer.
    SyncError (Dutch) when the hub is not reached: nothing was written, try again later."""
    _check_shape(bundle, OUT, ("id", "device", "token", "epoch", "cursor", "changes"))
    if bundle["device"] == db.device_id:
        raise BundleError("Dit bestand komt van deze laptop zelf. Lees het in op een laptop met netwerk.")
    url = settings.get(db, HUB_URL)
    if not url:
        raise BundleError("Deze laptop is niet gekoppeld aan een hub: hij kan het bestand niet doorgeven.")
    with db.reading() as session:
        if bundle.get("org_key") != trust.pinned(session):
            raise BundleError("Dit bestand is van een laptop van een andere organisatie. Er is niets doorgegeven.")
    answer: dict[str, Any] = {"kind": BACK, "for": bundle["id"], "device": bundle["device"], "schema": migrate.HEAD}
    changes = bundle["changes"]
    acknowledged: list[str] = []
    conflicts = 0
    with sync.hub_client(url, str(bundle["token"]), str(bundle["epoch"])) as client:
        try:
            answer["epoch"] = str(sync.hub_call(client, "POST", "/v1/epoch").get("epoch") or "")
            for start in range(0, len(changes), sync.PUSH_PAGE):
                page = changes[start : start + sync.PUSH_PAGE]
                said = sync.hub_call(client, "POST", "/v1/push", json={"changes": page})
                conflicts += int(said.get("conflicten", 0))
                acknowledged += [str(change.get("id")) for change in page if isinstance(change, dict)]
            confirm = bundle.get("scope")
            refused: list[Any] = []  # (residents the hub does not let that laptop hold)
            if isinstance(confirm, dict) and (confirm.get("erbij") or confirm.get("eraf")):
                refused = sync.hub_call(client, "POST", "/v1/scope", json=confirm).get("eraf") or []
            pulled, tail = _pull_all(client, str(bundle["cursor"]))
            answer["scope"] = sync.hub_call(client, "GET", "/v1/scope")
            if refused and isinstance(answer["scope"], dict):
                answer["scope"]["eraf"] = sorted({*(answer["scope"].get("eraf") or []), *map(str, refused)})
            if bundle.get("rotate") is True:  # (the old token works until the hall shows the new)
                answer["token"] = str(sync.hub_call(client, "POST", "/v1/token").get("token") or "")
        except sync.SyncError as error:
            if error.offline:
                raise
            answer.update({"fout": error.message, "code": error.code, "bewijs": error.proof})
            return answer  # (a refusal goes back to the hall: the epoch, the clock, a revocation)
    answer.update(
        {
            "acknowledged": acknowledged,
            "changes": pulled,
            "conflicten": tail.get("conflicten") or [],
            "meldingen": tail.get("meldingen"),
            "tot": tail.get("tot"),
            "pushed_conflicts": conflicts,
        }
    )
    return answer


def _pull_all(client: Any, after: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    pulled: list[dict[str, Any]] = []
    while True:
        said = sync.hub_call(client, "GET", "/v1/pull", params={"after": after, "limit": sync.PULL_PAGE})
        page = said.get("changes") or []
        pulled += page
        upto = sync.upto(said, page)
        if not said.get("more") or upto is None:
            return pulled, said
        after = str(upto)


def take_answer(db: Database, answer: dict[str, Any], noted: Written) -> sync.SyncResult:
    """Take in the hub's answer to this laptop's bundle (`noted` when it was written).
    LaptopRevoked when the hub proved that a coordinator revoked this laptop; BundleError for
    an answer for another laptop, a refusal, or anything malformed (before anything changes)."""
    _check_shape(answer, BACK, ("for", "device"))
    if answer["device"] != db.device_id:
        raise BundleError("Dit antwoord is voor een andere laptop. Er is niets ingelezen.")
    with sync.one_process(db):  # (the app's sync moves the same cursor)
        return _take(db, answer, noted)


def _refused(db: Database, answer: dict[str, Any]) -> None:
    if answer.get("code") == revocation.CODE and revocation.holds(
        str(answer.get("bewijs") or ""), settings.get(db, sync.WIPE_KEY), db.device_id
    ):
        raise sync.LaptopRevoked()
    if answer.get("code") == "epoch":
        raise BundleError(EPOCH_REFUSED)
    raise BundleError(f"De hub nam het bestand niet aan: {answer['fout']} Alles blijft hier bewaard.")


def _take(db: Database, answer: dict[str, Any], noted: Written) -> sync.SyncResult:
    if answer.get("fout"):
        _refused(db, answer)
    try:
        acknowledged = [uuid.UUID(str(change_id)) for change_id in answer.get("acknowledged") or []]
        cursor = int(settings.get(db, CURSOR, "0") or 0)
        new = [change for change in answer.get("changes") or [] if _seq(change) > cursor]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BundleError(DAMAGED) from None
    sent = 0  # (what left the outbox now: an answer read twice sent nothing the second time)
    with db.transaction() as session:
        for start in range(0, len(acknowledged), 500):  # (SQLite's limit on parameters)
            chunk = acknowledged[start : start + 500]
            # (only what that bundle carried: work queued since waits for the next one)
            done = session.execute(
                delete(Outbox).where(col(Outbox.change_id).in_(chunk), col(Outbox.seq) <= noted.last_seq)
            )
            sent += int(getattr(done, "rowcount", 0) or 0)
        if answer.get("epoch") and settings.get(db, sync.HUB_EPOCH) == noted.epoch:
            settings.put(session, sync.HUB_EPOCH, str(answer["epoch"]))
            if answer.get("token"):  # (as the sync's _rotate_if_due: the new token, the mark cleared)
                settings.put(session, sync.HUB_TOKEN, str(answer["token"]))
                settings.put(session, settings.ROTATE_TOKEN, "")
                audit.record(session, db, db.actor, "hub.token_rotated")
    taken = 0
    try:
        while taken < len(new):
            taken += apply_page(db, new[taken : taken + PAGE])  # (each page moves the cursor)
        upto = sync.upto(answer, new)
        sync.move_cursor(db, upto)
        mirror_conflicts(db, answer.get("conflicten") or [])
        if isinstance(answer.get("scope"), dict) and (upto is None or upto >= cursor):
            # (rows as they stood at the hub: never from an answer older than what is here)
            sync_scope.take_answer(db, answer["scope"])  # (the confirmation goes in the next bundle)
    except CodecError:
        raise BundleError(NEWER) from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BundleError(DAMAGED) from None
    sync.keep_alerts(db, answer.get("meldingen"))
    sync.finish_erasures(db)
    with db.transaction() as session:
        settings.put(session, sync.LAST_SYNC, db.now().isoformat())
        audit.record(session, db, db.actor, "hub.bundle_in", detail=f"{sent} verstuurd, {taken} ontvangen")
    return sync.SyncResult(sent, taken, int(answer.get("pushed_conflicts") or 0))


def _seq(change: Any) -> int:
    """A change's place in the hub's log, checked with the fields every change has."""
    if not isinstance(change, dict) or not all(key in change for key in ("table", "row", "kind", "hlc")):
        raise ValueError("change")
    return int(change["seq"])


def _check_shape(said: Any, kind: str, keys: tuple[str, ...]) -> None:
    if not isinstance(said, dict) or said.get("kind") != kind or not all(key in said for key in keys):
        raise BundleError(DAMAGED)
    if said.get("schema") != migrate.HEAD:
        raise BundleError(
            "Dit bestand komt van een andere versie van wijkwerk. Werk beide laptops bij tot dezelfde versie."
        )
    if "changes" in keys and not isinstance(said.get("changes"), list):
        raise BundleError(DAMAGED)


def dumps(said: dict[str, Any]) -> bytes:
    return json.dumps(said, separators=(",", ":")).encode()


def loads(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BundleError(DAMAGED) from None
