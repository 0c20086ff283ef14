"""Fixtures for the whole suite, all of them real: a nats-server process with JetStream, a
throwaway PostgreSQL cluster, SQLite files, Ed25519 token keys, and service apps running their
lifespan (database, bus, outbox relay, consumers) behind an in-process HTTP client.

Tests that touch a database take `database_url` (or `new_database_url`), which is parametrized:
each such test runs once on SQLite and once on PostgreSQL, each time on fresh databases.
Streams are named after the node (`EVT_<NODE>`), so every test gets its own node id (`node_id`)
and never sees another test's events on the session's one nats-server.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import subprocess
import time
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NatsClient
from starlette.types import ASGIApp, Receive, Send
from starlette.types import Scope as AsgiScope

from edunode.natsserver import NatsServer, NatsServerConfig, find_free_port
from services.institutions.app import create_app as create_institutions_app
from services.institutions.settings import InstitutionsSettings
from services.quality.app import create_app as create_quality_app
from services.quality.settings import QualitySettings
from shared.auth import ROLE_SCOPES, Principal, Role, Scope, TokenIssuer, generate_token_key
from shared.events import CloudEvent, node_stream_name
from shared.migrations import upgrade
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from tests.support.postgres import PostgresCluster

NODE = "cn"
TOKEN_ISSUER = "edunode"
SHUTDOWN_TIMEOUT = 30.0
T = TypeVar("T")

# -- processes ----------------------------------------------------------------------------------


def new_nats_server(root: Path, name: str, *, domain: str = NODE) -> NatsServer:
    """A nats-server with JetStream (its store under `root`), not started yet."""
    config = NatsServerConfig(
        name=name, port=find_free_port(), store_dir=root / "store", domain=domain
    )
    return NatsServer(config, root / "nats")


@pytest.fixture(autouse=True)
def _environment_left_as_found() -> Iterator[None]:
    """A test that runs a node in its own process (a single-process node configures its
    services through the environment) must leave no setting behind: the later tests would
    read it (seen: every test after one such node refused its tokens)."""
    before = {k: v for k, v in os.environ.items() if k.startswith("EDUNODE_")}
    yield
    after = {k: v for k, v in os.environ.items() if k.startswith("EDUNODE_")}
    assert after == before, f"the test left settings behind: {sorted(set(after) ^ set(before))}"


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """The session's nats-server; tests keep apart by using their own node ids (streams)."""
    with new_nats_server(tmp_path_factory.mktemp("nats"), "test-session") as server:
        yield server


def ensure_running(server: NatsServer) -> NatsServer:
    """Start the session's server again if something outside the test killed it (its store,
    and so every stream, survives), rather than fail every later test."""
    if not server.is_running():
        warnings.warn(
            f"nats-server {server.config.name} had exited; restarting it\n{server.log_tail(5)}",
            stacklevel=2,
        )
        server.stop()
        server.start()
    return server


@pytest.fixture
def private_nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server of this test alone, for tests that stop or restart the broker."""
    with new_nats_server(tmp_path / "private-nats", f"test-{uuid.uuid4().hex[:8]}") as server:
        yield server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster, started on first use and removed at the end."""
    with PostgresCluster() as cluster:
        yield cluster
        # It is deleted next: an immediate shutdown skips the shutdown checkpoint, which takes
        # over ten seconds once a session has created a few hundred databases.
        if cluster.pid is not None:
            os.kill(cluster.pid, signal.SIGQUIT)


# -- databases ----------------------------------------------------------------------------------

_database_numbers = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_backend(request: pytest.FixtureRequest) -> str:
    """The database engine this run of the test uses."""
    backend: str = request.param
    return backend


@pytest.fixture
def new_database_url(
    db_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[str], str]:
    """A factory of fresh, empty databases on this test's backend: `new_database_url("label")`."""

    def create(label: str) -> str:
        number = next(_database_numbers)
        if db_backend == "sqlite":
            return f"sqlite+aiosqlite:///{tmp_path / f'{label}-{number}.db'}"
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        return cluster.create_database(f"{label}_{number}")

    return create


@pytest.fixture
def database_url(new_database_url: Callable[[str], str]) -> str:
    """A fresh, empty database (SQLite file or PostgreSQL database) for this test."""
    return new_database_url("test")


def migrated(service_package: str, database_url: str) -> str:
    """Apply a service's Alembic migrations (e.g. `services.institutions`); returns the URL."""
    upgrade(service_package, database_url)
    return database_url


