"""Whole nodes as real `edunode up` processes under a hub, for the federation tests: start one
(it trusts the hub's CA and the federation's trust list), wait until it is ready, and get an
admin token from it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from edunode.demo import ensure_admin_client
from edunode.node import NodeConfig


def start_node(config: NodeConfig, log_path: Path) -> subprocess.Popen[bytes]:
    args = [
        sys.executable, "-m", "edunode.cli", "up", "--node", config.node_id,
        "--port", str(config.port), "--data-dir", str(config.data_dir),
        "--hub", str(config.hub), "--hub-ca", str(config.hub_ca),
        "--trust", str(config.trust_file),
    ]  # fmt: skip
    return subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("ab"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    # As patient as the node itself (it waits 5 minutes for its services on a busy machine).
    deadline = time.monotonic() + 300
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"node at {url} did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.3)


def ready_token(config: NodeConfig, process: subprocess.Popen[bytes], log: Path) -> str:
    """Wait for a node to be ready, then get an admin token from it."""
    wait_ready(config.service_url("gateway"), process, log)
    credentials = ensure_admin_client(config)
    response = httpx.post(
        f"{config.service_url('gateway')}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
        },
    )
    token: str = response.json()["access_token"]
    return token
