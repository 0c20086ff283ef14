"""The secretariat's steps with `edunode trust` (issue 22, item 2): its key, members in and out,
a signed version, published on a real hub, and what a list says; each mistake refused with a
clear message before any node sees it."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from edunode.cli import app
from edunode.demo import DemoFederation
from edunode.deploy import write_dev_certificates
from edunode.hub import HubConfig, connect_admin, load_leaf_nodes
from edunode.natsserver import NatsServer, find_free_port
from edunode.node import NodeConfig
from edunode.trust_cli import latest_published
from edunode.trust_demo import demo_entry, govern_demo_trust, join_demo_node, publish_demo_trust
from shared.nkeys import UserNkey
from shared.trust import SignedTrustList, TrustList

pytestmark = pytest.mark.slow


def _run(*args: str) -> Result:
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    return runner.invoke(app, list(args))


def _ok(*args: str) -> Result:
    result = _run(*args)
    assert result.exit_code == 0, result.output
    return result


def _member(tmp_path: Path, node: str) -> Path:
    result = _ok(
        "keys", "init", "--node", node, "--name", f"{node.upper()} node",
        "--gateway-url", f"https://{node}.example", "--data-dir", str(tmp_path / node),
    )  # fmt: skip
    entry = tmp_path / f"{node}.yaml"
    entry.write_text(result.stdout)
    return entry


@pytest.fixture
def secretariat(tmp_path: Path) -> tuple[Path, Path]:
    """A draft naming the secretariat's key and two members."""
    draft, keys = tmp_path / "trust.yaml", tmp_path / "secretariat"
    _ok("trust", "init", "--file", str(draft), "--keys-dir", str(keys))
    for node in ("cn", "my"):
        _ok("trust", "add", str(_member(tmp_path, node)), "--file", str(draft))
    return draft, keys


def test_sign_makes_the_next_version_signed_by_the_secretariat(
    tmp_path: Path, secretariat: tuple[Path, Path]
) -> None:
    draft, keys = secretariat
    first, second = tmp_path / "v1.jws", tmp_path / "v2.jws"
    _ok("trust", "sign", "--file", str(draft), "--keys-dir", str(keys), "--out", str(first))
    _ok("trust", "remove", "my", "--file", str(draft))
    _ok("trust", "sign", "--file", str(draft), "--keys-dir", str(keys), "--out", str(second))

    signed = SignedTrustList.parse(second.read_text())
    assert signed.kid == "secretariat:1"
    trust = signed.self_verified()
    assert trust.version == 2 and [node.id for node in trust.nodes] == ["cn"]
    assert TrustList.load(first).version == 1  # a node reads a signed file as its list
    shown = _ok("trust", "show", str(second)).stdout
    assert "version 2" in shown and "signed by secretariat:1" in shown and "cn: CN" in shown
    assert "my:" not in shown
    assert "valid 1 node(s): cn" in _ok("trust", "check", str(second)).output


def test_a_tampered_signed_list_fails_its_check(
    tmp_path: Path, secretariat: tuple[Path, Path]
) -> None:
    draft, keys = secretariat
    signed = tmp_path / "v1.jws"
    _ok("trust", "sign", "--file", str(draft), "--keys-dir", str(keys), "--out", str(signed))
    header, payload, signature = signed.read_text().strip().split(".")
    document = orjson.loads(base64.urlsafe_b64decode(payload + "=="))
    document["nodes"][0]["countries"] = ["CN", "MY"]  # cn claims authority over MY
    forged = base64.urlsafe_b64encode(orjson.dumps(document)).rstrip(b"=").decode()
    tampered = tmp_path / "tampered.jws"
    tampered.write_text(f"{header}.{forged}.{signature}\n")
    result = _run("trust", "check", str(tampered))
    assert result.exit_code == 2
    assert "not signed by a valid secretariat key" in result.output


