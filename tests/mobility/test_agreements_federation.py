"""Inter-institutional agreements between two nodes of a real federation (issue 19, item 2):
the hub and the nodes cn, my, de of tests/federation/test_direct_messages.py, each running
the mobility service on its own migrated SQLite database.

A university of cn proposes to a university of my; my approves; both nodes serve the same
agreement with both approvals, each a signature of its node's federation key over the
digest of the exact conditions (SHA-256 of their canonical JSON), verifiable against the trust
list; a change at cn re-opens approval at both; de holds and sees nothing of it; an approval
forged by a partner's node, or a message from a node that is neither partner, is refused."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from services.mobility.agreements.models import Agreement
from services.mobility.app import create_app
from services.mobility.db import kernel_tables
from services.mobility.settings import MobilitySettings
from shared.auth import Role
from shared.direct import DirectSender
from shared.signing import load_node_signer, signature_key_id, verify_detached
from shared.trust import TrustList
from tests.conftest import (
    MakeToken,
    RunningService,
    TokenKeys,
    bearer,
    eventually,
    migrated,
    run_app,
)
from tests.federation.test_direct_messages import (
    NODES,
    Federation,
    _database_holds,
    _streams_holding,
    federation,  # noqa: F401  (the module's federation: hub, cn, my, de)
)
from tests.mobility.conditions import conditions
from tests.mobility.directory import in_directory

pytestmark = pytest.mark.slow

CN_UNI, MY_UNI, DE_UNI, CN_OTHER = (uuid.uuid4() for _ in range(4))
AGREEMENTS = "/v1/mobility/agreements"


@dataclass
class MobilityNode:
    node: str
    running: RunningService
    database_file: Path

    @property
    def client(self) -> Any:
        return self.running.client

    async def rows(self) -> int:
        async with self.running.runtime.database.session() as session:
            return int(await session.scalar(select(func.count()).select_from(Agreement)) or 0)

    async def knows(self, *institutions: tuple[uuid.UUID, str]) -> None:
        """The institutions (id, origin node) in the node's copy of the directory."""
        await in_directory(self.running.runtime.database, *institutions)

    async def dead_letters(self) -> list[str]:
        async with self.running.runtime.database.session() as session:
            return list(await session.scalars(select(kernel_tables.dead_letter.c.error)))


@pytest.fixture
async def nodes(
    federation: Federation,  # noqa: F811
    token_keys: TokenKeys,
    tmp_path: Path,
) -> AsyncIterator[dict[str, MobilityNode]]:
    async with AsyncExitStack() as stack:
        started = {}
        for node in NODES:
            database_file = tmp_path / f"mobility-{node}.db"
            settings = MobilitySettings(
                node_id=node,
                database_url=migrated("services.mobility", f"sqlite+aiosqlite:///{database_file}"),
                nats_url=federation.servers[node].url,
                trust_file=federation.trust_file,
                federation_keys_dir=federation.keys[node],
                token_public_key_file=token_keys.public_key_file,
                environment="test",
                log_json=False,
                log_level="warning",
            )
            running = await stack.enter_async_context(run_app(create_app(settings)))
            running.runtime.relay.poll_interval = 0.1
            await asyncio.wait_for(running.runtime.bus.wait_ready(), 30)
            started[node] = MobilityNode(node, running, database_file)
        yield started


def university(make_token: MakeToken, node: str, institution: uuid.UUID) -> dict[str, str]:
    return bearer(
        make_token(Role.UNIVERSITY, node=node, institution_id=institution, client_id=f"uni-{node}")
    )


