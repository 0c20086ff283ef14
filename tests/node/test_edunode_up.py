"""`edunode up` end to end: a whole node in a subprocess, driven over real HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from edunode.node import ALL_SERVICES, SERVICE_PORT_OFFSETS
from tests.support.network import free_port_block

pytestmark = pytest.mark.slow

SINGLE_PROCESS = "single process"  # `edunode up --single-process`


def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _edunode(*args: str) -> list[str]:
    return [sys.executable, "-m", "edunode.cli", *args]


def _flock_holders() -> list[int]:
    """The processes holding a `flock` lock right now (from /proc/locks)."""
    return [
        int(fields[4])
        for fields in (line.split() for line in Path("/proc/locks").read_text().splitlines())
        if fields[1] == "FLOCK"
    ]


@pytest.fixture
def running_node(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = free_port_block(max(SERVICE_PORT_OFFSETS.values()) + 1)
    data_dir = tmp_path / "cn"
    mode = getattr(request, "param", 1)  # workers per service, or SINGLE_PROCESS
    command = ["up", "--node", "cn", "--port", str(port), "--data-dir", str(data_dir)]
    command += ["--single-process"] if mode == SINGLE_PROCESS else ["--workers", str(mode)]
    process = subprocess.Popen(
        _edunode(*command),
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "up.log", "wb"),  # noqa: SIM115
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group, so that teardown reaches every child
    )
    try:
        deadline = time.monotonic() + 330  # the node waits 300 s for its services itself
        while True:
            # The node's own "is up" (its supervision begins), not only the gateway's readiness:
            # a service killed before the node has seen every service ready fails the start-up.
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                ready = False
            if ready and b"is up" in (tmp_path / "up.log").read_bytes():
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("node did not start:\n" + (tmp_path / "up.log").read_text())
            time.sleep(0.3)
        yield process, port, data_dir
    finally:
        # a node still running is stopped as an operator would (SIGTERM), then its whole group
        # is killed: a SIGKILL to `edunode up` alone would leave its nats-server running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.parametrize("running_node", [1, 2], indirect=True, ids=["1 worker", "2 workers"])
def test_up_serves_writes_events_and_stops_cleanly(
    running_node: tuple[subprocess.Popen[bytes], int, Path], request: pytest.FixtureRequest
) -> None:
    process, port, data_dir = running_node
    base = f"http://127.0.0.1:{port}"
    # The generated nats-server config is readable and durable.
    assert "sync_interval" in (data_dir / "nats" / "nats.conf").read_text()
    token = _registrar_token(base, data_dir)

    anonymous = httpx.post(f"{base}/v1/institutions", json={"name": "X", "country": "CN"})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"

    _create_institution_and_see_it_at_quality(base, token)

    spec = httpx.get(f"{base}/openapi.json").json()
    assert "/v1/institutions" in spec["paths"]
    assert "/v1/quality/institutions" in spec["paths"]

    # A scrape of a service's port shows the requests of all its workers, whichever answers.
    institutions = f"http://127.0.0.1:{port + 1}"
    for _ in range(20):  # a connection each: the workers share them
        assert httpx.get(f"{institutions}/v1/institutions/{uuid.uuid4()}").status_code == 404
    missed = {
        "service": "institutions",
        "method": "GET",
        "route": "/v1/institutions/{institution_id}",
        "status": "404",
    }
    for _ in range(6):
        samples = [
            (sample.name, sample.labels, sample.value)
            for family in text_string_to_metric_families(httpx.get(f"{institutions}/metrics").text)
            for sample in family.samples
        ]
        assert [
            value for name, labels, value in samples
            if name == "edunode_http_requests_total" and labels == missed
        ] == [20]  # fmt: skip
        # A gauge is one measurement, not one per worker.
        assert [
            value for name, labels, value in samples if name == "edunode_outbox_backlog"
        ] == [0]  # fmt: skip

    children = _descendants(process.pid)
    if "2 workers" in request.node.name:
        # Each service: its uvicorn supervisor and two workers, of which exactly one holds the
        # service's lock and so runs the background workers (the relay, the consumers).
        assert len(children) >= len(ALL_SERVICES) * 3 + 1
        assert len([pid for pid in _flock_holders() if pid in children]) == len(ALL_SERVICES)
    else:
        assert len(children) >= len(ALL_SERVICES) + 1  # every service and the nats-server
    _stop_and_expect_no_survivors(process, children)


def _registrar_token(base: str, data_dir: Path) -> str:
    """An access token of a registrar client, created as an operator does."""
    created = subprocess.run(
        _edunode(
            "clients",
            "create",
            "--name",
            "registrar",
            "--role",
            "registrar",
            "--node",
            "cn",
            "--data-dir",
            str(data_dir),
        ),
        capture_output=True,
        check=True,
    )
    credentials = json.loads(created.stdout)
    token: str = httpx.post(
        f"{base}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
        },
    ).json()["access_token"]
    return token


def _create_institution_and_see_it_at_quality(base: str, token: str) -> str:
    """An institution created at the institutions service (through the gateway) and applied
    by the quality service from its event, over NATS; returns its id."""
    response = httpx.post(
        f"{base}/v1/institutions",
        json={"name": "Peking University", "country": "CN", "city": "Beijing"},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "e2e-create-1"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["x-request-id"] == "e2e-create-1"
    institution_id = response.json()["id"]

    # The quality service applies the event into its own reference table.
    deadline = time.monotonic() + 30
    while True:
        seen = httpx.get(f"{base}/v1/quality/institutions/{institution_id}")
        if seen.status_code == 200:
            assert seen.json()["name"] == "Peking University"
            assert seen.json()["version"] == 1
            break
        assert time.monotonic() < deadline, f"event never applied: {seen.text}"
        time.sleep(0.2)
    return str(institution_id)


def _stop_and_expect_no_survivors(process: subprocess.Popen[bytes], children: set[int]) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)], "child processes survived"


def test_a_crashed_service_is_restarted(
    running_node: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, port, _ = running_node
    quality_port = port + 2
    before = httpx.get(f"http://127.0.0.1:{quality_port}/healthz").status_code
    assert before == 200
    quality_pid = next(pid for pid in _descendants(process.pid) if _served_by(pid) == "quality")
    os.kill(quality_pid, signal.SIGKILL)
    deadline = time.monotonic() + 90  # a loaded 2-core machine restarts slowly
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{quality_port}/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "quality was not restarted"
        time.sleep(0.2)
    assert not _alive(quality_pid)


@pytest.mark.parametrize("running_node", [SINGLE_PROCESS], indirect=True)
def test_a_single_process_node_serves_its_services_apart_and_stops_cleanly(
    running_node: tuple[subprocess.Popen[bytes], int, Path], tmp_path: Path
) -> None:
    """`edunode up --single-process`: the node's one Python process serves every service on
    its own port, a write at one service reaches another as an event through NATS, and each
    service's log lines name it."""
    process, port, data_dir = running_node
    base = f"http://127.0.0.1:{port}"
    children = _descendants(process.pid)
    commands = [_command_line(pid) for pid in children]
    assert len(children) == 1 and "nats-server" in commands[0], commands
    for service in ALL_SERVICES:  # each on its own port, ready with its own database
        url = f"http://127.0.0.1:{port + SERVICE_PORT_OFFSETS.get(service, 0)}/readyz"
        assert httpx.get(url, timeout=10).status_code == 200, service
    databases = {path.name for path in (data_dir / "db").iterdir()}
    assert {f"{service}.db" for service in ALL_SERVICES} <= databases  # one each

    _create_institution_and_see_it_at_quality(base, _registrar_token(base, data_dir))

    # Each service's app counts its own requests, under its own name.
    quality = f"http://127.0.0.1:{port + SERVICE_PORT_OFFSETS['quality']}"
    assert httpx.get(f"{quality}/v1/quality/institutions/{uuid.uuid4()}").status_code == 404
    scraped = [
        sample.labels
        for family in text_string_to_metric_families(httpx.get(f"{quality}/metrics").text)
        for sample in family.samples
        if sample.name == "edunode_http_requests_total" and sample.labels["status"] == "404"
    ]
    assert {"service": "quality", "method": "GET", "status": "404"}.items() <= scraped[0].items()

    _stop_and_expect_no_survivors(process, children)
    logged = {
        line["service"]
        for line in (
            json.loads(text)
            for text in (tmp_path / "up.log").read_text().splitlines()
            if text.startswith("{")
        )
        if "service" in line
    }
    assert set(ALL_SERVICES) <= logged


def _served_by(pid: int) -> str | None:
    """The service a process of a node serves: forked from the supervisor, it is named after
    it (`comm`); started as `python -m edunode.serve SERVICE` (several workers), it says so."""
    with contextlib.suppress(OSError):
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        if name in ALL_SERVICES:
            return name
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if command[1:3] == [b"-m", b"edunode.serve"] and command[3].decode() in ALL_SERVICES:
            return command[3].decode()
    return None


def _command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""