def test_the_secretariat_s_mistakes_are_refused(
    tmp_path: Path, secretariat: tuple[Path, Path]
) -> None:
    draft, keys = secretariat
    again = _run("trust", "init", "--file", str(draft), "--keys-dir", str(keys))
    assert again.exit_code == 2 and "--rotate" in again.output
    unknown = _run("trust", "remove", "de", "--file", str(draft))
    assert unknown.exit_code == 2 and "de is not in the trust list" in unknown.output
    last = _run("trust", "retire-key", "secretariat:1", "--file", str(draft))
    assert last.exit_code == 2 and "last key" in last.output
    # An entry whose key is not a key never enters the list.
    entry = _member(tmp_path, "de")
    entry.write_text(entry.read_text().replace("MCowBQYDK2VwAyEA", "MCowBQYDK2VwAyEX"))
    bad = _run("trust", "add", str(entry), "--file", str(draft))
    assert bad.exit_code == 2 and "public key" in bad.output
    plain = tmp_path / "plain.yaml"
    _ok("trust", "add", str(_member(tmp_path, "fr")), "--file", str(plain))
    unsigned = _run(
        "trust", "sign", "--file", str(plain), "--keys-dir", str(keys),
        "--out", str(tmp_path / "x.jws"),
    )  # fmt: skip
    assert unsigned.exit_code == 2 and "edunode trust init" in unsigned.output


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[NatsServer, HubConfig]]:
    config = HubConfig(
        data_dir=tmp_path / "hub", port=find_free_port(), leafnode_port=find_free_port()
    )
    assert config.tls_dir is not None
    write_dev_certificates(config.tls_dir, ["127.0.0.1"])
    server = config.server()
    with server:
        yield server, config


def _in_thread(*args: str) -> Result:
    """The CLI runs its own event loop (asyncio.run): outside the test's."""
    results: list[Result] = []
    thread = threading.Thread(target=lambda: results.append(_run(*args)))
    thread.start()
    thread.join(120)
    return results[0]


def test_publish_puts_each_version_on_the_hub_and_refuses_what_nodes_would_refuse(
    tmp_path: Path, secretariat: tuple[Path, Path], hub: tuple[NatsServer, HubConfig]
) -> None:
    draft, keys = secretariat
    server, config = hub
    admin = ["--hub", server.url, "--admin-key", str(config.data_dir / "admin.nk")]
    first, second = tmp_path / "v1.jws", tmp_path / "v2.jws"
    _ok("trust", "sign", "--file", str(draft), "--keys-dir", str(keys), "--out", str(first))
    published = _in_thread("trust", "publish", str(first), *admin)
    assert published.exit_code == 0, published.output
    assert "published version 1" in published.output
    # Rotation: the version naming the new key is signed with the old one.
    _ok("trust", "init", "--rotate", "--file", str(draft), "--keys-dir", str(keys))
    _ok("trust", "sign", "--file", str(draft), "--keys-dir", str(keys), "--out", str(second))
    assert SignedTrustList.parse(second.read_text()).kid == "secretariat:1"
    assert _in_thread("trust", "publish", str(second), *admin).exit_code == 0

    replayed = _in_thread("trust", "publish", str(first), *admin)
    assert replayed.exit_code == 2 and "refused (replayed)" in replayed.output
    # Then the old key retired: signed with the new one, which the nodes know from version 2.
    _ok("trust", "retire-key", "secretariat:1", "--file", str(draft))
    third = tmp_path / "v3.jws"
    _ok("trust", "sign", "--file", str(draft), "--keys-dir", str(keys), "--out", str(third))
    assert SignedTrustList.parse(third.read_text()).kid == "secretariat:2"
    assert _in_thread("trust", "publish", str(third), *admin).exit_code == 0

    # A list from a key the community never gave: refused.
    rogue_draft, rogue = tmp_path / "rogue.yaml", tmp_path / "rogue-keys"
    _ok("trust", "init", "--file", str(rogue_draft), "--keys-dir", str(rogue))
    _ok("trust", "add", str(_member(tmp_path, "xx")), "--file", str(rogue_draft))
    forged = tmp_path / "rogue.jws"
    _ok("trust", "sign", "--file", str(rogue_draft), "--keys-dir", str(rogue), "--out", str(forged))
    refused = _in_thread("trust", "publish", str(forged), *admin)
    assert refused.exit_code == 2 and "refused (unknown_signer)" in refused.output

    shown = _in_thread("trust", "show", *admin)
    assert shown.exit_code == 0, shown.output
    assert "version 3" in shown.stdout and "secretariat keys: secretariat:2" in shown.stdout


