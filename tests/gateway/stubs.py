"""Small stand-ins for the node's services, built with the kernel like the real ones, that
report what reached them."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel
from starlette.requests import ClientDisconnect

from shared.web import create_service_app


@dataclass
class StubRecord:
    """What the stubs saw, and the switches the streaming tests hold them with."""

    request_ids: list[str] = field(default_factory=list)
    first_chunk_received: asyncio.Event = field(default_factory=asyncio.Event)
    release_download: asyncio.Event = field(default_factory=asyncio.Event)
    uploads_completed: list[int] = field(default_factory=list)  # sizes of whole uploads
    upload_broken_off: asyncio.Event = field(default_factory=asyncio.Event)  # caller gone


class Page(BaseModel):
    """A base both services' pages extend."""

    next_cursor: str | None = None


def _base(service: str) -> FastAPI:
    return create_service_app(
        service=f"stub-{service}",
        title=f"{service} service",
        description=f"The {service} stub.",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )


def institutions_stub(record: StubRecord) -> FastAPI:
    app = _base("institutions")

    class Item(BaseModel):
        id: str
        country: str

    class ItemPage(Page):
        items: list[Item]

    @app.api_route(
        "/v1/institutions/echo",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def echo(request: Request) -> dict[str, object]:
        body = await request.body()
        record.request_ids.append(request.headers.get("x-request-id", ""))
        return {
            "method": request.method,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.scope["query_string"].decode(),
            "headers": [[k.decode(), v.decode()] for k, v in request.scope["headers"]],
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body_length": len(body),
        }

    @app.post("/v1/institutions/created", status_code=201, include_in_schema=False)
    async def created(request: Request, response: Response) -> dict[str, str]:
        # As the real services answer a creation: an absolute URL built from the request.
        response.headers["Location"] = str(request.url_for("echo")) + "?id=1"
        return {"id": "1"}

    @app.get("/v1/institutions", response_model=ItemPage)
    async def list_items() -> ItemPage:
        return ItemPage(items=[Item(id="1", country="CN")])

    @app.post("/v1/institutions/upload")
    async def upload(request: Request) -> dict[str, int]:
        received = 0
        try:
            async for chunk in request.stream():
                received += len(chunk)
                record.first_chunk_received.set()
        except ClientDisconnect:
            record.upload_broken_off.set()
            return {"bytes": -1}  # nobody is left to read it
        record.uploads_completed.append(received)
        return {"bytes": received}

    @app.get("/v1/institutions/download")
    async def download() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"first\n"
            await asyncio.wait_for(record.release_download.wait(), 3)
            yield b"second\n"

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/v1/institutions/hop")
    async def hop() -> Response:
        return Response(
            b"hop",
            headers={
                "Connection": "X-Upstream-Hop",
                "X-Upstream-Hop": "1",
                "Keep-Alive": "timeout=5",
                "Proxy-Authenticate": "Basic",
                "Trailer": "X-Checksum",
                "X-Kept": "yes",
            },
        )

    @app.get("/v1/programmes/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(0.6)
        return {"late": "yes"}

    @app.get("/v1/programmes/teapot")
    async def teapot() -> JSONResponse:
        return JSONResponse({"status": 418}, status_code=418)

    return app


def quality_stub(record: StubRecord) -> FastAPI:
    app = _base("quality")

    class Item(BaseModel):
        agency: str
        decision: str

    class ItemPage(Page):
        items: list[Item]

    @app.get("/v1/quality/evaluations", response_model=ItemPage)
    async def evaluations() -> ItemPage:
        return ItemPage(items=[])

    @app.get("/internal/debug")
    async def internal() -> dict[str, str]:
        return {"not": "routed"}

    return app


def credentials_stub(record: StubRecord) -> FastAPI:
    app = _base("credentials")

    @app.post("/v1/credentials/verify")
    async def verify() -> dict[str, bool]:
        return {"valid": False}

    return app


def recognition_stub(record: StubRecord) -> FastAPI:
    app = _base("recognition")

    @app.get("/v1/recognition/decisions")
    async def decisions() -> list[str]:
        return []

    @app.get("/v1/frameworks")
    async def frameworks() -> list[str]:
        return ["EQF"]

    return app


def mobility_stub(record: StubRecord) -> FastAPI:
    return _base("mobility")
