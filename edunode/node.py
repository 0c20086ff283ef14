"""`edunode up`: one national node — a nats-server with JetStream (unless an external one is
given), migrations, each service in its own process, and the gateway in front. The services'
processes are forked from the supervisor after it imported every service's modules, so that
those pages are one copy shared by all (`ForkedService`; with `--workers N`, new interpreters).

The supervisor restarts a service that crashes (with backoff), and on SIGINT/SIGTERM stops
everything and leaves no process behind: children also get SIGTERM if the supervisor itself
dies (Linux parent-death signal).

With `single_process` (`edunode up --single-process`, a small country's node) every service
runs in the supervisor's own process instead: each still its own app on its own port with its
own database, talking to the others only over HTTP and NATS, but sharing one interpreter and
its imported modules (docs/deployment.md has what each mode costs in memory).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ctypes
import gc
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Protocol

import httpx
import structlog

from edunode.natsserver import NatsServer, NatsServerConfig, TlsConfig, die_with_parent
from edunode.ports import check_ports
from shared.auth import generate_token_key
from shared.cli import service_database_url
from shared.logging import SERVICE_IN_PROCESS
from shared.nkeys import UserNkey, load_or_create_seed
from shared.signing import init_node_key

log = structlog.get_logger("edunode.node")

LEAF_SEED_FILE = "leaf.nk"
# The variable the node's nats-server reads its leaf seed from.
LEAF_SEED_VARIABLE = "EDUNODE_LEAF_SEED"

# Each service's port is the gateway's plus an offset; the embedded nats-server's too.
SERVICE_PORT_OFFSETS = {
    "institutions": 1,
    "quality": 2,
    "recognition": 3,
    "credentials": 4,
    "mobility": 6,
}
NATS_PORT_OFFSET = 5
BACKEND_SERVICES = tuple(SERVICE_PORT_OFFSETS)
ALL_SERVICES = ("gateway", *BACKEND_SERVICES)
LOG_TAIL_LINES = 15  # how much of a failed service's log is shown on the terminal


class StartupError(RuntimeError):
    """The node cannot start; the message says why, for the operator's terminal."""


@dataclass
class NodeConfig:
    """What `edunode up` was asked to run."""

    node_id: str
    data_dir: Path
    port: int = 8000
    host: str = "127.0.0.1"
    countries: list[str] = field(default_factory=list)
    database_url: str | None = None
    nats_url: str | None = None
    hub: str | None = None
    # The CA that signed the hub's certificate, when it is not a public one.
    hub_ca: Path | None = None
    trust_file: Path | None = None
    environment: str = "development"
    log_level: str = "info"
    workers: int = 1
    single_process: bool = False  # every service in the supervisor's process
    national_legal_basis: str | None = None  # recognition: the law decisions cite by name

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.resolve()
        if not self.countries:
            self.countries = [self.node_id[:2].upper()]

    def service_port(self, service: str) -> int:
        return self.port if service == "gateway" else self.port + SERVICE_PORT_OFFSETS[service]

    def service_url(self, service: str) -> str:
        return f"http://{self.host}:{self.service_port(service)}"

    def listening_ports(self) -> dict[int, str]:
        """Every TCP port the node listens on, with who listens there."""
        ports = {self.service_port(s): f"{s} service" for s in ALL_SERVICES}
        if self.embedded_nats:
            ports[self.nats_port] = "nats-server client port"
        return ports

    @property
    def embedded_nats(self) -> bool:
        return self.nats_url is None

    @property
    def nats_port(self) -> int:
        return self.port + NATS_PORT_OFFSET

    @property
    def effective_nats_url(self) -> str:
        return self.nats_url or f"nats://127.0.0.1:{self.nats_port}"

    @property
    def federation_keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def leaf_seed_file(self) -> Path:
        """The NKey seed the node's leaf connection signs in to the hub with (mode 0600)."""
        return self.data_dir / "keys" / LEAF_SEED_FILE

    def leaf_key(self) -> UserNkey:
        """The node's leaf NKey, created on first use."""
        return load_or_create_seed(self.leaf_seed_file)

    @property
    def token_private_key(self) -> Path:
        return self.data_dir / "keys" / "token.key"

    @property
    def token_public_key(self) -> Path:
        return self.data_dir / "keys" / "token.pub"

    def database_url_for(self, service: str) -> str:
        return service_database_url(self.node_id, self.data_dir, self.database_url, service)

    def service_env(self, service: str) -> dict[str, str]:
        prefix = f"EDUNODE_{service.upper()}_"
        values = {
            "NODE_ID": self.node_id,
            "COUNTRIES": ",".join(self.countries),
            "ENVIRONMENT": self.environment,
            "DATABASE_URL": self.database_url_for(service),
            "NATS_URL": self.effective_nats_url,
            "TOKEN_PUBLIC_KEY_FILE": str(self.token_public_key),
            "HOST": self.host,
            "PORT": str(self.service_port(service)),
            "LOG_LEVEL": self.log_level,
            "WORKERS": str(self.workers),
            "FEDERATION_KEYS_DIR": str(self.federation_keys_dir),
        }
        if self.trust_file is not None:
            values["TRUST_FILE"] = str(self.trust_file.resolve())
        if service in ("quality", "recognition"):  # the directory: institutions just created,
            values["INSTITUTIONS_URL"] = self.service_url("institutions")  # free-text names
        if service == "credentials":  # a diploma's evidence: the QA status at the award date
            values["QUALITY_URL"] = self.service_url("quality")
            values["RECOGNITION_URL"] = self.service_url("recognition")  # statements
        if service == "recognition" and self.national_legal_basis:
            values["NATIONAL_LEGAL_BASIS"] = self.national_legal_basis
        if service == "gateway":
            values["TOKEN_PRIVATE_KEY_FILE"] = str(self.token_private_key)
            for backend in BACKEND_SERVICES:
                values[f"{backend.upper()}_URL"] = self.service_url(backend)
        return {prefix + key: value for key, value in values.items()}


