"""A yardstick for the gateway's choice of HTTP client: the leanest proxy aiohttp allows, a
bare ASGI app on one shared aiohttp session (no FastAPI, no auth check, no request id, no
metrics, no streaming). The gateway does all of those on its own client and should still
beat it.

    UPSTREAM=http://127.0.0.1:8001 uvicorn bench._aiohttp_proxy:app
"""

from __future__ import annotations

import os

import aiohttp
from starlette.types import Receive, Scope, Send
from yarl import URL

UPSTREAM = os.environ.get("UPSTREAM", "http://127.0.0.1:8001")
_sessions: list[aiohttp.ClientSession] = []


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _sessions.append(
                    aiohttp.ClientSession(
                        cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
                    )
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await _sessions.pop().close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    headers = [(k.decode(), v.decode()) for k, v in scope["headers"] if k != b"host"]
    url = URL(UPSTREAM + scope["raw_path"].decode(), encoded=True)
    async with _sessions[0].request(scope["method"], url, headers=headers) as upstream:
        body = await upstream.read()
        skip = {b"date", b"server", b"transfer-encoding", b"connection"}
        response_headers = [
            (k.lower(), v) for k, v in upstream.raw_headers if k.lower() not in skip
        ]
        await send(
            {"type": "http.response.start", "status": upstream.status, "headers": response_headers}
        )
        await send({"type": "http.response.body", "body": body})
