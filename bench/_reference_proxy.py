"""The issue's yardstick, for comparison only: a minimal FastAPI proxy route on one shared
aiohttp session (no auth check, no request id, no metrics, no streaming).

    UPSTREAM=http://127.0.0.1:8001 uvicorn bench._reference_proxy:app
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI, Request, Response

UPSTREAM = os.environ.get("UPSTREAM", "http://127.0.0.1:8001")
_sessions: list[aiohttp.ClientSession] = []


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    _sessions.append(aiohttp.ClientSession())
    yield
    await _sessions.pop().close()


app = FastAPI(lifespan=lifespan)


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def proxy(path: str, request: Request) -> Response:
    """Forward the request and return the service's answer."""
    headers = {k: v for k, v in request.headers.items() if k != "host"}
    async with _sessions[0].request(
        request.method, f"{UPSTREAM}/{path}", headers=headers, data=await request.body()
    ) as upstream:
        return Response(
            await upstream.read(),
            status_code=upstream.status,
            media_type=upstream.headers.get("content-type"),
        )
