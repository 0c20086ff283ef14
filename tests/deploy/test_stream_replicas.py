"""`EDUNODE_<SERVICE>_STREAM_REPLICAS`: on a node's three-server JetStream cluster (as the
Helm values run it) the services provision their streams with three copies; a bad value stops
the service with a message naming the variable."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import nats
import pytest
from pydantic import ValidationError

from edunode.natsserver import find_free_port, nats_server_binary
from services.quality.settings import QualitySettings
from shared.bus import Bus
from shared.events import node_stream_name
from shared.runtime import node_streams
from shared.settings import describe_validation_error
from tests.conftest import eventually


def log_tails(root: Path, lines: int = 15) -> str:
    """The last lines each server logged, route chatter left out, for a failure message."""
    tails = []
    for log in sorted(root.glob("n*/nats.log")):
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
        kept = [
            line
            for line in text
            if "Route connection" not in line and "Router connection" not in line
        ]
        tails.append(f"--- {log.parent.name}\n" + "\n".join(kept[-lines:]))
    return "\n".join(tails)


@contextmanager
def cluster(root: Path) -> Iterator[list[str]]:
    """Three nats-servers clustered, JetStream domain `my`, under `root`; yields their client
    URLs. Their logs stay in `root/n*/nats.log`."""
    clients = [find_free_port() for _ in range(3)]
    routes = [find_free_port() for _ in range(3)]
    with ExitStack() as stack:
        for n in range(3):
            directory = root / f"n{n}"
            directory.mkdir(parents=True)
            config = {
                "server_name": f"edunode-my-{n}",
                "listen": f"127.0.0.1:{clients[n]}",
                "jetstream": {"store_dir": str(directory / "store"), "domain": "my"},
                "cluster": {
                    "name": "edunode-my",
                    "listen": f"127.0.0.1:{routes[n]}",
                    "routes": [f"nats-route://127.0.0.1:{port}" for port in routes],
                },
            }
            path = directory / "nats.conf"
            path.write_text(json.dumps(config), encoding="utf-8")
            log = stack.enter_context((directory / "nats.log").open("ab"))
            process = subprocess.Popen(
                [nats_server_binary(), "-c", str(path)], stdout=log, stderr=subprocess.STDOUT
            )
            stack.callback(process.wait, 10)
            stack.callback(process.terminate)
        yield [f"nats://127.0.0.1:{port}" for port in clients]


async def provisioned_with_three_copies(urls: list[str], root: Path) -> str | None:
    """Provision the node's streams with three copies on the cluster at `urls`, check where
    they are kept and that they take events; None, or why the cluster never got ready."""
    client = await nats.connect(urls, connect_timeout=2, max_reconnect_attempts=-1)
    try:
        bus = Bus(url=urls[0], name="replicas-test", nc=client)
        errors: list[str] = []

        async def provisioned() -> bool:
            try:
                await bus.provision(node_streams("my", replicas=3))
            except Exception as error:  # the cluster is still electing its meta leader
                errors.append(f"{type(error).__name__}: {error}")
                return False
            return True

        try:
            await eventually(provisioned, timeout=75, interval=0.5, what="JetStream cluster ready")
        except AssertionError as failure:
            return f"{failure}; last errors: {errors[-3:]}\n{log_tails(root)}"
        info = await client.jsm().stream_info(node_stream_name("my"))
        assert info.config.num_replicas == 3
        assert info.cluster is not None
        assert len(info.cluster.replicas or []) == 2

        for n in range(5):
            await client.jetstream().publish(f"evt.my.institutions.institution.created{n}", b"{}")
        await asyncio.sleep(0.5)
        assert (await client.jsm().stream_info(node_stream_name("my"))).state.messages == 5
        return None
    finally:
        await client.close()


async def test_streams_are_kept_by_three_servers_when_asked(tmp_path: Path) -> None:
    # Electing the meta leader takes 2 to 13 s here; once, in CI, none came within 60 s. That
    # election is the server's own; what this test checks is the services' provisioning. So a
    # cluster that never gets ready is replaced once by a fresh one (and its logs printed).
    failures = []
    for attempt in range(2):
        root = tmp_path / f"attempt{attempt}"
        with cluster(root) as urls:
            failure = await provisioned_with_three_copies(urls, root)
        if failure is None:
            return
        print(f"attempt {attempt}: {failure}")
        failures.append(failure)
    raise AssertionError("\n\n".join(failures))


def test_the_default_is_one_copy_and_a_bad_value_names_its_variable() -> None:
    settings = QualitySettings(node_id="my", database_url="sqlite+aiosqlite:///x.db")
    assert settings.stream_replicas == 1
    assert {s.replicas for s in node_streams("my")} == {1}
    with pytest.raises(ValidationError) as caught:
        QualitySettings(node_id="my", database_url="sqlite+aiosqlite:///x.db", stream_replicas=0)
    message = describe_validation_error(QualitySettings, caught.value)
    assert "EDUNODE_QUALITY_STREAM_REPLICAS" in message