class DatabaseTemplates:
    """One database per service and backend, migrated once per session; each test gets a copy
    (a file copy, or PostgreSQL's `CREATE DATABASE … TEMPLATE`), which is several times faster
    than running the migrations again."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sqlite: dict[str, Path] = {}
        self._postgres: dict[tuple[int, str], str] = {}

    def sqlite_copy(self, service_package: str, target: Path) -> str:
        template = self._sqlite.get(service_package)
        if template is None:
            template = self.root / f"{service_package}.db"
            migrated(service_package, f"sqlite+aiosqlite:///{template}")
            self._sqlite[service_package] = template
        shutil.copyfile(template, target)
        return f"sqlite+aiosqlite:///{target}"

    def postgres_copy(self, cluster: PostgresCluster, service_package: str, name: str) -> str:
        key = (cluster.port, service_package)
        template = self._postgres.get(key)
        if template is None:
            template = "template_" + service_package.replace(".", "_")
            migrated(service_package, cluster.create_database(template))
            self._postgres[key] = template
        psql = [
            str(cluster.bin_dir / "psql"),
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            f"--host={cluster.socket_dir}",
            f"--port={cluster.port}",
            f"--username={cluster.superuser}",
            "--dbname=postgres",
            f'--command=CREATE DATABASE "{name}" TEMPLATE "{template}"',
        ]
        subprocess.run(psql, stdin=subprocess.DEVNULL, capture_output=True, check=True)
        return cluster.url_for(name)


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> DatabaseTemplates:
    return DatabaseTemplates(tmp_path_factory.mktemp("database-templates"))


@pytest.fixture
def new_migrated_database_url(
    db_backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    database_templates: DatabaseTemplates,
) -> Callable[[str, str], str]:
    """A factory of fresh databases already at a service's latest migration, on this test's
    backend: `new_migrated_database_url("services.quality", "label")`."""

    def create(service_package: str, label: str) -> str:
        number = next(_database_numbers)
        if db_backend == "sqlite":
            target = tmp_path / f"{label}-{number}.db"
            return database_templates.sqlite_copy(service_package, target)
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        return database_templates.postgres_copy(cluster, service_package, f"{label}_{number}")

    return create


# -- ids and tokens -----------------------------------------------------------------------------

_node_numbers = itertools.count(1)


@pytest.fixture
def node_id() -> str:
    """A node id of this test alone (so its stream `EVT_CN_T<n>` is too); country CN."""
    return f"{NODE}-t{next(_node_numbers)}"


@dataclass(frozen=True)
class TokenKeys:
    """An Ed25519 key pair for access tokens, as PEM bytes and files."""

    private_pem: bytes
    public_pem: bytes
    private_key_file: Path
    public_key_file: Path


@pytest.fixture(scope="session")
def token_keys(tmp_path_factory: pytest.TempPathFactory) -> TokenKeys:
    private_pem, public_pem = generate_token_key()
    root = tmp_path_factory.mktemp("token-keys")
    (root / "token.key").write_bytes(private_pem)
    (root / "token.pub").write_bytes(public_pem)
    return TokenKeys(private_pem, public_pem, root / "token.key", root / "token.pub")


class MakeToken(Protocol):
    def __call__(
        self,
        role: Role | str,
        scopes: Iterable[Scope | str] | None = None,
        node: str = NODE,
        *,
        institution_id: uuid.UUID | None = None,
        agency_id: uuid.UUID | None = None,
        client_id: str = "test-client",
    ) -> str: ...


@pytest.fixture(scope="session")
def make_token(token_keys: TokenKeys) -> MakeToken:
    """Issue an access token as the gateway would: `make_token(Role.REGISTRAR, node=node_id)`.
    Scopes default to all those the role may hold."""
    issuer = TokenIssuer(
        token_keys.private_pem, issuer=TOKEN_ISSUER, key_id="test", ttl_seconds=300
    )

    def make(
        role: Role | str,
        scopes: Iterable[Scope | str] | None = None,
        node: str = NODE,
        *,
        institution_id: uuid.UUID | None = None,
        agency_id: uuid.UUID | None = None,
        client_id: str = "test-client",
    ) -> str:
        granted = ROLE_SCOPES[Role(role)] if scopes is None else {Scope(s) for s in scopes}
        principal = Principal(
            client_id=client_id,
            role=Role(role),
            scopes=frozenset(granted),
            node=node,
            institution_id=institution_id,
            agency_id=agency_id,
        )
        return issuer.issue(principal)

    return make


def bearer(token: str) -> dict[str, str]:
    """The Authorization header carrying `token`."""
    return {"Authorization": f"Bearer {token}"}


# -- running services ---------------------------------------------------------------------------


@dataclass
class RunningService:
    """A service app whose lifespan is running, and an HTTP client talking to it in-process."""

    app: FastAPI
    client: httpx.AsyncClient

    @property
    def runtime(self) -> ServiceRuntime[Any]:
        runtime: ServiceRuntime[Any] = self.app.state.runtime
        return runtime

    @property
    def settings(self) -> ServiceSettings:
        settings: ServiceSettings = self.runtime.settings
        return settings

    async def wait_connected(self, timeout: float = 10.0) -> None:
        """Wait until the bus is connected and the node's streams are provisioned."""
        async with asyncio.timeout(timeout):
            await self.runtime.bus.wait_ready()