def ensure_token_keys(config: NodeConfig) -> None:
    """The gateway's token-signing key pair, created on first start (node-local, never shared)."""
    if config.token_private_key.exists():
        return
    config.token_private_key.parent.mkdir(parents=True, exist_ok=True)
    private_pem, public_pem = generate_token_key()
    config.token_private_key.write_bytes(private_pem)
    config.token_private_key.chmod(0o600)
    config.token_public_key.write_bytes(public_pem)


def migrate(config: NodeConfig, services: tuple[str, ...] = ALL_SERVICES) -> None:
    """Bring every service's database to the latest schema (idempotent)."""
    migrate_databases({service: config.database_url_for(service) for service in services})


def migrate_databases(urls: dict[str, str]) -> None:
    """Bring each service's database (service → URL) to the latest schema (idempotent)."""
    from shared.migrations import ensure_database, upgrade  # Alembic: not the supervisor's

    for service, url in urls.items():
        ensure_database(url)
        upgrade(f"services.{service}", url)


# What the child of `migrate_in_child` runs: the URLs come on its standard input, never on a
# command line another user could read.
_MIGRATE_FROM_STDIN = (
    "import json, sys; from edunode.node import migrate_databases; "
    "migrate_databases(json.load(sys.stdin))"
)


async def migrate_in_child(config: NodeConfig) -> None:
    """`migrate` in a process of its own: what Alembic and every service's migrations allocate
    leaves with that process instead of staying in the supervisor for the node's life (about
    20 MB)."""
    urls = {service: config.database_url_for(service) for service in ALL_SERVICES}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _MIGRATE_FROM_STDIN,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        preexec_fn=die_with_parent(),
    )
    _, errors = await process.communicate(json.dumps(urls).encode())
    if process.returncode != 0:
        tail = "\n".join(
            "    " + line for line in errors.decode(errors="replace").splitlines()[-LOG_TAIL_LINES:]
        )
        raise StartupError(f"the migrations failed (exit code {process.returncode}):\n{tail}")


