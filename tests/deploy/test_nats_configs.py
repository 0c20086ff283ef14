"""The deployment's NATS configurations: generated from the code the CLI uses (the committed
files are exactly what `edunode deploy render` writes), accepted by the real nats-server, and
— run as a hub and two nodes over TLS — letting JetStream sourcing cross the leaf connections
and nothing else."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import nats
import pytest
import yaml
from nats.aio.client import Client as NatsClient
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from typer.testing import CliRunner

from edunode import cli
from edunode.deploy import (
    COMPOSE_NODES,
    HUB_ADMIN_NKEY_VARIABLE,
    HUB_ADMIN_SEED_VARIABLE,
    HUB_URL_VARIABLE,
    LEAF_SEED_VARIABLE,
    hub_helm_values,
    hub_nats_config,
    keeper_command,
    leaf_nkey_variable,
    node_helm_values,
    node_nats_config,
    render_deploy,
    write_dev_certificates,
)
from edunode.hub import connect_admin
from edunode.natsserver import (
    NatsServerConfig,
    find_free_port,
    nats_server_binary,
    render_config,
)
from edunode.node import NodeConfig, nats_server_for
from shared.bus import Bus
from shared.federation import reply_prefix
from shared.nkeys import UserNkey
from shared.runtime import node_streams
from shared.trust import TrustList
from tests.conftest import eventually

ROOT = Path(__file__).resolve().parents[2]
LEAF_KEYS = {node: UserNkey.generate() for node in COMPOSE_NODES}
ADMIN_KEY = UserNkey.generate()


def deploy_environment(hub_url: str = "nats-leaf://hub:7422") -> dict[str, str]:
    """The variables the generated configs read from the environment (the hub's and `my`'s)."""
    env = {leaf_nkey_variable(node): key.public_key for node, key in LEAF_KEYS.items()}
    env[HUB_ADMIN_NKEY_VARIABLE] = ADMIN_KEY.public_key
    env[HUB_URL_VARIABLE] = hub_url
    env[LEAF_SEED_VARIABLE] = LEAF_KEYS["my"].seed
    return env


def node_environment(node: str, leaf_port: int, key: UserNkey | None = None) -> dict[str, str]:
    return {
        HUB_URL_VARIABLE: f"nats-leaf://127.0.0.1:{leaf_port}",
        LEAF_SEED_VARIABLE: (key or LEAF_KEYS[node]).seed,
    }


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tls")
    write_dev_certificates(out, ["127.0.0.1", "localhost", "hub-nats"])
    return out


def check_config(
    text: str, directory: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`nats-server -t`: parse and check a configuration without starting the server."""
    path = directory / "nats.conf"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [nats_server_binary(), "-t", "-c", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=30,
        check=False,
    )


def test_the_committed_files_are_what_edunode_deploy_render_writes() -> None:
    rendered = render_deploy()
    assert set(rendered) >= {"deploy/nats/hub.conf", "deploy/k8s/nats/values-hub.yaml"}
    for relative, text in rendered.items():
        committed = ROOT / relative
        assert committed.exists(), f"{relative} missing: run `edunode deploy render`"
        assert committed.read_text(encoding="utf-8") == text, (
            f"{relative} differs from what edunode/deploy.py renders: run `edunode deploy render`"
        )


