"""Operators build the trust list with the CLI (issue 16): `edunode keys init` prints a node's
entry, `edunode trust add` merges it, refusing what would make the list ambiguous."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from edunode.cli import app
from edunode.hub import HubConfig, HubError, admit, load_leaf_nodes, revoke
from shared.nkeys import UserNkey, is_public_user_nkey
from shared.trust import TrustList


def _run(*args: str, stdin: str | None = None) -> Result:
    """The command line in this process: its exit code, stdout and stderr apart."""
    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    return runner.invoke(app, list(args), input=stdin)


def _keys_init(tmp_path: Path, node: str, url: str) -> Path:
    result = _run(
        "keys", "init", "--node", node, "--name", f"{node.upper()} agency node",
        "--gateway-url", url, "--data-dir", str(tmp_path / node),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    entry = tmp_path / f"{node}.yaml"
    entry.write_text(result.stdout)
    return entry


def test_keys_init_prints_an_entry_that_trust_add_merges(tmp_path: Path) -> None:
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    my = _keys_init(tmp_path, "my", "https://edunode.example.my")
    de = _keys_init(tmp_path, "de", "https://edunode.example.de")
    trust_file = tmp_path / "trust.yaml"
    assert _run("trust", "add", str(my), "--file", str(trust_file)).exit_code == 0
    added = _run("trust", "add", "-", "--file", str(trust_file), stdin=de.read_text())
    assert added.exit_code == 0, added.stderr

    trust = TrustList.load(trust_file)
    assert [node.id for node in trust.nodes] == ["my", "de"]
    node = trust.nodes[0]
    assert node.name == "MY agency node"
    assert node.gateway_url == "https://edunode.example.my"
    assert node.countries == ["MY"]
    key = node.keys[0]
    public = (tmp_path / "my" / "keys" / "federation-1.pub").read_text()
    assert key.kid == "my:1" and key.public_key == public
    assert key.valid_from is not None and key.valid_from >= before
    assert key.valid_from <= datetime.datetime.now(datetime.UTC)


def test_keys_init_names_the_leaf_nkey_for_the_hub(tmp_path: Path) -> None:
    result = _run(
        "keys", "init", "--node", "my", "--name", "MY", "--gateway-url", "https://my.example",
        "--data-dir", str(tmp_path / "my"),
    )  # fmt: skip
    seed = (tmp_path / "my" / "keys" / "leaf.nk").read_text().strip()
    public = UserNkey(seed).public_key
    assert f"edunode hub admit --node my --nkey {public}" in result.stderr
    assert seed not in result.stdout + result.stderr


def test_trust_add_refuses_a_node_already_listed(tmp_path: Path) -> None:
    my = _keys_init(tmp_path, "my", "https://edunode.example.my")
    trust_file = tmp_path / "trust.yaml"
    assert _run("trust", "add", str(my), "--file", str(trust_file)).exit_code == 0
    listed = trust_file.read_text()
    again = _run("trust", "add", str(my), "--file", str(trust_file))
    assert again.exit_code == 2
    assert "node id my" in again.stderr
    assert trust_file.read_text() == listed


def test_trust_add_refuses_a_key_another_node_has(tmp_path: Path) -> None:
    my = _keys_init(tmp_path, "my", "https://edunode.example.my")
    trust_file = tmp_path / "trust.yaml"
    assert _run("trust", "add", str(my), "--file", str(trust_file)).exit_code == 0
    copied = yaml.safe_load(my.read_text())
    copied["id"], copied["countries"] = "bn", ["BN"]
    copied["keys"][0]["kid"] = "bn:1"  # the same public key under another node
    thief = tmp_path / "bn.yaml"
    thief.write_text(yaml.safe_dump(copied))
    refused = _run("trust", "add", str(thief), "--file", str(trust_file))
    assert refused.exit_code == 2
    assert "public key" in refused.stderr


def test_a_rotated_key_is_added_and_closes_the_old_ones_window(tmp_path: Path) -> None:
    my = _keys_init(tmp_path, "my", "https://edunode.example.my")
    trust_file = tmp_path / "trust.yaml"
    assert _run("trust", "add", str(my), "--file", str(trust_file)).exit_code == 0
    rotated = _run(
        "keys", "init", "--node", "my", "--name", "MY agency node", "--rotate",
        "--gateway-url", "https://edunode.example.my", "--data-dir", str(tmp_path / "my"),
    )  # fmt: skip
    new = tmp_path / "my-2.yaml"
    new.write_text(rotated.stdout)
    assert _run("trust", "add", str(new), "--file", str(trust_file)).exit_code == 2
    assert _run("trust", "add", str(new), "--rotate", "--file", str(trust_file)).exit_code == 0
    keys = TrustList.load(trust_file).nodes[0].keys
    assert [key.kid for key in keys] == ["my:1", "my:2"]
    assert keys[0].valid_to == keys[1].valid_from and keys[1].valid_to is None
    # the same key again is refused
    assert _run("trust", "add", str(new), "--rotate", "--file", str(trust_file)).exit_code == 2


def test_a_trust_list_naming_a_key_twice_is_an_error(tmp_path: Path) -> None:
    """By default YAML's last duplicate wins: a second `countries:` would silently give a node
    authority over another country."""
    path = tmp_path / "trust.yaml"
    path.write_text("version: 1\nnodes:\n  - id: my\n    countries: [MY]\n    countries: [SG]\n")
    with pytest.raises(ValueError, match="countries"):
        TrustList.load(path)
    checked = _run("trust", "check", str(path))
    assert checked.exit_code == 2 and "appears twice" in checked.stderr


def test_a_trust_list_naming_a_node_twice_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "trust.yaml"
    path.write_text("nodes:\n  - {id: my, countries: [MY]}\n  - {id: my, countries: [SG]}\n")
    with pytest.raises(ValueError, match="node id my"):
        TrustList.load(path)


def test_commands_that_act_on_a_node_have_no_default_node(tmp_path: Path) -> None:
    for command in (
        ["clients", "create", "--name", "x", "--role", "registrar"],
        ["keys", "init", "--name", "x", "--gateway-url", "https://x.example"],
        ["keys", "token"],
        ["migrate"],
        ["up"],
        ["export", "institutions"],
        ["import", "evaluations", str(Path(__file__))],
    ):
        result = _run(*command, "--data-dir", str(tmp_path / "nowhere"))
        assert result.exit_code == 2, command
        assert "--node" in result.stderr, command


def test_the_hub_list_refuses_duplicates_and_bad_keys(tmp_path: Path) -> None:
    hub = HubConfig(data_dir=tmp_path / "hub")
    first, second = UserNkey.generate().public_key, UserNkey.generate().public_key
    assert is_public_user_nkey(first)
    admit(hub.leaf_nodes_file, "my", first)
    with pytest.raises(HubError, match="already admitted"):
        admit(hub.leaf_nodes_file, "my", second)
    with pytest.raises(HubError, match="another node"):
        admit(hub.leaf_nodes_file, "de", first)
    with pytest.raises(HubError, match="NKey"):
        admit(hub.leaf_nodes_file, "de", UserNkey.generate().seed)  # a seed, not a public key
    with pytest.raises(HubError, match="node id"):
        admit(hub.leaf_nodes_file, "Malaysia", second)
    admit(hub.leaf_nodes_file, "de", second)
    assert load_leaf_nodes(hub.leaf_nodes_file) == {"my": first, "de": second}
    revoke(hub.leaf_nodes_file, "my")
    assert load_leaf_nodes(hub.leaf_nodes_file) == {"de": second}
    hub.leaf_nodes_file.write_text(f"nodes:\n  de: {second}\n  de: {first}\n")
    with pytest.raises(HubError, match="twice"):
        load_leaf_nodes(hub.leaf_nodes_file)
