"""Real sockets: stub services and gateways served by uvicorn on free ports in the test loop,
with a migrated SQLite file as the gateways' database and the suite's token keys."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp

from services.gateway.app import create_app
from services.gateway.clients import create_client_async
from services.gateway.settings import GatewaySettings
from shared.http_server import LimitedHttpToolsProtocol
from shared.migrations import upgrade
from tests.conftest import TokenKeys
from tests.gateway.stubs import (
    StubRecord,
    credentials_stub,
    institutions_stub,
    mobility_stub,
    quality_stub,
    recognition_stub,
)


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves the test process's signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on a free port of 127.0.0.1 inside the running loop; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        http=LimitedHttpToolsProtocol,  # as edunode.serve runs every process
        ws="none",
        log_level="warning",
        access_log=False,
        proxy_headers=False,  # as the gateway runs: it is the front door
        timeout_graceful_shutdown=1,
        lifespan="on",
    )
    server = _QuietServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("server stopped during start-up")
            await asyncio.sleep(0.005)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def unused_url() -> str:
    """A URL where nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class Stubs:
    record: StubRecord
    institutions: str
    quality: str
    recognition: str
    credentials: str
    mobility: str


@pytest.fixture(scope="session")
def gateway_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The running gateways' database: one migrated SQLite file for the session (the clients'
    SQL also runs on PostgreSQL, in `test_clients.py`)."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('gateway') / 'gateway.db'}"
    upgrade("services.gateway", url)
    return url


@pytest.fixture(scope="session")
async def stubs() -> AsyncIterator[Stubs]:
    record = StubRecord()
    async with (
        serve(institutions_stub(record)) as institutions,
        serve(quality_stub(record)) as quality,
        serve(recognition_stub(record)) as recognition,
        serve(credentials_stub(record)) as credentials,
        serve(mobility_stub(record)) as mobility,
    ):
        yield Stubs(record, institutions, quality, recognition, credentials, mobility)


def gateway_settings(
    stubs: Stubs, database_url: str, keys: TokenKeys, **changes: object
) -> GatewaySettings:
    values: dict[str, object] = {
        "node_id": "cn",
        "environment": "test",
        "database_url": database_url,
        "token_private_key_file": keys.private_key_file,
        "institutions_url": stubs.institutions,
        "quality_url": stubs.quality,
        "recognition_url": stubs.recognition,
        "credentials_url": stubs.credentials,
        "mobility_url": stubs.mobility,
        "upstream_connect_timeout_seconds": 1.0,
        "upstream_timeout_seconds": 0.3,
        "openapi_cache_seconds": 0.0,
    }
    values.update(changes)
    return GatewaySettings.model_validate(values)


@pytest.fixture(scope="session")
async def gateway_url(
    stubs: Stubs, gateway_database_url: str, token_keys: TokenKeys
) -> AsyncIterator[str]:
    settings = gateway_settings(stubs, gateway_database_url, token_keys)
    async with serve(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
async def gateway(gateway_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=gateway_url, timeout=5) as client:
        yield client


@pytest.fixture(scope="session")
async def degraded_gateway(
    stubs: Stubs, gateway_database_url: str, token_keys: TokenKeys
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose recognition service is down."""
    settings = gateway_settings(
        stubs, gateway_database_url, token_keys, recognition_url=unused_url()
    )
    async with serve(create_app(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


@dataclass
class Credentials:
    client_id: str
    client_secret: str


@pytest.fixture(scope="session")
async def registrar(gateway_database_url: str) -> Credentials:
    client_id, secret = await create_client_async(
        gateway_database_url, "registry office", "registrar", "institutions:write programmes:write"
    )
    return Credentials(client_id, secret)