def test_the_cli_writes_the_same_files(tmp_path: Path) -> None:
    result = subprocess.run(
        ["edunode", "deploy", "render", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PATH": f"{Path(nats_server_binary()).parent}:{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stderr
    for relative, text in render_deploy().items():
        assert (tmp_path / relative).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", ["hub.conf", *(f"node-{n}.conf" for n in COMPOSE_NODES)])
def test_each_deploy_config_is_accepted_by_nats_server(
    name: str, certificates: Path, tmp_path: Path
) -> None:
    text = (ROOT / "deploy" / "nats" / name).read_text(encoding="utf-8")
    assert "/etc/nats/tls/" in text
    local = text.replace("/etc/nats/tls", str(certificates))
    result = check_config(local, tmp_path, deploy_environment())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "is valid" in result.stdout + result.stderr


def test_nats_server_refuses_a_node_config_without_its_hub_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The check above means something: without the variable the config does not load.
    text = (ROOT / "deploy" / "nats" / "node-my.conf").read_text(encoding="utf-8")
    env = deploy_environment()
    del env[HUB_URL_VARIABLE]
    monkeypatch.delenv(HUB_URL_VARIABLE, raising=False)
    result = check_config(text, tmp_path, env)
    assert result.returncode != 0
    assert HUB_URL_VARIABLE in result.stderr + result.stdout


def test_every_deploy_config_keeps_jetstream_fsync_on_every_write() -> None:
    for name in ["hub.conf", *(f"node-{n}.conf" for n in COMPOSE_NODES)]:
        text = (ROOT / "deploy" / "nats" / name).read_text(encoding="utf-8")
        assert re.search(r'sync_interval: "always"', text), name
    for node in COMPOSE_NODES:
        text = (ROOT / "deploy" / "nats" / f"node-{node}.conf").read_text(encoding="utf-8")
        assert f'domain: "{node}"' in text


def test_the_cli_node_signs_in_to_the_hub_without_its_seed_in_the_file(tmp_path: Path) -> None:
    """`edunode up --hub`: the leaf remote signs in with the node's NKey, whose seed reaches
    nats-server through its environment, never through the file an operator reads."""
    config = NodeConfig(
        node_id="my",
        data_dir=tmp_path,
        hub="nats-leaf://127.0.0.1:7422",
        hub_ca=Path(__file__),  # any existing file: only its path is rendered
    )
    server = nats_server_for(config)
    text = render_config(server.config)
    seed = config.leaf_key().seed
    assert seed not in text and "nkey: $EDUNODE_LEAF_SEED" in text
    assert server.environment == {"EDUNODE_LEAF_SEED": seed}
    assert f'ca_file: "{Path(__file__).resolve()}"' in text
    assert (config.leaf_seed_file.stat().st_mode & 0o777) == 0o600
    alone = render_config(nats_server_for(NodeConfig(node_id="de", data_dir=tmp_path)).config)
    assert "leafnodes" not in alone


def _merge_fragment_as_config(values: dict[str, Any], store: Path, port: int) -> str:
    """A nats.conf (JSON is valid NATS config) from the parts of the Helm values edunode
    sets in the server's configuration: JetStream's merge and the top-level merge."""
    jetstream = {"store_dir": str(store), **values["config"]["jetstream"]["merge"]}
    config = {"listen": f"127.0.0.1:{port}", "jetstream": jetstream, **values["config"]["merge"]}
    text = json.dumps(config, indent=2)
    # The chart writes `<< $VAR >>` unquoted: a variable from the environment.
    return re.sub(r'"<< (\$[A-Z_]+) >>"', r"\1", text)


def test_the_hub_helm_values_carry_a_valid_nats_configuration(tmp_path: Path) -> None:
    values = yaml.safe_load((ROOT / "deploy" / "k8s" / "nats" / "values-hub.yaml").read_text())
    assert values == hub_helm_values(COMPOSE_NODES)
    text = _merge_fragment_as_config(values, tmp_path / "store", find_free_port())
    assert f"nkey: ${HUB_ADMIN_NKEY_VARIABLE}" in render_config(hub_nats_config(COMPOSE_NODES))
    assert f"${HUB_ADMIN_NKEY_VARIABLE}" in text
    result = check_config(text, tmp_path, deploy_environment())
    assert result.returncode == 0, result.stderr + text
    # Without the administrator's key in the environment, the hub does not start.
    env = {k: v for k, v in os.environ.items() if k != HUB_ADMIN_NKEY_VARIABLE}
    env.update((k, v) for k, v in deploy_environment().items() if k != HUB_ADMIN_NKEY_VARIABLE)
    path = tmp_path / "nats.conf"
    path.write_text(text, encoding="utf-8")
    missing = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert missing.returncode != 0
    assert HUB_ADMIN_NKEY_VARIABLE in missing.stderr + missing.stdout


def test_the_helm_values_carry_a_valid_nats_configuration(
    certificates: Path, tmp_path: Path
) -> None:
    values = yaml.safe_load((ROOT / "deploy" / "k8s" / "nats" / "values-my.yaml").read_text())
    assert values == node_helm_values("my")
    text = _merge_fragment_as_config(values, tmp_path / "store", find_free_port())
    text = text.replace("/etc/nats-ca-cert/ca.crt", str(certificates / "ca.crt"))
    result = check_config(text, tmp_path, deploy_environment())
    assert result.returncode == 0, result.stderr + text


# -- the hub and two nodes, running ---------------------------------------------------------


@dataclasses.dataclass
class RunningServer:
    config: NatsServerConfig
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.config.port}"


@contextmanager
def run_server(
    config: NatsServerConfig, directory: Path, env: dict[str, str]
) -> Iterator[RunningServer]:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "nats.conf"
    path.write_text(render_config(config), encoding="utf-8")
    with (directory / "nats.log").open("ab") as log:
        process = subprocess.Popen(
            [nats_server_binary(), "-c", str(path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )
    try:
        yield RunningServer(config, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def keeper_health_check(http_port: int | None) -> int:
    """Run docker-compose.yml's health check of `hub-keeper` against this hub's monitoring
    port (compose's `hub-nats:8222`); its exit status."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    test = compose["services"]["hub-keeper"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    args = [arg.replace("hub-nats:8222", f"127.0.0.1:{http_port}") for arg in test[2:]]
    result = subprocess.run([sys.executable, *args], capture_output=True, timeout=30, check=False)
    return result.returncode


@contextmanager
def run_keeper(hub_url: str, directory: Path, seed: str) -> Iterator[subprocess.Popen[bytes]]:
    """The hub's keeper the way compose and Kubernetes run it: `edunode hub keep` (the same
    arguments, `keeper_command`), the administrator's seed in its environment only. Stopped
    with SIGTERM, as `docker compose stop` and Kubernetes do, it must exit cleanly."""
    directory.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != HUB_ADMIN_SEED_VARIABLE}
    env[HUB_ADMIN_SEED_VARIABLE] = seed
    with (directory / "keeper.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "edunode.cli", *keeper_command(hub_url, COMPOSE_NODES)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@asynccontextmanager
async def connect(url: str, node: str) -> AsyncIterator[NatsClient]:
    """A client of `node`'s server; its requests' answers come under the node's
    `reply_prefix`, the only one the hub passes back to the node."""
    client: NatsClient | None = None
    for _ in range(100):
        try:
            client = await nats.connect(
                url, connect_timeout=1, max_reconnect_attempts=0, inbox_prefix=reply_prefix(node)
            )
            break
        except Exception:
            await asyncio.sleep(0.1)
    assert client is not None, f"no NATS at {url}"
    try:
        yield client
    finally:
        await client.close()


def trust_list(directory: Path) -> TrustList:
    document = {
        "version": 1,
        "nodes": [
            {"id": node, "countries": [node.upper()], "gateway_url": f"https://{node}.example"}
            for node in COMPOSE_NODES
        ],
    }
    path = directory / "trust.yaml"
    path.write_text(yaml.safe_dump(document))
    return TrustList.load(path)


async def test_only_jetstream_sourcing_crosses_the_leaf_connections(
    certificates: Path, tmp_path: Path
) -> None:
    leaf_port = find_free_port()
    # The deployed hub as rendered: its administrator's public key from the environment.
    hub = dataclasses.replace(
        hub_nats_config(COMPOSE_NODES, tls_dir=str(certificates)),
        host="127.0.0.1",
        port=find_free_port(),
        http_port=find_free_port(),
        leafnode_port=leaf_port,
        store_dir=tmp_path / "hub" / "store",
    )
    hub_url = f"nats://127.0.0.1:{hub.port}"
    nodes = {
        node: dataclasses.replace(
            node_nats_config(node, ca_file=str(certificates / "ca.crt")),
            host="127.0.0.1",
            port=find_free_port(),
            http_port=find_free_port(),
            store_dir=tmp_path / node / "store",
        )
        for node in COMPOSE_NODES
    }
    trust = trust_list(tmp_path)
    with (
        run_server(hub, tmp_path / "hub", deploy_environment()) as hub_server,
        # Started with the hub, before any node is up, as compose starts it.
        run_keeper(hub_url, tmp_path / "keeper", ADMIN_KEY.seed) as keeper,
    ):
        # The hub's streams exist, made by the keeper: sourcing every node's own streams.
        admin = await connect_admin(hub_url, ADMIN_KEY, attempts=20)
        try:

            async def provisioned() -> dict[str, set[str]] | None:
                found = {}
                for name in ("FED_EVENTS", "FED_DIRECT"):
                    try:
                        info = await admin.jsm().stream_info(name)
                    except Exception:
                        return None
                    found[name] = {source.name for source in info.sources or []}
                return found

            streams = await eventually(
                provisioned, timeout=60, interval=0.5, what="FED_EVENTS and FED_DIRECT"
            )
        finally:
            await admin.close()
        assert streams["FED_EVENTS"] == {"EVT_MY", "EVT_DE"}
        assert streams["FED_DIRECT"] == {"DIRECT_MY", "DIRECT_DE"}

        # Compose's health check of the keeper sees them on the hub's monitoring port.
        assert await asyncio.to_thread(keeper_health_check, hub.http_port) == 0

        # The hub's client port takes no anonymous client, and no node's key either (a leaf
        # key opens a leaf connection only): the administrator's alone.
        with pytest.raises(Exception, match=r"(?i)authorization"):
            await nats.connect(hub_url, connect_timeout=3, allow_reconnect=False)
        with pytest.raises(Exception, match=r"(?i)authorization"):
            await connect_admin(hub_url, LEAF_KEYS["my"], attempts=1)
        with pytest.raises(Exception, match=r"(?i)authorization"):
            await connect_admin(hub_url, UserNkey.generate(), attempts=1)

        servers = {}
        with (
            run_server(
                nodes["my"],
                tmp_path / "my",
                node_environment("my", leaf_port),
            ) as servers["my"],
            run_server(
                nodes["de"],
                tmp_path / "de",
                node_environment("de", leaf_port),
            ) as servers["de"],
        ):
            await wait_for_leaves(hub_server, 2)
            async with (
                connect(servers["my"].url, "my") as my,
                connect(servers["de"].url, "de") as de,
            ):
                # The streams as the services provision them (shared.runtime.node_streams).
                for node, client in (("my", my), ("de", de)):
                    bus = Bus(url=servers[node].url, name=f"{node}-test", nc=client)
                    await bus.provision(node_streams(node, trust))
                for n in range(3):
                    await my.jetstream().publish(
                        f"evt.my.institutions.institution.created{n}", b"{}"
                    )

                async def replicated() -> bool:
                    info = await de.jsm().stream_info("REPLICA_DE")
                    return int(info.state.messages) == 3

                await eventually(replicated, timeout=30, interval=0.2, what="EVT_MY in REPLICA_DE")

                # A node cannot inject events into a peer's stream with a core publish...
                await my.publish("evt.de.institutions.institution.created", b"forged")
                await my.flush()
                # ...nor administer a peer's streams through its domain's API...
                with pytest.raises((NoRespondersError, NatsTimeoutError)):
                    await de.request("$JS.my.API.STREAM.DELETE.EVT_MY", b"", timeout=2)
                with pytest.raises((NoRespondersError, NatsTimeoutError)):
                    await de.request("$JS.my.API.STREAM.PURGE.EVT_MY", b"", timeout=2)
                # ...nor even ask about them: no call reaches a peer's JetStream...
                with pytest.raises((NoRespondersError, NatsTimeoutError)):
                    await de.request("$JS.my.API.STREAM.INFO.EVT_MY", b"", timeout=2)
                # ...while what the replica watchdog asks the hub is answered.
                info = await de.request("$JS.hub.API.STREAM.INFO.FED_EVENTS", b"", timeout=5)
                assert json.loads(info.data)["state"]["messages"] == 3

                await asyncio.sleep(1.0)
                assert (await de.jsm().stream_info("EVT_DE")).state.messages == 0
                assert (await my.jsm().stream_info("EVT_MY")).state.messages == 3
                # Sourcing keeps flowing after all that.
                await my.jetstream().publish("evt.my.quality.evaluation.published", b"{}")

                async def four() -> bool:
                    info = await de.jsm().stream_info("REPLICA_DE")
                    return int(info.state.messages) == 4

                await eventually(four, timeout=30, interval=0.2, what="a live event replicated")

        # SIGTERM (`docker compose stop`, a pod's termination) stops the keeper cleanly.
        keeper.send_signal(signal.SIGTERM)
        assert keeper.wait(30) == 0
        log = (tmp_path / "keeper" / "keeper.log").read_text(errors="replace")
        assert "keeper stopped" in log
        assert ADMIN_KEY.seed not in log


async def test_a_node_with_an_unadmitted_key_is_not_let_in(
    certificates: Path, tmp_path: Path
) -> None:
    leaf_port = find_free_port()
    hub = dataclasses.replace(
        hub_nats_config(COMPOSE_NODES, tls_dir=str(certificates)),
        host="127.0.0.1",
        port=find_free_port(),
        http_port=find_free_port(),
        leafnode_port=leaf_port,
        store_dir=tmp_path / "hub" / "store",
    )
    node = dataclasses.replace(
        node_nats_config("my", ca_file=str(certificates / "ca.crt")),
        host="127.0.0.1",
        port=find_free_port(),
        http_port=find_free_port(),
        store_dir=tmp_path / "my" / "store",
    )
    wrong = node_environment("my", leaf_port, UserNkey.generate())
    with (
        run_server(hub, tmp_path / "hub", deploy_environment()) as hub_server,
        run_server(node, tmp_path / "my", wrong),
    ):
        await wait_for_leaves(hub_server, 0)
        await asyncio.sleep(3.0)
        assert await leaf_count(hub_server) == 0
        # No keeper runs beside this hub: compose's health check of the keeper fails.
        assert await asyncio.to_thread(keeper_health_check, hub.http_port) != 0
        log = (tmp_path / "hub" / "nats.log").read_text(errors="replace")
        assert "Authorization Violation" in log or "authentication error" in log.lower()


async def leaf_count(server: RunningServer) -> int:
    def fetch() -> int:
        import urllib.request

        url = f"http://127.0.0.1:{server.config.http_port}/leafz"
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(json.load(response).get("leafnodes", 0))

    return await asyncio.to_thread(fetch)


async def wait_for_leaves(server: RunningServer, count: int) -> None:
    async def enough() -> bool:
        try:
            return await leaf_count(server) >= count
        except OSError:
            return False

    await eventually(enough, timeout=30, interval=0.2, what=f"{count} leaf connections over TLS")


def test_the_admin_key_is_made_once_and_its_seed_never_taken_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    made = runner.invoke(cli.app, ["keys", "hub-admin", "--data-dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    seed_file = tmp_path / "admin.nk"
    key = UserNkey(seed_file.read_text().strip())
    assert made.stdout.strip() == key.public_key
    assert key.seed not in made.output
    assert (seed_file.stat().st_mode & 0o777) == 0o600
    again = runner.invoke(cli.app, ["keys", "hub-admin", "--data-dir", str(tmp_path)])
    assert again.stdout.strip() == key.public_key

    monkeypatch.delenv(HUB_ADMIN_SEED_VARIABLE, raising=False)
    keep = ["hub", "keep", "--url", "nats://127.0.0.1:4222", "--node", "my"]
    missing = runner.invoke(cli.app, keep)
    assert missing.exit_code == 2 and f"${HUB_ADMIN_SEED_VARIABLE}" in missing.output
    assert runner.invoke(cli.app, [*keep, "--seed", key.seed]).exit_code == 2  # no such option
    monkeypatch.setenv(HUB_ADMIN_SEED_VARIABLE, key.public_key)  # a public key is no seed
    assert runner.invoke(cli.app, keep).exit_code == 2
    monkeypatch.setenv(HUB_ADMIN_SEED_VARIABLE, key.seed)
    wrong_node = runner.invoke(cli.app, [*keep[:-1], "MY"])
    assert wrong_node.exit_code == 2 and "not a node id" in wrong_node.output
