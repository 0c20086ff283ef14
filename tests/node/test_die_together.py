"""Processes die together (issue 16): `kill -9` of `edunode hub` or `edunode up` leaves no
nats-server, and no service, running without its supervisor."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from edunode.deploy import write_dev_certificates
from edunode.natsserver import find_free_port
from edunode.node import ALL_SERVICES
from tests.node.test_edunode_up import _alive, _descendants, _edunode, _served_by
from tests.support.network import free_port_block

pytestmark = pytest.mark.slow


def _command_of(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def _wait(check: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            tail = log.read_text()[-3000:]
            raise AssertionError(f"{what} not reached in {timeout:.0f} s\n{tail}")
        time.sleep(0.2)


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _edunode(*args),
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own group: teardown reaches whatever would be left over
    )


def _kill_and_expect_no_orphans(
    process: subprocess.Popen[bytes], children: set[int], log: Path
) -> None:
    try:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        _wait(
            lambda: not any(_alive(pid) for pid in children),
            timeout=60,
            what="every child of the killed supervisor gone",
            log=log,
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def test_kill_9_of_edunode_hub_leaves_no_nats_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "hub"
    write_dev_certificates(data_dir / "tls", ["127.0.0.1"])
    log = tmp_path / "hub.log"
    process = _start(
        [
            "hub", "--data-dir", str(data_dir), "--port", str(find_free_port()),
            "--leafnode-port", str(find_free_port()),
        ],
        log,
    )  # fmt: skip
    _wait(lambda: b"hub is up" in log.read_bytes(), timeout=60, what="hub up", log=log)
    servers = {pid for pid in _descendants(process.pid) if "nats-server" in _command_of(pid)}
    assert len(servers) == 1
    _kill_and_expect_no_orphans(process, servers, log)


def test_kill_9_of_edunode_up_leaves_no_nats_server_and_no_service(tmp_path: Path) -> None:
    port = free_port_block()
    log = tmp_path / "up.log"
    process = _start(
        ["up", "--node", "cn", "--port", str(port), "--data-dir", str(tmp_path / "cn")], log
    )

    def ready() -> bool:
        with contextlib.suppress(httpx.HTTPError):
            up = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
            return up and b"is up" in log.read_bytes()
        return False

    _wait(ready, timeout=180, what="node up", log=log)
    children = _descendants(process.pid)
    commands = [_command_of(pid) for pid in children]
    assert any("nats-server" in command for command in commands)
    assert {_served_by(pid) for pid in children} >= set(ALL_SERVICES)
    _kill_and_expect_no_orphans(process, children, log)
