"""Run one service in this process: `python -m edunode.serve <service>`.

Settings come from the environment with the service's prefix (`EDUNODE_<SERVICE>_...`), as
`edunode up` sets them for each process it supervises.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib
import itertools
import os
import shutil
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from prometheus_client import multiprocess

from shared.http_server import LimitedHttpToolsProtocol
from shared.metrics import MULTIPROCESS_DIRECTORY
from shared.settings import ServiceSettings, load_settings

SERVICES = ("gateway", "institutions", "quality", "recognition", "credentials", "mobility")
SERVICE_VARIABLE = "EDUNODE_SERVE_SERVICE"


def _settings_class(service: str) -> type[ServiceSettings]:
    settings_module = importlib.import_module(f"services.{service}.settings")
    return next(
        value
        for name, value in vars(settings_module).items()
        if name.endswith("Settings")
        and isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
    )


def create_app(service: str, settings: ServiceSettings) -> Any:
    module = importlib.import_module(f"services.{service}.app")
    return module.create_app(settings)


_background_lock: int | None = None


def app_from_environment() -> Any:
    """The app of the service named in `EDUNODE_SERVE_SERVICE`: what each uvicorn worker
    process builds when a service runs with several workers. The background workers must run
    in exactly one process per service (docs/deployment.md): the worker that holds an exclusive
    lock on the service's lock file runs them, the others only serve HTTP. The lock goes with
    its process, so a worker started after it died takes over."""
    global _background_lock
    service = os.environ[SERVICE_VARIABLE]
    settings = load_settings(_settings_class(service))
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        # This worker's live gauges leave the sums when it exits; its counts stay in them.
        atexit.register(multiprocess.mark_process_dead, os.getpid())
    if settings.background_workers:
        lock_path = Path(tempfile.gettempdir()) / (
            f"edunode-{settings.node_id}-{service}-{settings.port}.lock"
        )
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            settings = settings.model_copy(update={"background_workers": False})
        else:
            _background_lock = descriptor  # held for the life of this process
    return create_app(service, settings)


def server_options(service: str, settings: ServiceSettings) -> dict[str, Any]:
    """How uvicorn serves a service, in a process of its own or beside the others."""
    return {
        "host": settings.host,
        "port": settings.port,
        "loop": "uvloop",
        "http": LimitedHttpToolsProtocol,  # httptools, with bounded request heads
        "ws": "none",  # no service speaks WebSocket (LimitedHttpToolsProtocol)
        "log_config": None,
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 10,
        # The gateway is the front door: it must not take X-Forwarded-For from its callers.
        "proxy_headers": service != "gateway",
    }


class SharedProcessServer(uvicorn.Server):
    """A service's server in a process that serves several (`edunode up --single-process`):
    the process's signals are its supervisor's, which stops each server in turn."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def shared_process_server(service: str) -> SharedProcessServer:
    """A server of `service`, configured by its environment variables as in a process of its
    own, to be run (`serve()`) inside the running event loop beside the other services'."""
    settings = load_settings(_settings_class(service))
    if settings.workers != 1:
        raise SystemExit(f"{service}: one process serves every service; it takes no workers")
    return SharedProcessServer(
        uvicorn.Config(create_app(service, settings), **server_options(service, settings))
    )


def serve(service: str) -> None:
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; one of: {', '.join(SERVICES)}")
    settings = load_settings(_settings_class(service))
    options = server_options(service, settings)
    if settings.workers == 1:
        uvicorn.run(create_app(service, settings), **options)
        return
    # Several processes share the port; each builds its app from the environment, and they
    # keep their metrics in files of one directory, emptied at each start, so that a scrape
    # answered by any of them shows all of theirs (shared.metrics).
    os.environ[SERVICE_VARIABLE] = service
    metrics_directory = Path(tempfile.gettempdir()) / (
        f"edunode-{settings.node_id}-{service}-{settings.port}-metrics"
    )
    shutil.rmtree(metrics_directory, ignore_errors=True)
    metrics_directory.mkdir(mode=0o700)
    os.environ[MULTIPROCESS_DIRECTORY] = str(metrics_directory)
    try:
        uvicorn.run(
            "edunode.serve:app_from_environment", factory=True, workers=settings.workers, **options
        )
    finally:
        shutil.rmtree(metrics_directory, ignore_errors=True)


def served_service(command_line: bytes) -> str | None:
    """The service a process serves, from its NUL-separated command line
    (`/proc/<pid>/cmdline` of `edunode serve gateway`); None for any other process."""
    arguments = [part.decode(errors="replace") for part in command_line.split(b"\0") if part]
    for word, following in itertools.pairwise(arguments):
        if word == "serve" and following in SERVICES:
            return following
    return None


def readyz_url(service: str) -> str:
    """Where the service configured by this environment answers `/readyz` on this host."""
    settings = load_settings(_settings_class(service))
    host = "127.0.0.1" if settings.host in {"0.0.0.0", "::", ""} else settings.host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}/readyz"


def is_ready(url: str, timeout: float = 3.0) -> bool:
    """Whether `url` answers 200 within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, ValueError):  # refused, timed out, or an error status
        return False


def probe(service: str | None = None) -> bool:
    """The container's health check (the image's HEALTHCHECK): the service this container
    serves (its first process, `edunode serve SERVICE`) answers `/readyz`. A container that
    serves nothing (a migration, the CLI, nats-server) has nothing to probe and passes."""
    if service is None:
        try:
            service = served_service(Path("/proc/1/cmdline").read_bytes())
        except OSError:
            service = None
    if service is None:
        return True
    return is_ready(readyz_url(service))


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else "")