def canonical_digest(agreement: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON (sorted keys, no whitespace) of what the partners
    sign: the agreement's id and revision, both partners and the conditions."""
    signed = {
        "agreement_id": agreement["id"],
        "revision": agreement["revision"],
        "proposer": agreement["proposer"],
        "partner": agreement["partner"],
        "conditions": agreement["conditions"],
    }
    text = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def verified_signers(agreement: dict[str, Any], trust: TrustList) -> set[str]:
    """The nodes whose approval is a valid signature over the agreement's digest by a key the
    trust list gives that node."""
    signers = set()
    for approval in agreement["approvals"]:
        kid = signature_key_id(approval["signature"])
        entry = trust.node(approval["node"])
        assert entry is not None and kid is not None
        key = next(k for k in entry.keys if k.kid == kid)
        if approval["digest"] == agreement["digest"] and verify_detached(
            approval["signature"], agreement["digest"].encode(), key.public_key.encode()
        ):
            signers.add(approval["node"])
    return signers


async def _read(node: MobilityNode, headers: dict[str, str], agreement_id: str) -> Any:
    response = await node.client.get(f"{AGREEMENTS}/{agreement_id}", headers=headers)
    return response.json() if response.status_code == 200 else None


async def test_an_agreement_proposed_at_cn_approved_at_my_is_the_same_signed_record_at_both(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],
    make_token: MakeToken,
) -> None:
    cn, my, de = nodes["cn"], nodes["my"], nodes["de"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    trust = TrustList.load(federation.trust_file)
    await cn.knows((CN_UNI, "cn"), (MY_UNI, "my"))

    response = await cn.client.post(
        AGREEMENTS,
        json={
            "partner": {"institution_id": str(MY_UNI), "node": "my"},
            "conditions": conditions(CN_UNI, MY_UNI),
        },
        headers=at_cn,
    )
    assert response.status_code == 201, response.text
    proposed = response.json()
    agreement_id = proposed["id"]
    assert proposed["status"] == "proposed"
    assert proposed["digest"] == canonical_digest(proposed)
    assert verified_signers(proposed, trust) == {"cn"}

    # my receives it over the direct channel and serves it as cn does.
    async def at_my_node() -> Any:
        return await _read(my, at_my, agreement_id)

    received = await eventually(at_my_node, timeout=60, interval=0.2, what="the agreement at my")
    assert received == proposed

    response = await my.client.post(
        f"{AGREEMENTS}/{agreement_id}/approval", json={"digest": received["digest"]}, headers=at_my
    )
    assert response.status_code == 200, response.text
    approved = response.json()
    assert approved["status"] == "approved"
    assert verified_signers(approved, trust) == {"cn", "my"}

    async def approved_at_cn() -> Any:
        read = await _read(cn, at_cn, agreement_id)
        return read if read and read["status"] == "approved" else None

    at_cn_now = await eventually(approved_at_cn, timeout=60, interval=0.2, what="approval at cn")
    assert at_cn_now == approved  # the same record, both signatures, at both nodes

    # A change at cn re-opens approval: a new revision, signed by cn alone, at both nodes.
    changed_conditions = conditions(CN_UNI, MY_UNI, places=4)
    response = await cn.client.put(
        f"{AGREEMENTS}/{agreement_id}/conditions",
        json={"conditions": changed_conditions},
        headers=at_cn | {"If-Match": f'"{approved["version"]}"'},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["revision"] == 2 and changed["status"] == "proposed"
    assert changed["digest"] == canonical_digest(changed) != approved["digest"]
    assert verified_signers(changed, trust) == {"cn"}

    async def reopened_at_my() -> Any:
        read = await _read(my, at_my, agreement_id)
        return read if read and read["revision"] == 2 else None

    reopened = await eventually(reopened_at_my, timeout=60, interval=0.2, what="change at my")
    assert reopened == changed
    # my's approval of the old conditions no longer counts, nor can it be given again.
    response = await my.client.post(
        f"{AGREEMENTS}/{agreement_id}/approval", json={"digest": approved["digest"]}, headers=at_my
    )
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")

    # Nobody else sees it: another university of cn, de's university at de, and de holds
    # nothing of it, in its database or any stream.
    other = university(make_token, "cn", CN_OTHER)
    assert (await cn.client.get(f"{AGREEMENTS}/{agreement_id}", headers=other)).status_code == 404
    listed = await cn.client.get(AGREEMENTS, headers=other)
    assert listed.status_code == 200 and listed.json()["items"] == []
    at_de = university(make_token, "de", DE_UNI)
    assert (await de.client.get(f"{AGREEMENTS}/{agreement_id}", headers=at_de)).status_code == 404
    assert await de.rows() == 0
    for form in (agreement_id, uuid.UUID(agreement_id).hex):  # as text, as SQLite stores it
        assert not _database_holds(de.database_file, form.encode())
        assert _database_holds(my.database_file, form.encode()) or form == agreement_id
    assert await _streams_holding(federation.servers["de"], agreement_id.encode()) == set()
    # It travelled in the direct streams only, never in a public one.
    for node in ("cn", "my"):
        holding = await _streams_holding(federation.servers[node], agreement_id.encode())
        assert holding <= {"DIRECT_CN", "DIRECT_MY", "INBOX_CN", "INBOX_MY"}, holding


async def test_forged_approvals_and_a_stranger_s_message_are_refused(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],
    make_token: MakeToken,
) -> None:
    """cn's node (a partner, its messages genuinely signed) sends my states of a proposed
    agreement that lie: my's approval signed with cn's key; my's approval over other
    conditions (under my's key id); conditions changed under the old digest. de, no partner,
    sends my a state of it. my refuses each (a dead letter, never applied): the agreement
    stays as it was."""
    cn, my = nodes["cn"], nodes["my"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    await cn.knows((CN_UNI, "cn"), (MY_UNI, "my"))
    response = await cn.client.post(
        AGREEMENTS,
        json={
            "partner": {"institution_id": str(MY_UNI), "node": "my"},
            "conditions": conditions(CN_UNI, MY_UNI),
        },
        headers=at_cn,
    )
    assert response.status_code == 201, response.text
    proposed = response.json()

    async def at_my_node() -> Any:
        return await _read(my, at_my, proposed["id"])

    await eventually(at_my_node, timeout=60, interval=0.2, what="the agreement at my")

    cn_signer = load_node_signer(federation.keys["cn"], "cn")
    assert cn_signer is not None
    approval = {
        "institution_id": str(MY_UNI),
        "node": "my",
        "approved_at": proposed["updated_at"],
        "approved_by": "forger",
    }
    other_digest = "sha256:" + hashlib.sha256(b"other conditions").hexdigest()
    forged_states = [
        # my's approval, signed with cn's key.
        proposed
        | {
            "status": "approved",
            "version": proposed["version"] + 1,
            "approvals": [
                *proposed["approvals"],
                approval
                | {
                    "digest": proposed["digest"],
                    "signature": cn_signer.sign(proposed["digest"].encode()),
                },
            ],
        },
        # my's approval over other conditions, under my's key id (cn cannot sign as my).
        proposed
        | {
            "status": "approved",
            "version": proposed["version"] + 2,
            "approvals": [
                *proposed["approvals"],
                approval
                | {
                    "digest": other_digest,
                    "signature": cn_signer.__class__(
                        kid="my:1", private_pem=cn_signer.private_pem
                    ).sign(other_digest.encode()),
                },
            ],
        },
        # IiaConditions changed without a new digest: cn's approval no longer matches them.
        proposed
        | {
            "version": proposed["version"] + 3,
            "conditions": conditions(CN_UNI, MY_UNI, places=40),
        },
    ]
    runtime = cn.running.runtime
    async with runtime.database.session() as session:
        for state in forged_states:
            await DirectSender.of(runtime).send(
                session,
                to="my",
                type="agreement.updated",
                subject=proposed["id"],
                data=state,
                version=state["version"],
            )
    de_runtime = nodes["de"].running.runtime
    async with de_runtime.database.session() as session:
        await DirectSender.of(de_runtime).send(
            session,
            to="my",
            type="agreement.updated",
            subject=proposed["id"],
            data=proposed | {"version": proposed["version"] + 4},
            version=proposed["version"] + 4,
        )

    async def refused() -> list[str] | None:
        errors = await my.dead_letters()
        return errors if len(errors) >= 4 else None

    errors = " | ".join(await eventually(refused, timeout=90, interval=0.3, what="4 refusals"))
    assert "signed by key 'cn:1', not one of its own" in errors
    assert "over other conditions" in errors
    assert "its digest is not its conditions'" in errors
    assert "from node 'de', which is not the other partner" in errors
    assert await _read(my, at_my, proposed["id"]) == proposed
