"""Ask the issuer (issue 20, item 5) across a real federation: the hub and the nodes cn, my, de
of tests/federation/test_direct_messages.py, each running the credentials service on its own
migrated SQLite database.

A recognition officer at de asks cn — the node with authority over the university's country —
whether the university awarded a diploma to a person with these details; cn answers from its
own issued diplomas, yes or no, signed with its federation key, bound to the question by its
digest and carrying nothing personal. The details reach cn only: my holds none of them, in any
stream or its database; no stream holds them in clear at all (sealed to the recipient)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import OKPKey
from sqlalchemy import select

from contracts.credential_inquiries import AnswerStatement, InquiryAnswered
from services.credentials.app import create_app
from services.credentials.db import kernel_tables
from services.credentials.settings import CredentialsSettings
from shared.auth import Role
from shared.direct import DirectSender
from shared.signing import load_node_signer
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
from tests.credentials.test_diplomas import DIPLOMA
from tests.federation.test_direct_messages import (
    NODES,
    Federation,
    _database_holds,
    _streams_holding,
    federation,  # noqa: F401  (the module's federation: hub, cn, my, de)
)
from tests.recognition.factories import institution_event

pytestmark = pytest.mark.slow

INQUIRIES = "/v1/credentials/inquiries"
# Details distinctive enough to be searched for, byte by byte, in streams and databases.
FAMILY_NAME = "Ouyangzhenhua"
IDENTIFIER = "110101200103147788"
HOLDER = {
    "given_name": "Mingyue",
    "family_name": FAMILY_NAME,
    "birth_date": "2001-03-14",
    "identifier": {"scheme": "national-id", "value": IDENTIFIER},
}


@dataclass
class Node:
    node: str
    running: RunningService
    database_file: Path

    @property
    def client(self) -> Any:
        return self.running.client

    async def dead_letters(self) -> list[str]:
        async with self.running.runtime.database.session() as session:
            return list(await session.scalars(select(kernel_tables.dead_letter.c.error)))


@pytest.fixture
async def nodes(
    federation: Federation,  # noqa: F811
    token_keys: TokenKeys,
    tmp_path: Path,
) -> AsyncIterator[dict[str, Node]]:
    async with AsyncExitStack() as stack:
        started = {}
        for node in NODES:
            database_file = tmp_path / f"credentials-{node}.db"
            settings = CredentialsSettings(
                node_id=node,
                database_url=migrated(
                    "services.credentials", f"sqlite+aiosqlite:///{database_file}"
                ),
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
            started[node] = Node(node, running, database_file)
        yield started


async def _university_at_cn(nodes: dict[str, Node], make_token: MakeToken) -> uuid.UUID:
    """A cn university in the directory of every node, which issues a diploma at cn."""
    institution_id = uuid.uuid4()
    event = institution_event(
        node="cn", name="Zhejiang University", country="CN", institution_id=institution_id
    )
    for node in nodes.values():
        runtime = node.running.runtime
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)
    headers = bearer(
        make_token(Role.UNIVERSITY, node="cn", institution_id=institution_id, client_id="registrar")
    )
    response = await nodes["cn"].client.post(
        "/v1/credentials/diplomas", json=DIPLOMA | {"holder": HOLDER}, headers=headers
    )
    assert response.status_code == 201, response.text
    ISSUED[institution_id] = response.json()["id"]
    return institution_id


# The diploma each test's university issued, by institution.
ISSUED: dict[uuid.UUID, str] = {}


def _question(institution_id: uuid.UUID, **holder: Any) -> dict[str, Any]:
    """A question with every field given (nulls included): its canonical JSON is this."""
    return {
        "institution_id": str(institution_id),
        "holder": {
            "given_name": HOLDER["given_name"],
            "family_name": FAMILY_NAME,
            "birth_date": HOLDER["birth_date"],
            "identifier_scheme": "national-id",
            "identifier_value": IDENTIFIER,
        }
        | holder,
        "qualification": {"title": "Bachelor of Engineering", "award_date": "2024-06-30"},
    }


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _verified_by_trust_list(trust: TrustList, inquiry: dict[str, Any]) -> bool:
    """The detached JWS over the statement's canonical JSON, checked with plain joserfc and
    the key the trust list gives the answering node (RFC 7515 Appendix F: the payload put
    back between the dots)."""
    header_b64, _, signature_b64 = inquiry["signature"].split(".")
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    node = trust.node(inquiry["statement"]["answerer_node"])
    assert node is not None
    key = next(k for k in node.keys if k.kid == header["kid"])
    token = f"{header_b64}.{_b64url(_canonical(inquiry['statement']))}.{signature_b64}"
    try:
        jws.deserialize_compact(
            token, OKPKey.import_key(key.public_key), algorithms=[header["alg"]]
        )
    except Exception:
        return False
    return True


async def _answered(node: Node, headers: dict[str, str], inquiry_id: str) -> dict[str, Any]:
    async def answered() -> dict[str, Any] | None:
        response = await node.client.get(f"{INQUIRIES}/{inquiry_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body if body["status"] == "answered" else None

    return await eventually(answered, timeout=90, interval=0.3, what="the issuer's answer")


async def test_the_issuer_answers_and_the_details_reach_nobody_else(
    federation: Federation,  # noqa: F811
    nodes: dict[str, Node],
    make_token: MakeToken,
) -> None:
    de = nodes["de"]
    institution_id = await _university_at_cn(nodes, make_token)
    officer = bearer(make_token(Role.RECOGNITION_OFFICER, node="de", client_id="de-enic"))
    trust = TrustList.load(federation.trust_file)

    question = _question(institution_id)
    response = await de.client.post(INQUIRIES, json=question, headers=officer)
    assert response.status_code == 202, response.text
    asked = response.json()
    assert asked["status"] == "pending" and asked["target_node"] == "cn"
    digest = "sha256:" + hashlib.sha256(_canonical(question)).hexdigest()
    assert asked["question_digest"] == digest

    inquiry = await _answered(de, officer, asked["id"])
    assert inquiry["answer"] == "yes"
    # The statement: the answer bound to the inquiry and the question's digest, nothing else.
    statement = inquiry["statement"]
    assert set(statement) == {
        "type",
        "inquiry_id",
        "asker_node",
        "answerer_node",
        "institution_id",
        "question_digest",
        "answer",
        "answered_at",
    }
    assert statement["inquiry_id"] == asked["id"]
    assert (statement["asker_node"], statement["answerer_node"]) == ("de", "cn")
    assert statement["question_digest"] == digest and statement["answer"] == "yes"
    assert _verified_by_trust_list(trust, inquiry)
    altered = inquiry | {"statement": statement | {"answer": "no"}}
    assert not _verified_by_trust_list(trust, altered)

    # Details that do not match a diploma of cn (another birth date): no.
    response = await de.client.post(
        INQUIRIES, json=_question(institution_id, birth_date="2001-03-15"), headers=officer
    )
    assert response.status_code == 202, response.text
    other = await _answered(de, officer, response.json()["id"])
    assert other["answer"] == "no" and _verified_by_trust_list(trust, other)

    # my, the third node, holds none of the details, in any stream or its database; no stream
    # of any node holds them in clear (sealed to cn).
    for needle in (FAMILY_NAME.encode(), IDENTIFIER.encode()):
        assert not _database_holds(nodes["my"].database_file, needle)
        for node in NODES:
            assert await _streams_holding(federation.servers[node], needle) == set(), node
    assert not _database_holds(nodes["my"].database_file, asked["id"].encode())


async def test_inquiries_are_authorised_and_answered_at_home(
    federation: Federation,  # noqa: F811
    nodes: dict[str, Node],
    make_token: MakeToken,
) -> None:
    cn, de = nodes["cn"], nodes["de"]
    institution_id = await _university_at_cn(nodes, make_token)
    question = _question(institution_id)
    assert (await de.client.post(INQUIRIES, json=question)).status_code == 401
    registrar = bearer(make_token(Role.REGISTRAR, node="de"))
    assert (await de.client.post(INQUIRIES, json=question, headers=registrar)).status_code == 403
    admissions = bearer(make_token(Role.UNIVERSITY, node="de", client_id="tum-admissions"))
    unknown = _question(uuid.uuid4())
    response = await de.client.post(INQUIRIES, json=unknown, headers=admissions)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    bad = question | {"holder": question["holder"] | {"birth_date": "14/03/2001"}}
    assert (await de.client.post(INQUIRIES, json=bad, headers=admissions)).status_code == 422

    response = await de.client.post(INQUIRIES, json=question, headers=admissions)
    assert response.status_code == 202, response.text
    inquiry_id = response.json()["id"]
    # Only the client that asked reads it (and a node admin).
    other = bearer(make_token(Role.RECOGNITION_OFFICER, node="de", client_id="someone-else"))
    assert (await de.client.get(f"{INQUIRIES}/{inquiry_id}", headers=other)).status_code == 404
    admin = bearer(make_token(Role.NODE_ADMIN, node="de", client_id="de-admin"))
    assert (await de.client.get(f"{INQUIRIES}/{inquiry_id}", headers=admin)).status_code == 200
    assert (await _answered(de, admissions, inquiry_id))["answer"] == "yes"

    # At cn itself, the node with authority answers at once.
    at_cn = bearer(make_token(Role.RECOGNITION_OFFICER, node="cn", client_id="cn-cscse"))
    response = await cn.client.post(INQUIRIES, json=question, headers=at_cn)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "answered" and response.json()["answer"] == "yes"
    assert _verified_by_trust_list(TrustList.load(federation.trust_file), response.json())

    # A suspended diploma is not one the issuer vouches for while it stays suspended (issue
    # 20, item 3: suspension is reversible; the answer follows it), and never says why.
    issuer = bearer(
        make_token(Role.UNIVERSITY, node="cn", institution_id=institution_id, client_id="registrar")
    )
    suspension = f"/v1/credentials/{ISSUED[institution_id]}/suspension"
    response = await cn.client.post(suspension, json={"reason": "under review"}, headers=issuer)
    assert response.status_code == 200, response.text
    response = await cn.client.post(INQUIRIES, json=question, headers=at_cn)
    assert response.status_code == 202 and response.json()["answer"] == "no", response.text
    assert "under review" not in response.text
    assert (await cn.client.delete(suspension, headers=issuer)).status_code == 200
    response = await cn.client.post(INQUIRIES, json=question, headers=at_cn)
    assert response.status_code == 202 and response.json()["answer"] == "yes", response.text


async def test_an_answer_from_a_node_not_asked_is_refused(
    federation: Federation,  # noqa: F811
    nodes: dict[str, Node],
    make_token: MakeToken,
) -> None:
    """my (genuinely signed messages, but not the node asked) sends de an answer "yes" to de's
    pending inquiry to cn: de refuses it (a dead letter) and the inquiry stays pending."""
    de, my = nodes["de"], nodes["my"]
    institution_id = await _university_at_cn(nodes, make_token)
    officer = bearer(make_token(Role.RECOGNITION_OFFICER, node="de", client_id="de-enic"))
    # Asked while cn's service does not answer: cn's consumer is stopped first.
    await nodes["cn"].running.runtime.stop()
    response = await de.client.post(INQUIRIES, json=_question(institution_id), headers=officer)
    assert response.status_code == 202, response.text
    asked = response.json()
    my_runtime = my.running.runtime
    async with my_runtime.database.session() as session:
        signer = load_node_signer(federation.keys["my"], "my")
        assert signer is not None
        statement = AnswerStatement.model_validate(
            {
                "inquiry_id": asked["id"],
                "asker_node": "de",
                "answerer_node": "my",
                "institution_id": str(institution_id),
                "question_digest": asked["question_digest"],
                "answer": "yes",
                "answered_at": asked["asked_at"],
            }
        )
        forged = InquiryAnswered(statement=statement, signature=signer.sign(statement.canonical()))
        await DirectSender.of(my_runtime).send(
            session,
            to="de",
            type="inquiry.answered",
            subject=asked["id"],
            data=forged.model_dump(mode="json"),
        )

    async def refused() -> list[str] | None:
        errors = await de.dead_letters()
        return errors or None

    errors = " | ".join(await eventually(refused, timeout=90, interval=0.3, what="a refusal"))
    assert "from node 'my' to an inquiry sent to 'cn'" in errors
    response = await de.client.get(f"{INQUIRIES}/{asked['id']}", headers=officer)
    assert response.json()["status"] == "pending"
