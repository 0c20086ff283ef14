"""A node's services held down on purpose (`Node.stop_services`, what the demo does to show a
credential verified while its issuer is down) stay down, the supervisor not restarting them,
until `Node.start_services`; for both ways of running a node: a process per service, forked
from the supervisor, and every service in the supervisor's process."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from unittest import mock

import httpx
import pytest

from edunode.node import ALL_SERVICES, Node, NodeConfig
from tests.support.network import free_port_block

pytestmark = pytest.mark.slow


async def _refused(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await client.get(url)
    except httpx.ConnectError:
        return True
    return False


@pytest.mark.parametrize("single_process", [False, True], ids=["forked", "single process"])
async def test_services_held_down_stay_down_until_started_again(
    tmp_path: Path, single_process: bool
) -> None:
    config = NodeConfig(
        node_id="cn",
        data_dir=tmp_path / "cn",
        port=free_port_block(7),
        single_process=single_process,
    )
    checked: list[str] = []

    async def hold_down_then_start_again(node: Node) -> None:
        urls = [f"{config.service_url(service)}/readyz" for service in ALL_SERVICES]
        await node.stop_services()
        # Longer than the supervisor's first restart delay (1 s): nothing comes back.
        for _ in range(3):
            assert all([await _refused(url) for url in urls])
            await asyncio.sleep(1.0)
        checked.append("down")
        await node.start_services()
        async with httpx.AsyncClient(timeout=10) as client:
            for url in urls:
                assert (await client.get(url)).status_code == 200, url
        checked.append("up again")
        node.request_stop()

    node = Node(config, on_ready=hold_down_then_start_again)
    # A single-process node configures its services through its own environment (it is the
    # whole process when run by `edunode up`): here it runs in the test's process, whose
    # environment the later tests must find as it was.
    with mock.patch.dict(os.environ):
        await asyncio.wait_for(node.run(), timeout=600)
    assert checked == ["down", "up again"]
    assert all(
        [await _refused(f"{config.service_url(service)}/healthz") for service in ALL_SERVICES]
    )
