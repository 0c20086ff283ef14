"""What tracing costs a cheap GET: the kernel's request middleware (`RequestContextMiddleware`:
request id, span, log line, metrics) around a FastAPI app answering `GET /v1/things/{id}` with a
small JSON body, called in-process (no sockets, so the machine's other load does not drown the
difference), with tracing off (the default: ids only) and on (OpenTelemetry's SDK recording a
server span per request and exporting it in batches over OTLP/HTTP to a receiver in another
process, as `EDUNODE_OTLP_ENDPOINT` configures a service). The figure is the CPU time of this
process, so it includes the exporter's thread encoding and posting the spans; "recording"
separates what creating the spans costs (an SDK provider with no exporter).

    .venv/bin/python -m bench.tracing [--requests 20000] [--rounds 5]

Prints the CPU time per request (median of the rounds, modes interleaved) and the difference.
Log lines go to /dev/null at info level, as a service writes one per request."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider

from shared.logging import configure_logging
from shared.tracing import OFF, Tracing
from shared.web import RequestContextMiddleware

RECEIVER = """
import sys, time
from tests.support.otlp import otlp_receiver
with otlp_receiver() as receiver:
    print(receiver.url, flush=True)
    sys.stdin.read()
    print(len(receiver.spans), flush=True)
"""


@contextmanager
def receiver_process() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """An OTLP/HTTP receiver (tests/support/otlp.py) in a process of its own."""
    process = subprocess.Popen(
        [sys.executable, "-c", RECEIVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    try:
        yield process.stdout.readline().strip(), process
    finally:
        if process.poll() is None:
            process.kill()


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id, "name": "A thing"}

    return app


async def run(middleware: RequestContextMiddleware, requests: int) -> float:
    """CPU seconds per request for `requests` GETs through `middleware`."""
    body_sent = False

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal body_sent
        if message["type"] == "http.response.body":
            body_sent = True

    started = time.process_time()
    for n in range(requests):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": f"/v1/things/{n}",
            "raw_path": f"/v1/things/{n}".encode(),
            "query_string": b"",
            "headers": [(b"host", b"bench")],
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
        }
        await middleware(scope, receive, send)  # type: ignore[arg-type]
    assert body_sent
    return (time.process_time() - started) / requests


async def main(requests: int, rounds: int) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # the request log lines
    configure_logging(service="bench", node="cn", level="info", json=True)
    with receiver_process() as (url, process):
        on = Tracing.configured(service="bench", node="cn", endpoint=url)
        recording = Tracing(TracerProvider())
        app = make_app()
        modes = {
            "off": RequestContextMiddleware(app, service="bench", tracing=lambda: OFF),
            "recording": RequestContextMiddleware(app, service="bench", tracing=lambda: recording),
            "on": RequestContextMiddleware(app, service="bench", tracing=lambda: on),
        }
        for middleware in modes.values():
            await run(middleware, 1000)  # warm up
        figures: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(rounds):
            for mode, middleware in modes.items():
                figures[mode].append(await run(middleware, requests))
        on.shutdown()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        exported = int(process.stdout.readline())
    median = {mode: statistics.median(values) * 1e6 for mode, values in figures.items()}
    off = median["off"]
    print(f"CPU per cheap GET through the request middleware ({requests} x {rounds} rounds):")
    for mode, label in (
        ("off", "tracing off (default)"),
        ("recording", "spans recorded, no export"),
        ("on", "exported over OTLP/HTTP"),
    ):
        extra = "" if mode == "off" else f"  (+{median[mode] - off:.1f} µs)"
        print(f"  {label:27} {median[mode]:7.1f} µs{extra}")
    print(f"  spans the receiver got: {exported} (of {(rounds * requests + 1000)} exported)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.rounds))