def nats_server_for(config: NodeConfig) -> NatsServer:
    """The node's own nats-server; with a hub, a leaf of it that signs in with the node's leaf
    NKey (its seed passed in the environment, never written into nats.conf) over TLS."""
    nats_dir = config.data_dir / "nats"
    environment: dict[str, str] = {}
    if config.hub:
        environment[LEAF_SEED_VARIABLE] = config.leaf_key().seed
    return NatsServer(
        NatsServerConfig(
            name=f"edunode-{config.node_id}",
            port=config.nats_port,
            store_dir=nats_dir / "store",
            domain=config.node_id,
            leaf_remotes=[config.hub] if config.hub else [],
            leaf_remote_nkey=f"${LEAF_SEED_VARIABLE}" if config.hub else None,
            leaf_remote_tls=(
                TlsConfig(ca_file=str(config.hub_ca.resolve())) if config.hub_ca else None
            ),
        ),
        nats_dir,
        environment=environment,
    )


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last `lines` lines of a log file, indented (or a note that there is none)."""
    try:
        with path.open("rb") as log_file:
            log_file.seek(max(0, log_file.seek(0, os.SEEK_END) - 16384))
            text = log_file.read().decode(errors="replace")
    except OSError:
        return "    (no log)"
    return "\n".join("    " + line for line in text.splitlines()[-lines:]) or "    (empty)"


def report_to_terminal(message: str) -> None:
    print(f"edunode: {message}", file=sys.stderr, flush=True)


class Supervised(Protocol):
    """A service under the node's supervision: in a process of its own, or in the node's."""

    service: str
    started_at: float
    restarts: int

    async def start(self) -> None: ...
    async def stop(self, timeout: float = 10.0) -> None: ...
    def exit_code(self) -> int | None:
        """How the service ended, or None while it runs (or waits to be restarted)."""

    def forget_exit(self) -> None:
        """The exit was seen: until started again, the service is waiting to be restarted."""

    def exit_report(self, code: int, when: str) -> str: ...
    def where_logged(self) -> str: ...


@dataclass
class ManagedProcess:
    service: str
    env: dict[str, str]
    log_path: Path
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    restarts: int = 0

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.returncode

    def forget_exit(self) -> None:
        self.process = None

    def where_logged(self) -> str:
        return str(self.log_path)

    async def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log_file:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "edunode.serve",
                self.service,
                env={**os.environ, **self.env},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                preexec_fn=die_with_parent(),
            )
        self.started_at = time.monotonic()

    def exit_report(self, code: int, when: str) -> str:
        """What the operator's terminal shows when the service's process has ended."""
        return (
            f"{self.service} exited with code {code} {when}; "
            f"last lines of {self.log_path}:\n{log_tail(self.log_path)}"
        )

    async def stop(self, timeout: float = 10.0) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


@dataclass
class ForkedService(ManagedProcess):
    """A service in a process of its own, forked from the supervisor instead of started as a
    new interpreter: the modules the supervisor imported before (every service's, through
    `preload_services`) are the same pages in every service's process, copied only where one
    writes to them, where each interpreter would import its own copy (about 100 MB each). The
    process is named after its service (its `comm`: what `ps -o comm`, `top` and `pgrep`
    show); its command line stays the supervisor's."""

    pid: int | None = None
    returncode: int | None = None

    async def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        tie_to_parent = die_with_parent()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # what is buffered is the supervisor's, not the child's to write
        pid = os.fork()
        if pid == 0:
            _serve_forked(self.service, self.env, self.log_path, tie_to_parent)
        self.pid, self.returncode = pid, None
        self.started_at = time.monotonic()

    def exit_code(self) -> int | None:
        if self.pid is not None and self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped by someone else: how it ended is lost
                self.returncode = 255
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def forget_exit(self) -> None:
        self.pid = self.returncode = None

    async def stop(self, timeout: float = 10.0) -> None:
        if self.pid is None or self.exit_code() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self.exit_code() is None:
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
            await asyncio.sleep(0.05)


# What each service would otherwise import after the fork, each its own copy: uvicorn's loop
# and lifespan, and the HTTP client's transport (bench.memory: the idle node 414-419 MB PSS
# without them).
PRELOADED = (
    "uvloop",
    "uvicorn.loops.uvloop",
    "uvicorn.lifespan.on",
    "concurrent.futures.thread",
    "httpcore",
    "h11",
)