async def test_a_node_joins_the_demo_s_governed_list(
    tmp_path: Path, hub: tuple[NatsServer, HubConfig]
) -> None:
    server, config = hub
    demo = tmp_path / "demo"
    nodes = {
        node: NodeConfig(node_id=node, data_dir=demo / node, port=find_free_port())
        for node in ("cn", "my", "ke")
    }
    trust = TrustList(nodes=[demo_entry(nodes[node]) for node in ("cn", "my")])
    signed = govern_demo_trust(demo, trust)
    assert govern_demo_trust(demo, trust) == signed  # started again: the same list
    assert (await publish_demo_trust(config, server, demo)).version == 1

    joined = await join_demo_node(demo, config, server, nodes["ke"])
    held = TrustList.load(joined)
    assert held.version == 2 and [node.id for node in held.nodes] == ["cn", "my", "ke"]
    ke = held.node("ke")
    assert ke is not None and ke.countries == ["KE"] and ke.keys[0].kid == "ke:1"
    assert load_leaf_nodes(config.leaf_nodes_file) == {"ke": nodes["ke"].leaf_key().public_key}
    latest = await latest_published(server.url, config.data_dir / "admin.nk")
    assert latest is not None and latest.strip() == joined.read_text().strip()

    # The demo started again, with one node more: the same secretariat, the next version.
    nodes["br"] = NodeConfig(node_id="br", data_dir=demo / "br", port=find_free_port())
    again = TrustList(nodes=[demo_entry(nodes[node]) for node in ("cn", "my", "br")])
    restarted = TrustList.load(govern_demo_trust(demo, again))
    assert restarted.version == 3
    assert [node.id for node in restarted.nodes] == ["cn", "my", "ke", "br"]
    assert (await publish_demo_trust(config, server, demo)).version == 3
    assert (await publish_demo_trust(config, server, demo)).version == 3  # held already


def test_demo_join_refuses_an_unknown_node_and_a_demo_never_started(tmp_path: Path) -> None:
    """`edunode demo join` names what is wrong, and changes nothing: a node the demo does not
    have, a data dir where no demo has governed its list yet."""
    unknown = CliRunner().invoke(app, ["demo", "join", "zz", "--data-dir", str(tmp_path)])
    assert unknown.exit_code == 2, unknown.output
    assert "no demo node zz" in unknown.output
    never = CliRunner().invoke(app, ["demo", "join", "ke", "--data-dir", str(tmp_path)])
    assert never.exit_code == 2, never.output
    assert "start it first with `edunode demo`" in " ".join(never.output.split())
    assert list(tmp_path.iterdir()) == []


def test_demo_join_without_a_running_hub_admits_nothing(tmp_path: Path) -> None:
    """A demo governed once, its hub not running: the join says so and admits nobody."""
    demo = DemoFederation(data_dir=tmp_path, nodes={"cn": 8000})
    govern_demo_trust(tmp_path, demo.write_trust_list())
    hub = demo.hub()
    admitted = load_leaf_nodes(hub.leaf_nodes_file)
    result = CliRunner().invoke(app, ["demo", "join", "ke", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "is `edunode demo` running?" in " ".join(result.output.split())
    assert load_leaf_nodes(hub.leaf_nodes_file) == admitted


async def test_the_administrator_is_let_in_once_the_hub_has_applied_its_configuration(
    hub: tuple[NatsServer, HubConfig],
) -> None:
    """A hub applying a new configuration refuses a key it does not hold yet ("Authorization
    Violation"), as it briefly did the administrator right after admitting a node: the
    administrator's connection is tried again and gets in once the configuration is applied;
    a key the hub never takes is still refused, after the attempts."""
    server, _config = hub
    newcomer = UserNkey.generate()
    connecting = asyncio.create_task(connect_admin(server.url, newcomer, attempts=5))
    await asyncio.sleep(0.3)  # the first attempt has been refused by now
    assert not connecting.done()
    server.config = dataclasses.replace(server.config, admin_nkey=newcomer.public_key)
    server.reload()
    client = await asyncio.wait_for(connecting, 30)
    try:
        assert client.is_connected
    finally:
        await client.close()
    with pytest.raises(Exception, match=r"(?i)authorization"):
        await connect_admin(server.url, UserNkey.generate(), attempts=2)
