"""The hub operator's commands end to end: `edunode hub` running in its own process, a node's
nats-server (as `edunode up --hub` configures it) dialling it, and `edunode hub admit` /
`revoke` changing who gets in while the hub runs."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from edunode.cli import app
from edunode.deploy import write_dev_certificates
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig, nats_server_for

pytestmark = pytest.mark.slow


def _wait(check: Callable[[], bool], what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"{what} not reached in {timeout:.0f} s\n{tail}")
        time.sleep(0.2)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[Path, int, Path]]:
    data_dir = tmp_path / "hub"
    write_dev_certificates(data_dir / "tls", ["127.0.0.1"])
    leaf_port = find_free_port()
    log = tmp_path / "hub.log"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "edunode.cli", "hub", "--data-dir", str(data_dir),
            "--port", str(find_free_port()), "--leafnode-port", str(leaf_port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait(lambda: b"hub is up" in log.read_bytes(), "hub up", log)
        yield data_dir, leaf_port, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _node(tmp_path: Path, hub_dir: Path, leaf_port: int) -> tuple[NodeConfig, NatsServer]:
    config = NodeConfig(
        node_id="my",
        data_dir=tmp_path / "my",
        hub=f"nats-leaf://127.0.0.1:{leaf_port}",
        hub_ca=hub_dir / "tls" / "ca.crt",
    )
    server = nats_server_for(config)
    server.config.port = find_free_port()
    server.config.http_port = find_free_port()
    return config, server


def _connected(server: NatsServer) -> bool:
    return int(server.monitoring("leafz").get("leafnodes", 0)) == 1


def _cli(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


def test_admit_and_revoke_while_the_hub_runs(tmp_path: Path, hub: tuple[Path, int, Path]) -> None:
    hub_dir, leaf_port, log = hub
    config, server = _node(tmp_path, hub_dir, leaf_port)
    with server:
        # Not admitted yet: refused.
        _wait(
            lambda: "authorization violation" in server.log_tail(200).lower(),
            "the unadmitted node refused",
            server.log_path,
        )
        assert not _connected(server)
        nkey = config.leaf_key().public_key
        _cli("hub", "admit", "--node", "my", "--nkey", nkey, "--data-dir", str(hub_dir))
        _wait(lambda: _connected(server), "the admitted node's link up", log)
        assert nkey in (hub_dir / "nats.conf").read_text()

        _cli("hub", "revoke", "--node", "my", "--data-dir", str(hub_dir))
        _wait(lambda: not _connected(server), "the revoked node's link closed", log)
        time.sleep(3.0)  # its reconnections keep failing
        assert not _connected(server)
        assert nkey not in (hub_dir / "nats.conf").read_text()


def test_the_hub_does_not_start_without_a_certificate(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["hub", "--data-dir", str(tmp_path / "hub")])
    assert result.exit_code == 2
    assert "edunode deploy certs" in result.output
