"""Idempotency keys for POST: a retry with the same `Idempotency-Key` gets the original response
instead of creating the thing twice (docs/audit.md, "Idempotency").

`IdempotencyMiddleware` (installed in every node service by `create_runtime_app`) handles a POST
that carries the header and a valid bearer token:

1. **Claim** the key for the calling client in a short transaction of its own: a row
   `in_progress` with the request's method, path and body digest, leased for a while.
   Same key and another method, path or body → 422; the first request still running → 409;
   the key already completed → the stored response again, with `Idempotent-Replayed: true`.
2. **Run** the request in a unit of work the middleware opens (`shared/unit_of_work.py`; the
   request's `SessionDep` is its session), buffering the response.
3. **Complete**: for a 2xx response the stored response is written in that same transaction
   and committed with the write, before the response is sent; so a write never commits without
   its stored response, nor the other way round. Any other outcome rolls the write back and
   releases the key: the request changed nothing, so running it again is safe.

A process that dies between 1 and 3 committed nothing but the claim; retries get 409 until the
lease ends, then take the key over. Completing checks that the claim is still its own, so
of two runs of one key at most one commits.

Keys belong to a client (the token's `sub`): two clients may use the same key. A POST without a
valid token is passed on untouched (every creating POST needs a token, so the route refuses it).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, cast

import orjson
import structlog
from sqlalchemy import (
    Column,
    CursorResult,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement, TextClause
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import Principal, TokenVerifier
from shared.db import Database, UtcDateTime, utcnow
from shared.errors import BadRequest, Conflict, ProblemError, Unprocessable, problem_response
from shared.unit_of_work import UnitOfWork

log = structlog.get_logger("edunode.idempotency")

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
TABLE_NAME = "idempotency_key"
UNIT_OF_WORK = "edunode.unit_of_work"  # scope["state"] key of the request's unit of work

# Response headers worth replaying; the rest (date, server, request id) belong to each answer.
_KEPT_HEADERS = frozenset({"content-type", "location", "etag"})
_KEPT_PREFIX = "edunode-"


def idempotency_table(metadata: MetaData) -> Table:
    """The keys a service has seen, declared in its own metadata (and so its migrations)."""
    return Table(
        TABLE_NAME,
        metadata,
        Column("client_id", String(100), primary_key=True),
        Column("key", String(KEY_MAX_LENGTH), primary_key=True),
        Column("method", String(10), nullable=False),
        Column("path", Text, nullable=False),
        Column("body_sha256", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("claim", String(32), nullable=False),
        Column("locked_until", UtcDateTime(), nullable=False),
        Column("response_status", Integer),
        Column("response_headers", Text),
        Column("response_body", LargeBinary),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("expires_at", UtcDateTime(), nullable=False),
        Index(f"ix_{TABLE_NAME}_expires_at", "expires_at"),
    )


# Every service's table has this shape and name; the kernel works through its own copy.
keys = idempotency_table(MetaData())


def parse_key(raw: bytes) -> str:
    """The key, if it is 1 to 255 printable ASCII characters; else a 400 saying so."""
    try:
        key = raw.decode("ascii")
    except UnicodeDecodeError:
        key = ""
    if not 1 <= len(key) <= KEY_MAX_LENGTH or not all(" " <= c <= "~" for c in key):
        raise BadRequest(
            f"{HEADER} must be 1 to {KEY_MAX_LENGTH} printable ASCII characters "
            "(a UUID is a good choice)"
        )
    return key


@dataclass(frozen=True)
class Fingerprint:
    """What a key is bound to: the method, the path with its query, and the body's digest."""

    method: str
    path: str
    body_sha256: str


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """Outcome of claiming a key. `kind`: `claimed` (run the request, `token` proves it),
    `replay` (send `response`), `mismatch` (422) or `in_progress` (409, to be retried after
    `retry_after` seconds: when the running request's lease ends at the latest)."""

    kind: Literal["claimed", "replay", "mismatch", "in_progress"]
    token: str = ""
    response: StoredResponse | None = None
    retry_after: float = 0.0