def with_lifespan_state(app: ASGIApp, state: Mapping[str, Any] | None) -> ASGIApp:
    """`app` given its lifespan's state as an ASGI server gives it: a copy in every
    request's scope (`request.state`)."""

    async def asgi(scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, "state": dict(state or {})}
        await app(scope, receive, send)

    return asgi


@asynccontextmanager
async def run_app(app: FastAPI, **transport_options: Any) -> AsyncIterator[RunningService]:
    """Run `app`'s lifespan and give an `httpx.AsyncClient` bound to it."""
    async with app.router.lifespan_context(app) as state:
        transport = httpx.ASGITransport(app=with_lifespan_state(app, state), **transport_options)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield RunningService(app, client)


@dataclass
class ServiceLauncher:
    """Starts service apps on fresh, migrated databases; all stop when the test ends."""

    stack: AsyncExitStack
    nats_url: str
    token_key_file: Path
    new_database_url: Callable[[str], str]
    new_migrated_database_url: Callable[[str, str], str]

    async def start(self, app: FastAPI, **transport_options: Any) -> RunningService:
        return await self.stack.enter_async_context(run_app(app, **transport_options))

    async def institutions(
        self,
        node: str,
        *,
        database_url: str | None = None,
        nats_url: str | None = None,
        **settings: Any,
    ) -> RunningService:
        url = database_url or self.new_migrated_database_url("services.institutions", "inst")
        return await self.start(
            create_institutions_app(
                InstitutionsSettings(**self._settings(node, url, nats_url), **settings)
            )
        )

    async def quality(
        self,
        node: str,
        *,
        database_url: str | None = None,
        nats_url: str | None = None,
        **settings: Any,
    ) -> RunningService:
        url = database_url or self.new_migrated_database_url("services.quality", "qual")
        return await self.start(
            create_quality_app(QualitySettings(**self._settings(node, url, nats_url), **settings))
        )

    def _settings(self, node: str, database_url: str, nats_url: str | None) -> dict[str, Any]:
        return {
            "node_id": node,
            "database_url": database_url,
            "nats_url": nats_url or self.nats_url,
            "token_public_key_file": self.token_key_file,
            "environment": "test",
            "log_json": False,
            "log_level": "warning",
        }


@pytest.fixture
async def services(
    nats_server: NatsServer,
    token_keys: TokenKeys,
    new_database_url: Callable[[str], str],
    new_migrated_database_url: Callable[[str, str], str],
) -> AsyncIterator[ServiceLauncher]:
    """Start services with `await services.institutions(node_id)` / `services.quality(...)`."""
    async with AsyncExitStack() as stack:
        yield ServiceLauncher(
            stack,
            ensure_running(nats_server).url,
            token_keys.public_key_file,
            new_database_url,
            new_migrated_database_url,
        )
        # A service that does not stop would stall the whole suite: fail this test instead.
        try:
            async with asyncio.timeout(SHUTDOWN_TIMEOUT):
                await stack.aclose()
        except TimeoutError:
            raise AssertionError(
                f"the services did not stop within {SHUTDOWN_TIMEOUT}s; tasks still running:\n"
                + describe_tasks()
            ) from None


def describe_tasks() -> str:
    """The other asyncio tasks and where each one waits, for a hang's error message."""
    lines = []
    for task in asyncio.all_tasks():
        if task is asyncio.current_task():
            continue
        frames = task.get_stack(limit=3)
        where = " <- ".join(f"{f.f_code.co_name}:{f.f_lineno}" for f in reversed(frames))
        lines.append(f"  {task.get_name()}: {where}")
    return "\n".join(lines)


# -- the broker, from the outside ---------------------------------------------------------------


@pytest.fixture
async def nats_client(nats_server: NatsServer) -> AsyncIterator[NatsClient]:
    """A plain NATS connection to the session's server, to publish or inspect streams."""
    client = await nats.connect(
        ensure_running(nats_server).url, connect_timeout=2, max_reconnect_attempts=3
    )
    try:
        yield client
    finally:
        await client.close()


async def stream_events(client: NatsClient, node: str) -> list[tuple[str, CloudEvent]]:
    """Every event in the node's stream, in order, as (NATS subject, event)."""
    jsm = client.jsm()
    stream = node_stream_name(node)
    info = await jsm.stream_info(stream)
    events: list[tuple[str, CloudEvent]] = []
    if not info.state.messages:
        return events
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        message = await jsm.get_msg(stream, seq)
        assert message.subject is not None and message.data is not None
        events.append((message.subject, CloudEvent.from_bytes(message.data)))
    return events


async def stream_message_count(client: NatsClient, node: str) -> int:
    info = await client.jsm().stream_info(node_stream_name(node))
    return int(info.state.messages)


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    timeout: float = 15.0,
    interval: float = 0.05,
    what: str = "condition",
) -> T:
    """Poll `probe` until it returns something truthy, and return that (so a probe returning
    `X | None` gives an `X`); fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s (last: {result!r})")
        await asyncio.sleep(interval)
