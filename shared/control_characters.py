"""Refuse control characters in what a request sends, before any route sees it: one check
for every text field of every write (and every path and query parameter of every read),
whatever its schema says. PostgreSQL refuses NUL, so a name holding one would be a 500 on a
PostgreSQL node and a record no PostgreSQL peer could apply; the rule is
`shared.fields.CONTROL_CHARACTERS`."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import FieldError, Unprocessable, problem_response
from shared.fields import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE, control_character_paths

_WRITES = frozenset({"POST", "PUT", "PATCH"})


def _is_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type: bytes = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return False


def _decoded(body: bytes) -> object:
    """The body as FastAPI will read it; `None` when it is not JSON (FastAPI answers that)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    try:  # what orjson refuses but the standard library reads, e.g. lone surrogates
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


class ControlCharacterGuard:
    """Pure ASGI: a 422 problem naming each path, query parameter or JSON body field (object
    keys included) that holds a control character; anything else passes on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = self._in_url(scope)
        if not found and scope["method"] in _WRITES and _is_json(scope):
            body, complete = await _read_body(receive)
            if not complete:
                return  # the caller left: nobody to answer, nothing to run
            found = control_character_paths(_decoded(body), "body") if body else []
            receive = _replay(body, receive)
        if found:
            error = Unprocessable(
                f"{len(found)} field(s) failed validation",
                errors=[
                    FieldError(path=path, message=CONTROL_CHARACTERS_MESSAGE) for path in found
                ],
            )
            response = problem_response(Request(scope), error.to_problem())
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _in_url(scope: Scope) -> list[str]:
        found = ["path"] if CONTROL_CHARACTERS.search(scope["path"]) else []
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            for name, value in parse_qsl(query, keep_blank_values=True):
                if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value):
                    found.append(f"query.{name}")
        return found


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole body, and whether it all arrived before the caller left."""
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return bytes(chunks), False
        chunks.extend(message.get("body", b""))
        if not message.get("more_body", False):
            return bytes(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already, then waits as the original does."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