def preload_services() -> None:
    """Import every service's app in the supervisor, before it forks them (`ForkedService`),
    and leave those objects out of its garbage collector's passes (`gc.freeze`): a pass over
    them in a child would write to each one's header, copying every page of them."""
    import importlib

    importlib.import_module("edunode.serve")
    for service in ALL_SERVICES:
        importlib.import_module(f"services.{service}.app")
    for module in PRELOADED:
        importlib.import_module(module)
    gc.freeze()


_PR_SET_NAME = 15  # prctl: the calling thread's name, which is the process's `comm`


def _name_process(name: str) -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_NAME, name.encode()[:15])


def _serve_forked(
    service: str, env: dict[str, str], log_path: Path, tie_to_parent: Callable[[], None]
) -> NoReturn:
    """The forked child: leave the supervisor's event loop and signal handlers behind (as
    Python 3.12's asyncio does after a fork), write to the service's log, serve, and exit
    without running anything of the supervisor's (`os._exit`)."""
    code = 1
    try:
        tie_to_parent()
        asyncio.events._set_running_loop(None)
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        _name_process(service)
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        nothing = os.open(os.devnull, os.O_RDONLY)
        for source, target in ((nothing, 0), (log, 1), (log, 2)):
            os.dup2(source, target)
        os.close(log)
        os.close(nothing)
        os.environ.update(env)
        from edunode.serve import serve

        serve(service)
        code = 0
    except SystemExit as exit_:
        if isinstance(exit_.code, int) or exit_.code is None:
            code = exit_.code or 0
        else:
            print(exit_.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# uvicorn's exit code for a server that never started (its app's start-up failed).
STARTUP_FAILURE = 3


@dataclass
class InProcessService:
    """A service served by the node's own process (`--single-process`): its app, on its own
    port with its own database, configured by the same environment variables as in a process
    of its own; its lines are logged on the node's standard error, each naming its service."""

    service: str
    env: dict[str, str]
    server: Any = None  # edunode.serve.SharedProcessServer (uvicorn), imported when used
    task: asyncio.Task[None] | None = None
    started_at: float = 0.0
    restarts: int = 0

    async def start(self) -> None:
        from edunode.serve import shared_process_server

        os.environ.update(self.env)  # every service has its own prefix: they never clash
        context = contextvars.copy_context()
        context.run(SERVICE_IN_PROCESS.set, self.service)
        try:
            self.server = context.run(shared_process_server, self.service)
        except SystemExit as refused:  # a setting refused: said on standard error already
            why = refused.code if isinstance(refused.code, str) else "a setting is refused"
            raise StartupError(f"{self.service} cannot start: {why}") from None
        self.task = asyncio.get_running_loop().create_task(self.server.serve(), context=context)
        self.started_at = time.monotonic()

    def exit_code(self) -> int | None:
        task = self.task
        if task is None or not task.done():
            return None
        if task.cancelled() or task.exception() is not None:
            return 1
        return 0 if self.server.started else STARTUP_FAILURE

    def forget_exit(self) -> None:
        self.task = None

    def where_logged(self) -> str:
        return "the node's standard error"

    def exit_report(self, code: int, when: str) -> str:
        task = self.task
        error = task.exception() if task is not None and not task.cancelled() else None
        cause = f": {error!r}" if error is not None else ""
        return f"{self.service} stopped with code {code} {when}{cause}; see the node's log"

    async def stop(self, timeout: float = 10.0) -> None:
        task = self.task
        if task is None or task.done():
            return
        self.server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            self.server.force_exit = True
        with contextlib.suppress(Exception):
            await task


@dataclass
class Node:
    """A running node under supervision."""

    config: NodeConfig
    on_ready: Callable[[Node], Awaitable[None]] | None = None
    report: Callable[[str], None] = report_to_terminal  # what the operator must see now
    processes: dict[str, Supervised] = field(default_factory=dict)
    nats: NatsServer | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _restarts: set[asyncio.Task[None]] = field(default_factory=set)
    _held: set[str] = field(default_factory=set)  # stopped on purpose: not restarted

    def request_stop(self) -> None:
        self._stopping.set()

    async def stop_services(self) -> None:
        """Stop every service, its supervisor not restarting them until `start_services`
        (the node's gateway and services down, its nats-server still up)."""
        self._held.update(self.processes)
        for managed in self.processes.values():
            await managed.stop()

    async def start_services(self) -> None:
        """Start again the services `stop_services` stopped, and wait until they are ready."""
        for service, managed in self.processes.items():
            if service in self._held:
                managed.forget_exit()
                await managed.start()
        self._held.clear()
        await self.wait_ready()

    async def run(self) -> None:
        """Start everything, supervise until asked to stop, then stop everything."""
        config = self.config
        # Every port first: a taken one fails here, naming it, before anything is started.
        check_ports(config.host, config.listening_ports())
        config.data_dir.mkdir(parents=True, exist_ok=True)
        ensure_token_keys(config)
        init_node_key(config.federation_keys_dir, config.node_id)
        try:
            if config.embedded_nats:
                self.nats = nats_server_for(config)
                # Started from this (the main) thread: the server's parent-death signal
                # fires when the thread that started it ends (die_with_parent).
                self.nats.start()
            await migrate_in_child(config)
            if not config.single_process and config.workers == 1:
                preload_services()
            for service in ALL_SERVICES:
                managed: Supervised
                if config.single_process:
                    managed = InProcessService(service=service, env=config.service_env(service))
                elif config.workers == 1:
                    managed = ForkedService(
                        service=service,
                        env=config.service_env(service),
                        log_path=config.data_dir / "logs" / f"{service}.log",
                    )
                else:  # uvicorn's workers are new interpreters anyway
                    managed = ManagedProcess(
                        service=service,
                        env=config.service_env(service),
                        log_path=config.data_dir / "logs" / f"{service}.log",
                    )
                self.processes[service] = managed
                await managed.start()
            await self.wait_ready()
            if self.on_ready is not None and not self._stopping.is_set():
                await self.on_ready(self)
            await self._supervise()
        finally:
            await self.shutdown()

    async def wait_ready(self, timeout: float = 300.0) -> None:
        """Wait for every service's /readyz. Patient: a loaded machine can take minutes to
        start a node (or three); a service that exits during start-up fails at once."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2.0) as client:
            for service in ALL_SERVICES:
                url = f"{self.config.service_url(service)}/readyz"
                while True:
                    if self._stopping.is_set():
                        return
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get(url)).status_code == 200:
                            break
                    # Any service, not only the one waited for: the gateway is not ready
                    # while a service it fronts has ended.
                    for managed in self.processes.values():
                        code = managed.exit_code()
                        if code is not None:
                            raise StartupError(managed.exit_report(code, "during start-up"))
                    if time.monotonic() > deadline:
                        raise StartupError(
                            f"{service} not ready at {url} after {timeout:.0f} s; see "
                            f"{self.processes[service].where_logged()}"
                        )
                    await asyncio.sleep(0.2)

    async def _supervise(self) -> None:
        while not self._stopping.is_set():
            for managed in self.processes.values():
                code = managed.exit_code()
                if code is None or managed.service in self._held:
                    continue
                uptime = time.monotonic() - managed.started_at
                if uptime > 60:
                    managed.restarts = 0
                delay = min(2.0**managed.restarts, 30.0)
                log.warning(
                    "service_exited",
                    service=managed.service,
                    code=code,
                    restart_in=delay,
                )
                self.report(managed.exit_report(code, f"(restarting it in {delay:.0f} s)"))
                managed.restarts += 1
                managed.forget_exit()
                self._restarts.add(asyncio.create_task(self._restart(managed, delay)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), 0.5)

    async def _restart(self, managed: Supervised, delay: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)
        if not self._stopping.is_set() and managed.exit_code() is None:
            await managed.start()
            log.info("service_restarted", service=managed.service)

    async def shutdown(self) -> None:
        """Stop the gateway first, then the services, then the broker."""
        self._stopping.set()
        await asyncio.gather(*self._restarts, return_exceptions=True)
        gateway = self.processes.get("gateway")
        if gateway is not None:
            await gateway.stop()
        await asyncio.gather(*(m.stop() for name, m in self.processes.items() if name != "gateway"))
        if self.nats is not None:
            await asyncio.to_thread(self.nats.stop)


def install_signal_handlers(stop: Callable[[], None]) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