def _rowcount(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


class IdempotencyStore:
    """The idempotency table of one service's database."""

    def __init__(self, database: Database, *, ttl: timedelta, lease: timedelta) -> None:
        self.database = database
        self.ttl = ttl
        self.lease = lease

    async def claim(self, client_id: str, key: str, fingerprint: Fingerprint) -> Claim:
        """Claim `key` for a request, or say why not (own transaction, committed at once)."""
        async with self.database.session() as session:
            for _attempt in range(3):
                now = utcnow()
                row = (
                    await session.execute(
                        select(keys).where(keys.c.client_id == client_id, keys.c.key == key)
                    )
                ).first()
                if row is not None and row.expires_at <= now:
                    await session.execute(
                        delete(keys).where(
                            keys.c.client_id == client_id,
                            keys.c.key == key,
                            keys.c.expires_at <= now,
                        )
                    )
                    row = None
                if row is None:
                    token = secrets.token_hex(16)
                    if await self._insert(session, client_id, key, fingerprint, token):
                        return Claim("claimed", token)
                    continue  # another request claimed it meanwhile: look again
                if (row.method, row.path, row.body_sha256) != (
                    fingerprint.method,
                    fingerprint.path,
                    fingerprint.body_sha256,
                ):
                    return Claim("mismatch")
                if row.state == "done":
                    headers = [tuple(pair) for pair in orjson.loads(row.response_headers or "[]")]
                    return Claim(
                        "replay",
                        response=StoredResponse(
                            row.response_status,
                            cast(list[tuple[str, str]], headers),
                            row.response_body or b"",
                        ),
                    )
                if row.locked_until > now:
                    remaining = (row.locked_until - now).total_seconds()
                    return Claim("in_progress", retry_after=remaining)
                # The lease ended (its process died): take the key over, unless another did.
                token = secrets.token_hex(16)
                taken = await session.execute(
                    update(keys)
                    .where(
                        keys.c.client_id == client_id,
                        keys.c.key == key,
                        keys.c.claim == row.claim,
                        keys.c.state == "in_progress",
                    )
                    .values(claim=token, locked_until=now + self.lease)
                )
                if _rowcount(taken) == 1:
                    return Claim("claimed", token)
            return Claim("in_progress", retry_after=self.lease.total_seconds())

    async def _insert(
        self,
        session: AsyncSession,
        client_id: str,
        key: str,
        fingerprint: Fingerprint,
        token: str,
    ) -> bool:
        now = utcnow()
        values = {
            "client_id": client_id,
            "key": key,
            "method": fingerprint.method,
            "path": fingerprint.path,
            "body_sha256": fingerprint.body_sha256,
            "state": "in_progress",
            "claim": token,
            "locked_until": now + self.lease,
            "created_at": now,
            "expires_at": now + self.ttl,
        }
        # ON CONFLICT DO NOTHING: a concurrent claimer waits for the first one's commit and then
        # inserts nothing, instead of failing its transaction.
        dialect = session.get_bind().dialect.name
        statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(keys)
        result = await session.execute(statement.values(values).on_conflict_do_nothing())
        return _rowcount(result) == 1

    async def complete(
        self,
        session: AsyncSession,
        client_id: str,
        key: str,
        token: str,
        response: StoredResponse,
    ) -> bool:
        """Store the response in the request's own transaction; False if the claim was lost."""
        result = await session.execute(
            update(keys)
            .where(
                keys.c.client_id == client_id,
                keys.c.key == key,
                keys.c.claim == token,
                keys.c.state == "in_progress",
            )
            .values(
                state="done",
                response_status=response.status,
                response_headers=orjson.dumps(response.headers).decode(),
                response_body=response.body,
            )
        )
        return _rowcount(result) == 1

    async def release(self, client_id: str, key: str, token: str) -> None:
        """Forget a claim whose request committed nothing, so the key can be used again."""
        async with self.database.session() as session:
            await session.execute(
                delete(keys).where(
                    keys.c.client_id == client_id,
                    keys.c.key == key,
                    keys.c.claim == token,
                    keys.c.state == "in_progress",
                )
            )

    async def prune(self) -> int:
        """Delete expired keys; returns how many."""
        async with self.database.session() as session:
            result = await session.execute(delete(keys).where(keys.c.expires_at <= utcnow()))
            return _rowcount(result)


def _kept_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    kept = []
    for name, value in raw:
        lower = name.decode("latin-1").lower()
        if lower in _KEPT_HEADERS or lower.startswith(_KEPT_PREFIX):
            kept.append((lower, value.decode("latin-1")))
    return kept


class _Buffered:
    """A response held back until its transaction committed."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.body = bytearray()

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.body.extend(message.get("body", b""))

    @property
    def status(self) -> int:
        return int(self.start["status"]) if self.start is not None else 500

    def stored(self) -> StoredResponse:
        headers = self.start.get("headers", []) if self.start is not None else []
        return StoredResponse(self.status, _kept_headers(headers), bytes(self.body))

    async def replay(self, send: Send) -> None:
        assert self.start is not None
        await send(self.start)
        await send({"type": "http.response.body", "body": bytes(self.body)})


def _principal(scope: Scope) -> Principal | None:
    verifier: TokenVerifier | None = getattr(scope["app"].state, "token_verifier", None)
    header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    scheme, _, token = header.partition(" ")
    if verifier is None or scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return verifier.verify(token.strip())
    except ProblemError:
        return None  # the route answers 401 itself


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; None if the caller left before sending it all."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body.extend(message.get("body", b""))
        if not message.get("more_body", False):
            return bytes(body)


class IdempotencyMiddleware:
    """Pure ASGI: the `Idempotency-Key` protocol for POST (see the module's docstring). It
    needs `app.state.runtime` with `database` and `idempotency` (a `ServiceRuntime`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_key = None
        if scope["type"] == "http" and scope["method"] == "POST":
            raw_key = dict(scope["headers"]).get(b"idempotency-key")
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        try:
            key = parse_key(raw_key)
        except ProblemError as error:
            await self._problem(error, scope, receive, send)
            return
        principal = _principal(scope)
        if principal is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # nobody to answer, and half a request must not run (nor claim the key)
        query = scope.get("query_string", b"").decode("latin-1")
        fingerprint = Fingerprint(
            scope["method"],
            scope["path"] + (f"?{query}" if query else ""),
            hashlib.sha256(body).hexdigest(),
        )
        store: IdempotencyStore = scope["app"].state.runtime.idempotency
        claim = await store.claim(principal.client_id, key, fingerprint)
        if claim.kind == "mismatch":
            await self._problem(
                Unprocessable(
                    f"the {HEADER} {key!r} was used for another request (method, path or "
                    "body differ); use a new key for a new request"
                ),
                scope,
                receive,
                send,
            )
            return
        if claim.kind == "in_progress":
            # At the latest when the lease ends: a request that died with its process leaves
            # its claim until then (RFC 9110 §10.2.3: whole seconds, rounded up).
            retry_after = max(1, math.ceil(claim.retry_after))
            await self._problem(
                Conflict(
                    f"a request with the {HEADER} {key!r} is still in progress; retry in "
                    f"{retry_after} s",
                    headers={"Retry-After": str(retry_after)},
                ),
                scope,
                receive,
                send,
            )
            return
        if claim.kind == "replay":
            assert claim.response is not None
            stored = claim.response
            replayed = Response(
                stored.body,
                status_code=stored.status,
                headers={**dict(stored.headers), REPLAYED_HEADER: "true"},
            )
            await replayed(scope, receive, send)
            return
        await self._run(scope, body, send, store, principal.client_id, key, claim.token)

    async def _run(
        self,
        scope: Scope,
        body: bytes,
        send: Send,
        store: IdempotencyStore,
        client_id: str,
        key: str,
        token: str,
    ) -> None:
        database: Database = scope["app"].state.runtime.database
        buffered = _Buffered()
        sent_body = False

        async def receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return {"type": "http.disconnect"}

        state = scope.setdefault("state", {})
        outcome: Literal["committed", "lost", "conflict", "failed"]
        # The unit commits only in `_commit`; whatever else happens rolls it back, before the
        # key is released (on SQLite the unit may hold the write lock the release needs).
        async with database.unit_of_work() as unit:
            state[UNIT_OF_WORK] = unit
            try:
                await self.app(scope, receive, buffered.send)
                if 200 <= buffered.status < 300:
                    outcome = await self._commit(unit, store, client_id, key, token, buffered)
                else:
                    await unit.rollback()
                    outcome = "failed"
            except BaseException:
                await unit.rollback()
                await store.release(client_id, key, token)
                raise
            finally:
                state.pop(UNIT_OF_WORK, None)
        if outcome == "committed":
            await buffered.replay(send)
            return
        await store.release(client_id, key, token)
        if outcome == "failed":  # the route's own error response: nothing was written
            await buffered.replay(send)
        elif outcome == "lost":
            await self._problem(
                Conflict(f"the {HEADER} {key!r} was taken over by a retry; nothing was saved"),
                scope,
                receive,
                send,
            )
        else:
            await self._problem(
                Conflict("the change conflicts with an existing record"), scope, receive, send
            )

    async def _commit(
        self,
        unit: UnitOfWork,
        store: IdempotencyStore,
        client_id: str,
        key: str,
        token: str,
        buffered: _Buffered,
    ) -> Literal["committed", "lost", "conflict"]:
        """Store the response beside the write and commit both."""
        try:
            if not await store.complete(unit.session, client_id, key, token, buffered.stored()):
                await unit.rollback()
                return "lost"
            await unit.commit()
        except IntegrityError as error:  # as a route's own commit would: a 409, not a 500
            log.info("integrity_conflict", error=str(error.orig))
            await unit.rollback()
            return "conflict"
        return "committed"

    async def _problem(
        self, error: ProblemError, scope: Scope, receive: Receive, send: Send
    ) -> None:
        response = problem_response(Request(scope), error.to_problem(), error.headers)
        await response(scope, receive, send)


_KEY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Makes a retry safe: the same key with the same request returns the "
    f"original response (header `{REPLAYED_HEADER}: true`) instead of doing it again; the "
    "same key with another method, path or body is a 422; while the first request with the "
    "key is still running, a 409. Keys are the caller's own and kept 24 hours by default. "
    f"1 to {KEY_MAX_LENGTH} printable ASCII characters, e.g. a UUID.",
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
    "example": "5b1f7e0c-2d4a-4c9e-8f3b-6a7d9e0c1b2f",
}
_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def document_idempotency_key(document: dict[str, Any]) -> None:
    """Declare `Idempotency-Key` (and its 409/422 answers) on every POST of `document`."""
    for item in document.get("paths", {}).values():
        operation = item.get("post")
        if not isinstance(operation, dict):
            continue
        parameters = operation.setdefault("parameters", [])
        if any(p.get("name") == HEADER for p in parameters):
            continue
        parameters.append(dict(_KEY_PARAMETER))
        responses = operation.setdefault("responses", {})
        for status, title in (("409", "Conflict"), ("422", "Unprocessable content")):
            responses.setdefault(
                status,
                {
                    "description": title,
                    "content": {"application/problem+json": {"schema": _PROBLEM}},
                },
            )
        responses["409"].setdefault("headers", {})["Retry-After"] = {
            "description": "When the request still in progress with this key is over, or "
            "its claim lapses (seconds): retry then with the same key.",
            "schema": {"type": "integer", "minimum": 1},
        }
        for status, response in responses.items():
            if status.startswith("2"):
                response.setdefault("headers", {})[REPLAYED_HEADER] = {
                    "description": "`true` when this is the stored response of an earlier "
                    "request with the same `Idempotency-Key`.",
                    "schema": {"type": "string", "enum": ["true"]},
                }


REDACTED_BODY = orjson.dumps(
    {
        "detail": "this stored response was erased with the personal data it held; "
        "the request succeeded: read the record again"
    }
)


async def redact_stored_responses(session: AsyncSession, record_id: str) -> int:
    """Blank the stored responses that mention `record_id`, in the caller's transaction (an
    erasure of personal data must not leave a copy in a replayable response). A retry with such
    a key still gets the original status and `Location`, not the data. Returns how many."""
    needle = bindparam("needle", record_id.encode(), type_=LargeBinary)
    # A byte search in the stored body (LIKE does not reach into SQLite's BLOBs).
    mentions: ColumnElement[bool] | TextClause = (
        text("position(:needle in response_body) > 0").bindparams(needle)
        if session.get_bind().dialect.name == "postgresql"
        else func.instr(keys.c.response_body, needle) > 0
    )
    result = await session.execute(
        update(keys).where(keys.c.state == "done", mentions).values(response_body=REDACTED_BODY)
    )
    return _rowcount(result)
