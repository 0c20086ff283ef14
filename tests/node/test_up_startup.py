"""`edunode up` as an operator starts it (a subprocess, real ports and processes): a taken port
fails at once, naming it; a service that cannot start or that dies later is reported on the
terminal; and whenever the node says ready its merged OpenAPI holds every service's routes
(issue 23)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.network import free_port_block

pytestmark = pytest.mark.slow

# edunode up's documented port layout (`--port` help, docs): the gateway on --port, then
# institutions, quality and recognition on the next three.
RECOGNITION_OFFSET = 3


def _up(port: int, data_dir: Path) -> list[str]:
    return [
        sys.executable, "-m", "edunode.cli", "up", "--node", "cn", "--port", str(port),
        "--data-dir", str(data_dir),
    ]  # fmt: skip


def _flat(text: str) -> str:
    """The terminal's text with the console's line wrapping undone."""
    return " ".join(text.split())


@contextlib.contextmanager
def _node(port: int, data_dir: Path, stderr: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        _up(port, data_dir),
        stdout=subprocess.DEVNULL,
        stderr=stderr.open("wb"),
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        start_new_session=True,
    )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_a_taken_port_fails_at_once_naming_it_its_service_and_its_holder(
    tmp_path: Path,
) -> None:
    port = free_port_block()
    data_dir = tmp_path / "cn"
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port + RECOGNITION_OFFSET))
        squatter.listen()
        with _node(port, data_dir, tmp_path / "up.err") as process:
            code = process.wait(timeout=120)
        terminal = _flat((tmp_path / "up.err").read_text())
    assert code != 0
    assert f"port {port + RECOGNITION_OFFSET} (recognition service)" in terminal
    assert f"pid {os.getpid()}" in terminal  # this test's process holds it
    # At once: nothing was started, not even the node's data dir or its nats-server.
    assert not data_dir.exists()


def test_a_service_that_cannot_start_is_reported_on_the_terminal(tmp_path: Path) -> None:
    port = free_port_block()
    # A setting the recognition service refuses (at least 1 stream replica).
    with _node(
        port, tmp_path / "cn", tmp_path / "up.err", EDUNODE_RECOGNITION_STREAM_REPLICAS="0"
    ) as process:
        code = process.wait(timeout=300)
    terminal = (tmp_path / "up.err").read_text()
    assert code != 0
    assert re.search(r"recognition exited with code [1-9][0-9]* during start-up", terminal)
    assert str(tmp_path / "cn" / "logs" / "recognition.log") in terminal
    assert "EDUNODE_RECOGNITION_STREAM_REPLICAS" in terminal  # the end of its log, saying why


def test_a_single_process_node_refuses_workers_before_starting_anything(tmp_path: Path) -> None:
    data_dir = tmp_path / "cn"
    refused = subprocess.run(
        [*_up(free_port_block(), data_dir), "--single-process", "--workers", "2"],
        capture_output=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "one process serves every service" in _flat(refused.stderr.decode())
    assert not data_dir.exists()


def test_a_service_that_cannot_start_in_a_single_process_node_is_reported(
    tmp_path: Path,
) -> None:
    port = free_port_block(7)
    up = [*_up(port, tmp_path / "cn"), "--single-process"]
    refused = subprocess.run(
        up,
        capture_output=True,
        timeout=300,
        env={**os.environ, "EDUNODE_RECOGNITION_STREAM_REPLICAS": "0"},
    )
    terminal = _flat(refused.stderr.decode())
    assert refused.returncode != 0
    assert "recognition cannot start" in terminal
    assert "EDUNODE_RECOGNITION_STREAM_REPLICAS" in terminal  # what is refused, and why
    for offset in range(7):  # nothing left listening: the services started before are stopped
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port + offset))


def _service_pid(root: int, service: str) -> int:
    """The process serving `service` in the session of `root` (forked from the supervisor and
    named after its service)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            session = int(stat[3])  # state, ppid, pgrp, session
        except OSError:
            continue
        if session == root and name == service:
            return int(entry.name)
    raise AssertionError(f"no {service} process")


def test_ready_means_a_complete_spec_and_a_dying_service_is_reported(tmp_path: Path) -> None:
    port = free_port_block()
    base = f"http://127.0.0.1:{port}"
    err = tmp_path / "up.err"
    with _node(port, tmp_path / "cn", err) as process, httpx.Client(base_url=base) as client:
        deadline = time.monotonic() + 240
        # Polled from the node's first moment: the first 200 of /readyz must already come
        # with every service's routes in /openapi.json.
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if client.get("/readyz", timeout=5).status_code == 200:
                    break
            assert process.poll() is None, err.read_text()
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.1)
        paths = client.get("/openapi.json", timeout=10).json()["paths"]
        # a route of each service, as the README documents them
        assert {"/v1/institutions", "/v1/quality/evaluations", "/v1/frameworks"} <= set(paths)

        # Wait for the supervisor's "is up", then kill a service: the terminal says so.
        while "is up" not in err.read_text():
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.2)
        os.kill(_service_pid(process.pid, "recognition"), signal.SIGKILL)
        while "recognition exited" not in err.read_text():
            assert time.monotonic() < deadline, err.read_text()
            time.sleep(0.2)
        assert f"recognition exited with code {-signal.SIGKILL}" in _flat(err.read_text())
