"""The hub's HTTP API (Starlette). Every answer is JSON; every refusal carries a Dutch `fout`.

A laptop says its schema version on every request: an older laptop is told to update (and
keeps working offline), a newer one is told the hub must be updated; neither is applied.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from wijkwerk_tui.db import migrate
from wijkwerk_tui.domain import revocation
from wijkwerk_tui.hub import audit_anchor, coordinators, devices, feed, merge, remote_report, scope, trust
from wijkwerk_tui.hub import changes as incoming

SCHEMA_HEADER = "x-wijkwerk-schema"
EPOCH_HEADER = "x-wijkwerk-epoch"
MAX_BODY = 64 * 1024 * 1024  # a day of work is well under a megabyte; a first upload can be large
MAX_CHANGES = 20_000
JOIN_BODY = 4096
SEEN_BODY = 16_384  # (a hundred alert ids)
LOG = logging.getLogger("wijkwerk.hub")


class Refusal(Exception):
    def __init__(self, status: int, message: str, code: str = "", proof: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.proof = proof


def _now() -> datetime:
    return datetime.now(UTC)


def _check_schema(request: Request) -> None:
    theirs = request.headers.get(SCHEMA_HEADER, "")
    if theirs == migrate.HEAD:
        return
    if theirs < migrate.HEAD:
        raise Refusal(
            409,
            "Deze laptop heeft een oudere versie van wijkwerk dan de hub. Werk wijkwerk bij; "
            "tot dan werkt deze laptop offline door.",
        )
    raise Refusal(
        409,
        "De hub heeft een oudere versie van wijkwerk dan deze laptop. Vraag de beheerder de hub bij te "
        "werken; tot dan werkt deze laptop offline door.",
    )


async def _json(request: Request, limit: int = MAX_BODY) -> Any:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        raise Refusal(413, "Te veel in één keer voor de hub.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refusal(413, "Te veel in één keer voor de hub.")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None


def _token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        raise Refusal(401, "Deze laptop is niet gekoppeld aan de hub van de organisatie.")
    return header.removeprefix("Bearer ")


def _device(engine: Engine, request: Request) -> devices.Device:
    try:
        return devices.authenticate(engine, _token(request), request.headers.get(EPOCH_HEADER, ""), _now())
    except devices.Revoked as error:
        raise Refusal(410, str(error), code=revocation.CODE, proof=error.proof) from None
    except devices.NotAllowed as error:
        raise Refusal(401, str(error)) from None
    except devices.Rewound as error:
        raise Refusal(409, str(error), code="epoch") from None


def _handler(work: Callable[[Engine, Request], Any]) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        engine: Engine = request.app.state.engine
        try:
            _check_schema(request)
            answer = await work(engine, request)
        except Refusal as refusal:
            said = {"fout": refusal.message, "code": refusal.code}
            if refusal.proof:
                said["bewijs"] = refusal.proof
            return JSONResponse(said, status_code=refusal.status)
        except incoming.PushRefused as error:
            return JSONResponse({"fout": str(error), "code": error.code, "klok": _now().isoformat()}, status_code=409)
        except devices.NotAllowed as error:
            return JSONResponse({"fout": str(error)}, status_code=409)
        except Exception as error:  # noqa: BLE001 - never a traceback: SQL parameters hold personal data
            LOG.error("request failed: %s", type(error).__name__)
            message = "De hub kon dit niet verwerken; de wijzigingen blijven op de laptop bewaard."
            return JSONResponse({"fout": message}, status_code=500)
        answer["klok"] = _now().isoformat()
        return _respond(answer)

    return endpoint


class Spliced(str):
    """JSON text made already (a page of the change log): goes into the answer as it is."""


def _respond(answer: dict[str, Any]) -> Response:
    made = {key: value for key, value in answer.items() if isinstance(value, Spliced)}
    if not made:
        return JSONResponse(answer)
    rest = JSONResponse({key: value for key, value in answer.items() if key not in made}).body
    spliced = ",".join(f"{json.dumps(key)}:{value}" for key, value in made.items()).encode()
    return Response(b"{" + spliced + (b"," + rest[1:] if rest != b"{}" else b"}"), media_type="application/json")


async def _join(engine: Engine, request: Request) -> dict[str, Any]:
    body = await _json(request, JOIN_BODY)  # before any token: small
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("code", "device", "name")):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.")
    token, epoch, wipe_key = await run_in_threadpool(
        devices.join, engine, body["code"], body["device"][:36], body["name"], _now()
    )
    org_key = await run_in_threadpool(trust.current, engine)
    return {"token": token, "epoch": epoch, "wissleutel": wipe_key, "org_key": org_key}


async def _epoch(engine: Engine, request: Request) -> dict[str, Any]:
    device = await run_in_threadpool(_device, engine, request)
    epoch = await run_in_threadpool(devices.next_epoch, engine, device)
    return {"epoch": epoch, "org_key": await run_in_threadpool(trust.current, engine)}


async def _token_rotation(engine: Engine, request: Request) -> dict[str, Any]:
    device = await run_in_threadpool(_device, engine, request)
    return {"token": await run_in_threadpool(devices.rotate_token, engine, device)}


async def _org_key(engine: Engine, request: Request) -> dict[str, Any]:
    await run_in_threadpool(_device, engine, request)
    body = await _json(request, JOIN_BODY)
    try:
        worker = uuid.UUID(str(body["worker"]))
        public, wrapped = str(body["public_key"]), str(body["wrapped"])
    except (KeyError, TypeError, ValueError):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None
    try:
        return await run_in_threadpool(trust.publish, engine, worker, public, wrapped, _now())
    except coordinators.NotForYou as error:
        raise Refusal(403, str(error)) from None


async def _rejoin(engine: Engine, request: Request) -> dict[str, Any]:
    token = _token(request)
    body = await _json(request, JOIN_BODY)
    if not isinstance(body, dict) or not isinstance(body.get("device"), str):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.")
    try:
        new_token, epoch, wipe_key = await run_in_threadpool(devices.rejoin, engine, token, body["device"][:36], _now())
    except devices.Revoked as error:
        raise Refusal(410, str(error), code=revocation.CODE, proof=error.proof) from None
    except devices.NotAllowed as error:
        raise Refusal(401, str(error)) from None
    return {"token": new_token, "epoch": epoch, "wissleutel": wipe_key}


async def _push(engine: Engine, request: Request) -> dict[str, Any]:
    device = await run_in_threadpool(_device, engine, request)
    body = await _json(request)
    raw = body.get("changes") if isinstance(body, dict) else None
    if not isinstance(raw, list) or len(raw) > MAX_CHANGES:
        raise Refusal(400, "De hub kon dit verzoek niet lezen.")
    changes = [incoming.parse(item) for item in raw]
    outcome = await run_in_threadpool(merge.push, engine, device.id, changes, _now())
    return {"toegepast": outcome.applied, "bekend": outcome.known, "conflicten": outcome.conflicts}


async def _pull(engine: Engine, request: Request) -> dict[str, Any]:
    device = await run_in_threadpool(_device, engine, request)
    scoped = device.id if device.areas else None  # (hub.scope)
    try:
        after = min(max(int(request.query_params.get("after", "0")), 0), 2**62)
        limit = int(request.query_params.get("limit", str(feed.PAGE)))
    except ValueError:
        raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None
    changes, _count, more, last = await run_in_threadpool(feed.changes_after, engine, after, limit, scoped)
    answer: dict[str, Any] = {"changes": Spliced(changes), "more": more, "tot": last}
    if not more:
        answer["conflicten"] = await run_in_threadpool(feed.open_conflicts, engine, scoped)
        answer["meldingen"] = await run_in_threadpool(audit_anchor.for_laptops, engine)
    return answer


async def _scope(engine: Engine, request: Request) -> dict[str, Any]:
    """A laptop with areas: which residents to take in whole and drop (GET), and what it did (POST)."""
    device = await run_in_threadpool(_device, engine, request)
    if request.method == "GET":
        return await run_in_threadpool(scope.pending, engine, device.id)
    body = await _json(request)
    if isinstance(body, dict) and "bezit" in body:  # (a restored laptop: all it holds, in pages)
        try:
            holds = [uuid.UUID(str(i)) for i in body.get("bezit") or []]
        except (AttributeError, TypeError, ValueError):
            raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None
        if len(holds) > scope.DROP_PAGE:
            raise Refusal(400, "De hub kon dit verzoek niet lezen.")
        refused = await run_in_threadpool(scope.holds, engine, device.id, holds, body.get("opnieuw") is True)
        return {"ok": True, "eraf": [str(i) for i in refused]}
    try:
        taken = [uuid.UUID(str(i)) for i in body.get("erbij") or []]
        dropped = [uuid.UUID(str(i)) for i in body.get("eraf") or []]
    except (AttributeError, TypeError, ValueError):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None
    if len(taken) > scope.GROW_PAGE or len(dropped) > scope.DROP_PAGE:
        raise Refusal(400, "De hub kon dit verzoek niet lezen.")
    refused = await run_in_threadpool(scope.confirm, engine, device.id, taken, dropped)
    return {"ok": True, "eraf": [str(i) for i in refused]}


async def _report(engine: Engine, request: Request) -> dict[str, Any]:
    await run_in_threadpool(_device, engine, request)
    body = await _json(request, JOIN_BODY)
    try:
        worker = uuid.UUID(str(body["worker"]))
        start, end = date.fromisoformat(str(body["van"])), date.fromisoformat(str(body["tot"]))
        area = body.get("gebied")
        if area is not None and not isinstance(area, str):
            raise ValueError("area")
    except (KeyError, TypeError, ValueError):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None
    try:
        return await run_in_threadpool(remote_report.for_laptop, engine, worker, start, end, area)
    except coordinators.NotForYou as error:
        raise Refusal(403, str(error)) from None


async def _alerts_seen(engine: Engine, request: Request) -> dict[str, Any]:
    device = await run_in_threadpool(_device, engine, request)
    body = await _json(request, SEEN_BODY)
    try:
        worker = uuid.UUID(str(body["worker"]))
        ids = [uuid.UUID(str(item)) for item in body["ids"]][: audit_anchor.SEEN_AT_ONCE]
    except (KeyError, TypeError, ValueError):
        raise Refusal(400, "De hub kon dit verzoek niet lezen.") from None
    try:
        return {"gezien": await run_in_threadpool(audit_anchor.mark_seen, engine, device.id, worker, ids, _now())}
    except coordinators.NotForYou as error:
        raise Refusal(403, str(error)) from None


async def _hello(engine: Engine, request: Request) -> dict[str, Any]:
    await run_in_threadpool(_device, engine, request)
    return {"schema": migrate.HEAD}


def make_app(engine: Engine) -> Starlette:
    app = Starlette(
        routes=[
            Route("/v1/join", _handler(_join), methods=["POST"]),
            Route("/v1/push", _handler(_push), methods=["POST"]),
            Route("/v1/pull", _handler(_pull), methods=["GET"]),
            Route("/v1/scope", _handler(_scope), methods=["GET", "POST"]),
            Route("/v1/hello", _handler(_hello), methods=["GET"]),
            Route("/v1/epoch", _handler(_epoch), methods=["POST"]),
            Route("/v1/token", _handler(_token_rotation), methods=["POST"]),
            Route("/v1/rejoin", _handler(_rejoin), methods=["POST"]),
            Route("/v1/report", _handler(_report), methods=["POST"]),
            Route("/v1/alerts/seen", _handler(_alerts_seen), methods=["POST"]),
            Route("/v1/org-key", _handler(_org_key), methods=["POST"]),
        ]
    )
    app.state.engine = engine
    return app
