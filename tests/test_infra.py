"""The test infrastructure itself, against real processes: nats-server and PostgreSQL."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.aio.msg import Msg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from edunode.natsserver import (
    NatsServer,
    NatsServerConfig,
    NatsServerError,
    find_free_port,
    nats_server_binary,
    render_config,
)
from tests.support.postgres import PostgresCluster, find_postgres_bin_dir


def _nats(tmp_path: Path, name: str, **options: Any) -> NatsServer:
    config = NatsServerConfig(
        name=name, port=find_free_port(), store_dir=tmp_path / name / "store", **options
    )
    return NatsServer(config, tmp_path / name / "nats")


# -- nats-server -------------------------------------------------------------------------------


def test_rendered_config_is_accepted_by_nats_server(tmp_path: Path) -> None:
    config = NatsServerConfig(
        name="my",
        port=4222,
        store_dir=tmp_path / "store",
        domain="my",
        leafnode_port=7422,
        leaf_remotes=["nats-leaf://127.0.0.1:7423", "nats-leaf://127.0.0.1:7424"],
        http_port=8222,
        max_memory_store=64 * 1024 * 1024,
        max_file_store=1024 * 1024 * 1024,
    )
    rendered = render_config(config)
    assert 'sync_interval: "always"' in rendered
    assert 'domain: "my"' in rendered
    path = tmp_path / "nats.conf"
    path.write_text(rendered)

    check = subprocess.run(
        [nats_server_binary(), "-c", str(path), "-t"], capture_output=True, text=True, check=False
    )

    assert check.returncode == 0, check.stdout + check.stderr


def test_server_runs_jetstream_with_sync_always_and_domain(tmp_path: Path) -> None:
    with _nats(tmp_path, "my", domain="my", http_port=find_free_port()) as server:
        jetstream = server.monitoring("varz")["jetstream"]["config"]

    assert jetstream["sync_always"] is True
    assert jetstream["domain"] == "my"
    assert not server.is_running()


def test_start_failure_reports_the_log(tmp_path: Path) -> None:
    with _nats(tmp_path, "first") as first:
        clash = NatsServer(
            NatsServerConfig(name="second", port=first.config.port, store_dir=tmp_path / "s2"),
            tmp_path / "second",
            start_timeout=3.0,
        )
        with pytest.raises(NatsServerError, match="last lines of"):
            clash.start()
        assert not clash.is_running()


async def test_jetstream_suppresses_duplicate_msg_id_and_persists_across_restarts(
    tmp_path: Path,
) -> None:
    with _nats(tmp_path, "my", domain="my") as server:
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        await js.add_stream(name="EVT_MY", subjects=["evt.my.>"])
        headers = {"Nats-Msg-Id": str(uuid.uuid4())}

        first = await js.publish("evt.my.institutions.created", b"{}", headers=headers)
        second = await js.publish("evt.my.institutions.created", b"{}", headers=headers)
        await nc.close()

        assert not first.duplicate
        assert second.duplicate
        assert second.seq == first.seq

        server.restart()
        after_restart = await _stream_messages(server, "EVT_MY")
        server.kill()  # a crash: no shutdown at all
        server.start()
        after_crash = await _stream_messages(server, "EVT_MY")

    assert after_restart == 1
    assert after_crash == 1


async def _stream_messages(server: NatsServer, stream: str) -> int:
    nc = await nats.connect(server.url)
    try:
        info = await nc.jetstream().stream_info(stream)
    finally:
        await nc.close()
    return info.state.messages


async def test_message_published_on_leaf_reaches_hub(tmp_path: Path) -> None:
    hub = _nats(
        tmp_path, "hub", domain="hub", leafnode_port=find_free_port(), http_port=find_free_port()
    )
    with hub, _nats(tmp_path, "my", domain="my", leaf_remotes=[hub.leafnode_url]) as leaf:
        hub.wait_for_leafnodes(1, timeout=5.0)
        hub_nc = await nats.connect(hub.url)
        leaf_nc = await nats.connect(leaf.url)
        try:
            received: asyncio.Future[Msg] = asyncio.get_running_loop().create_future()

            async def on_message(msg: Msg) -> None:
                if not received.done():
                    received.set_result(msg)

            await hub_nc.subscribe("evt.my.>", cb=on_message)
            await hub_nc.flush()

            # Interest crosses the leaf connection asynchronously: publish until it arrives.
            async with asyncio.timeout(5.0):
                while not received.done():
                    await leaf_nc.publish("evt.my.institutions.created", b"hello")
                    await asyncio.wait({received}, timeout=0.05)
            msg = received.result()

            # Each domain's JetStream stays reachable by name across the leaf connection.
            leaf_account = await hub_nc.jetstream(domain="my").account_info()
        finally:
            await hub_nc.close()
            await leaf_nc.close()

    assert msg.subject == "evt.my.institutions.created"
    assert msg.data == b"hello"
    assert leaf_account.domain == "my"


# -- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresCluster]:
    with PostgresCluster() as cluster:
        yield cluster


async def test_postgres_database_answers_through_sqlalchemy(postgres: PostgresCluster) -> None:
    url = postgres.create_database("infra_check")
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("select 1"))).scalar_one() == 1
            encoding = (await conn.execute(text("show server_encoding"))).scalar_one()
    finally:
        await engine.dispose()
    postgres.drop_database("infra_check")

    assert url == postgres.url_for("infra_check")
    assert url.startswith("postgresql+asyncpg://")
    assert encoding == "UTF8"


def test_postgres_stop_leaves_no_process_and_no_files() -> None:
    cluster = PostgresCluster()
    cluster.start()
    root, port, pid = cluster.root, cluster.port, cluster.pid
    assert pid is not None
    processes = {pid, *_children(pid)}
    assert len(processes) > 1  # the postmaster and its background workers

    cluster.stop()

    assert not cluster.is_running()
    assert not processes & _live_pids()
    assert not root.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def _live_pids() -> set[int]:
    """Processes that exist and are not zombies (a zombie has exited, only its entry remains)."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            pids.add(int(stat.parent.name))
    return pids


def _children(parent: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent:
            children.add(int(stat.parent.name))
    return children


def test_postgres_runs_from_the_pgserver_binaries() -> None:
    # What a fresh CI machine without PostgreSQL installed falls back to.
    spec = importlib.util.find_spec("pgserver")
    assert spec is not None and spec.origin is not None, "pgserver (a dev dependency) is missing"
    bundled = Path(spec.origin).parent / "pginstall" / "bin"
    with PostgresCluster(bin_dir=bundled) as cluster:
        url = cluster.create_database("bundled")

    assert find_postgres_bin_dir().is_dir()
    assert url.endswith("/bundled")
