"""The NATS JetStream connection of a service, and streams declared in code.

The connection is made in the background and retried for ever: a service starts, serves and
accepts writes while the broker is down (the outbox holds the events), and reports it in
`/readyz`. Streams are provisioned idempotently at start: created if missing, updated to the
declared configuration otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import nats
import structlog
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import ExternalStream, StorageType, StreamConfig, StreamSource
from nats.js.errors import NotFoundError

log = structlog.get_logger("edunode.bus")


class BusUnavailable(RuntimeError):
    """The broker cannot be reached right now."""


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Cancel a worker task that talks to NATS and wait until it has ended. The cancellation
    is repeated until it takes: nats.py swallows a CancelledError that arrives while it queues
    a flush (a publish or an ack on a busy connection), and the worker's loop carries on. A
    worker that had already died of an error is logged, not raised: stopping goes on to the
    next worker."""
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.05)
    if not task.cancelled() and task.exception() is not None:
        log.error("worker_had_failed", worker=task.get_name(), exc_info=task.exception())


@dataclass(frozen=True)
class StreamSpec:
    """A JetStream stream as the code declares it."""

    name: str
    subjects: list[str]
    duplicate_window_seconds: float = 3600.0
    max_age_seconds: float | None = None
    description: str | None = None
    # Streams sourced from other JetStream domains: (stream name, domain).
    sources: list[tuple[str, str]] = field(default_factory=list)
    # Copies kept by a clustered JetStream (1 on a single server).
    replicas: int = 1

    def to_config(self) -> StreamConfig:
        return StreamConfig(
            name=self.name,
            subjects=list(self.subjects) or None,
            sources=[
                StreamSource(name=name, external=ExternalStream(api=f"$JS.{domain}.API"))
                for name, domain in self.sources
            ]
            or None,
            storage=StorageType.FILE,
            num_replicas=self.replicas,
            duplicate_window=self.duplicate_window_seconds,
            max_age=self.max_age_seconds or 0,
            description=self.description,
        )


@dataclass
class Bus:
    """A resilient NATS connection; `js` is usable once `connected` is true."""

    url: str
    name: str
    streams: list[StreamSpec] = field(default_factory=list)
    nc: Client | None = None
    _js: JetStreamContext | None = None
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Connect (and provision streams) in the background."""
        self._task = asyncio.create_task(self._connect(), name=f"bus-connect:{self.name}")

    async def _connect(self) -> None:
        self.nc = await nats.connect(
            servers=[self.url],
            name=self.name,
            max_reconnect_attempts=-1,
            reconnect_time_wait=0.5,
            connect_timeout=2,
            ping_interval=10,
            error_cb=self._on_error,
            disconnected_cb=self._on_disconnected,
            reconnected_cb=self._on_reconnected,
        )
        while True:
            try:
                await self.provision(self.streams)
                break
            except Exception as error:  # JetStream may still be starting: retry
                log.warning("stream_provisioning_failed", error=str(error))
                await asyncio.sleep(1)
        self._ready.set()
        log.info("bus_connected", url=self.url)

    async def _on_error(self, error: Exception) -> None:
        log.debug("nats_error", error=str(error))

    async def _on_disconnected(self) -> None:
        log.warning("nats_disconnected", url=self.url)

    async def _on_reconnected(self) -> None:
        log.info("nats_reconnected", url=self.url)

    @property
    def connected(self) -> bool:
        return self._ready.is_set() and self.nc is not None and self.nc.is_connected

    async def wait_ready(self) -> None:
        await self._ready.wait()

    @property
    def js(self) -> JetStreamContext:
        if self.nc is None or not self._ready.is_set():
            raise BusUnavailable("not connected to NATS yet")
        # One context for the connection: asynchronous publishes share its reply subscription.
        if self._js is None:
            self._js = self.nc.jetstream(timeout=5)
        return self._js

    async def provision(self, specs: list[StreamSpec]) -> None:
        """Create or update each declared stream; safe to run on every start."""
        if self.nc is None:
            raise BusUnavailable("not connected to NATS")
        jsm = self.nc.jsm(timeout=5)
        for spec in specs:
            config = spec.to_config()
            try:
                await jsm.stream_info(spec.name)
            except NotFoundError:
                await jsm.add_stream(config)
                log.info("stream_created", stream=spec.name)
            else:
                await jsm.update_stream(config)

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.nc is not None and not self.nc.is_closed:
            # close, not drain: every handled message is acked already, an unacked one is
            # redelivered, and draining a pull subscription waits out its full timeout.
            with contextlib.suppress(Exception):
                await self.nc.flush(timeout=2)
            with contextlib.suppress(Exception):
                await self.nc.close()
