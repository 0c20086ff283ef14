"""Which signed trust-list version a node takes (issue 22, item 2), without a broker: the rules
of docs/federation.md ("Governance") one by one, the walk a node makes through the versions it
finds (following a secretariat key rotation), and a check built before a version is taken
using it from then on."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest

from edunode.trust_cli import (
    add_entries,
    add_secretariat_key,
    remove_node,
    retire_secretariat_key,
    sign_draft,
)
from shared.event_routes import Subscription
from shared.events import new_event
from shared.runtime import subscription_guard
from shared.signing import NodeSigner, init_node_key, load_node_signer
from shared.trust import SignedTrustList, TrustedKey, TrustedNode, TrustList
from shared.trust_governance import TrustListRefused, accept_update, held_after


def _member(tmp_path: Path, node: str) -> TrustedNode:
    kid, public = init_node_key(tmp_path / node, node)
    return TrustedNode(
        id=node,
        countries=[node.upper()],
        keys=[TrustedKey(kid=kid, public_key=public.read_text())],
    )


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    return tmp_path / "secretariat"


@pytest.fixture
def first(tmp_path: Path, keys_dir: Path) -> tuple[TrustList, str]:
    """Version 1: the secretariat's key 1, members fr and it."""
    draft = add_secretariat_key(TrustList(nodes=[]), keys_dir, rotate=False)
    draft = add_entries(draft, [_member(tmp_path, "fr"), _member(tmp_path, "it")])
    return sign_draft(draft, keys_dir)


def _signed(document: dict[str, Any], signer: NodeSigner) -> str:
    payload = orjson.dumps(document)
    header, _, signature = signer.sign(payload).partition("..")
    return f"{header}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}.{signature}"


def _refusal(held: TrustList, token: str) -> str:
    with pytest.raises(TrustListRefused) as refused:
        accept_update(held, token)
    return refused.value.code


def test_the_next_version_is_taken(
    tmp_path: Path, keys_dir: Path, first: tuple[TrustList, str]
) -> None:
    draft, _ = first
    draft, token = sign_draft(remove_node(draft, "it"), keys_dir)
    taken = accept_update(SignedTrustList.parse(first[1]).self_verified(), token)
    assert taken.version == 2 and [node.id for node in taken.nodes] == ["fr"]


def test_each_bad_version_is_refused_with_its_reason(
    tmp_path: Path, keys_dir: Path, first: tuple[TrustList, str]
) -> None:
    held, token = first
    signer = load_node_signer(keys_dir, "secretariat")
    assert signer is not None
    next_version = {**held.model_dump(mode="json"), "version": 2}
    assert _refusal(held, token) == "replayed"
    assert _refusal(held, "not a list") == "malformed"

    init_node_key(tmp_path / "rogue", "secretariat")
    rogue = load_node_signer(tmp_path / "rogue", "secretariat")
    assert rogue is not None
    assert _refusal(held, _signed(next_version, rogue)) == "bad_signature"  # kid secretariat:1
    stranger = NodeSigner(kid="secretariat:5", private_pem=rogue.private_pem)
    assert _refusal(held, _signed(next_version, stranger)) == "unknown_signer"

    without_signer = {**next_version, "secretariat": []}
    assert _refusal(held, _signed(without_signer, signer)) == "removes_signer"
    bad_key = orjson.loads(orjson.dumps(next_version))
    bad_key["nodes"][1]["keys"][0]["public_key"] = "-----BEGIN PUBLIC KEY-----\nAAAA\n"
    assert _refusal(held, _signed(bad_key, signer)) == "malformed_key"
    foreign_kid = orjson.loads(orjson.dumps(next_version))
    foreign_kid["nodes"][1]["keys"][0]["kid"] = "fr:2"  # it's key under fr's name
    assert _refusal(held, _signed(foreign_kid, signer)) == "invalid"


def test_a_node_walks_the_versions_through_a_key_rotation(
    tmp_path: Path, keys_dir: Path, first: tuple[TrustList, str]
) -> None:
    draft, v1 = first
    draft = add_secretariat_key(draft, keys_dir, rotate=True)
    draft, v2 = sign_draft(draft, keys_dir)  # key 1 signs, naming 1 and 2
    draft, v3 = sign_draft(retire_secretariat_key(draft, "secretariat:1"), keys_dir)
    assert SignedTrustList.parse(v3).kid == "secretariat:2"
    # A node holding version 1 cannot take version 3 directly: it does not know key 2 yet.
    held = SignedTrustList.parse(v1).self_verified()
    assert _refusal(held, v3) == "unknown_signer"
    # Walking what the bucket holds, in order, it does (an older version on the way is skipped).
    latest, token = held_after([v1, v2, v1, v3], held)
    assert latest is not None and latest.version == 3 and token == v3
    assert [key.kid for key in latest.secretariat] == ["secretariat:2"]


def test_a_check_built_before_a_version_is_taken_uses_it_after(
    tmp_path: Path, keys_dir: Path, first: tuple[TrustList, str]
) -> None:
    held = SignedTrustList.parse(first[1]).self_verified()
    guard = subscription_guard(
        held,
        "fr",
        Subscription(
            name="peers",
            subjects=["evt.*.test.record.*"],
            peers=True,
            authority=lambda event: event.originnode.upper(),
        ),
    )
    it = load_node_signer(tmp_path / "it", "it")
    assert it is not None
    event = new_event(
        node="it", service="test", aggregate="record", action="changed",
        subject="r1", data={}, version=1,
    )  # fmt: skip
    payload = event.to_bytes()
    assert guard(event, payload, it.sign(payload)).accepted
    _, token = sign_draft(remove_node(first[0], "it"), keys_dir)
    held.adopt(accept_update(held, token))
    refused = guard(event, payload, it.sign(payload))
    assert not refused.accepted and refused.code == "unknown_signer"
