"""What the verification report tells a reader beside its checks: the qualification's level in
the verifying node's own framework, and the institution's QA status at the award date as the
verifying node's quality service gives it — with the issuing node stopped.

The expected levels come from the referencing sources the reference data cites: DQR levels 1-8
are EQF levels 1-8 (the German referencing report, 2012, verified); the Chinese xueshi is EQF 6
only by the node's own comparability statement (no official referencing exists: not verified).
The expected QA status follows the BRIEF: a valid positive institutional decision at the date
makes the institution accredited."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from contracts.institutions import InstitutionState
from services.credentials.db import kernel_tables
from services.quality.app import create_app as create_quality_app
from services.quality.db import kernel_tables as quality_kernel_tables
from services.quality.institutions.service import InstitutionCopyService
from services.quality.settings import QualitySettings
from shared.auth import Role
from shared.db import utcnow
from shared.events import CloudEvent
from shared.runtime import ServiceRuntime
from tests.conftest import MakeToken, ServiceLauncher, bearer, migrated
from tests.credentials.conftest import CredentialsNode, Federation, StartNode, university
from tests.credentials.test_diplomas import DIPLOMA, _failed, _verify
from tests.gateway.conftest import serve
from tests.quality.conftest import agency_payload, evaluation_payload
from tests.recognition.factories import institution_event

XUESHI = DIPLOMA | {
    "qualification": DIPLOMA["qualification"]
    | {
        "level": {"framework": "CN", "level": "xueshi"},
        "referenced_levels": [{"framework": "EQF", "level": "6"}],
    }
}


async def published(node: CredentialsNode, prefix: str) -> list[CloudEvent]:
    """The events of `prefix` the node's outbox holds: what its relay publishes to peers."""
    async with node.running.runtime.database.session() as session:
        rows = await session.scalars(
            select(kernel_tables.outbox.c.payload).where(
                kernel_tables.outbox.c.type.startswith(prefix)
            )
        )
        return [CloudEvent.from_bytes(payload) for payload in rows]


async def issued_at_cn_replicated_to_de(
    start_credentials: StartNode, make_token: MakeToken, body: dict[str, Any], **de: Any
) -> tuple[CredentialsNode, dict[str, Any], uuid.UUID]:
    """A diploma issued at a CN node, its institution and status list applied at a DE node as
    replication would; the CN node is stopped. Returns the DE node, the issued credential and
    the institution's id."""
    cn = await start_credentials("CN")
    institution_id = uuid.uuid4()
    institution = institution_event(
        node=cn.node, name="Tsinghua University", country="CN", institution_id=institution_id
    )
    await cn.apply(institution)
    response = await cn.client.post(
        "/v1/credentials/diplomas",
        json=body,
        headers=university(make_token, cn.node, institution_id),
    )
    assert response.status_code == 201, response.text
    lists = await published(cn, "credentials.status_list.")
    assert lists
    await cn.running.runtime.stop()
    de_node = await start_credentials("DE", **de)
    await de_node.apply(institution, *lists)
    return de_node, response.json(), institution_id


async def test_the_level_in_the_verifying_nodes_framework(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    de, issued, _ = await issued_at_cn_replicated_to_de(start_credentials, make_token, XUESHI)
    report = await _verify(de, issued["jwt"])
    assert report["valid"] is True, report
    assert report["levels"] == [
        {
            "framework": "DQR",
            "stated_level": "CN:xueshi",
            "comparable_level": "DQR:6",
            "comparable_level_name": "DQR Niveau 6 (Bachelor, Meister)",
            "route": "CNDL:xueshi → EQF:6 → DQR:6",
            "bases": ["comparability_statement", "official_referencing"],
            "verified": False,
            "reason": report["levels"][0]["reason"],
        }
    ]
    assert "not verified" in report["levels"][0]["reason"]


async def test_a_level_unknown_to_the_reference_data_is_said_so(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    only_national = DIPLOMA | {
        "qualification": DIPLOMA["qualification"]
        | {"level": {"framework": "CN-NQF", "level": "6"}, "referenced_levels": []}
    }
    de, issued, _ = await issued_at_cn_replicated_to_de(
        start_credentials, make_token, only_national
    )
    report = await _verify(de, issued["jwt"])
    # A level that cannot be compared does not make an authentic credential invalid.
    assert report["valid"] is True, report
    (level,) = report["levels"]
    assert level["framework"] == "DQR" and level["comparable_level"] is None
    assert "CN-NQF:6" in level["reason"]

    # Through the referenced EQF level instead (as the test diplomas state it): EQF 6 → DQR 6,
    # verified (the German referencing report).
    de2, issued2, _ = await issued_at_cn_replicated_to_de(start_credentials, make_token, DIPLOMA)
    (level,) = (await _verify(de2, issued2["jwt"]))["levels"]
    assert level["comparable_level"] == "DQR:6" and level["route"] == "EQF:6 → DQR:6"
    assert level["verified"] is True


async def test_nothing_is_compared_for_a_tampered_credential(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    de, issued, _ = await issued_at_cn_replicated_to_de(start_credentials, make_token, XUESHI)
    header, payload, signature = issued["jwt"].split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    report = await _verify(de, f"{header}.{payload}.{flipped}")
    assert "signature" in _failed(report)
    assert report["levels"] == [] and report["quality"] is None


def _quality_app(services: ServiceLauncher, node: str) -> Any:
    return create_quality_app(
        QualitySettings(
            **services._settings(
                node, migrated("services.quality", services.new_database_url("qual")), None
            ),
            expiry_interval_seconds=3600,
        )
    )


async def test_the_qa_status_at_the_award_date_at_the_verifying_node(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
) -> None:
    cn_node, de_node = federation.nodes["CN"], federation.nodes["DE"]
    de_quality = _quality_app(services, de_node)
    quality_url = await services.stack.enter_async_context(serve(de_quality))
    de, issued, institution_id = await issued_at_cn_replicated_to_de(
        start_credentials, make_token, XUESHI, quality_url=quality_url
    )
    # DE's quality service holds no evaluation of the institution: no status at the date.
    report = await _verify(de, issued["jwt"])
    quality = report["quality"]
    assert quality["award_date"] == "2024-06-30"
    assert quality["status"] == "none"
    # The issuer had no quality service: its evidence says "unknown", which agrees with nothing.
    assert quality["evidence_status"] == "unknown" and quality["agrees"] is None

    # A CN agency's positive institutional evaluation, valid 2020-01-01 to 2025-12-31, made at
    # CN's quality service and applied at DE's as replication does: accredited at the award
    # date.
    cn_quality = _quality_app(services, cn_node)
    cn_quality_url = await services.stack.enter_async_context(serve(cn_quality))
    for app in (cn_quality, de_quality):
        runtime: ServiceRuntime[Any] = app.state.runtime
        async with runtime.database.session() as session:
            await InstitutionCopyService(session).apply_institution_state(
                InstitutionState(
                    id=institution_id,
                    origin_node=cn_node,
                    country="CN",
                    name="Tsinghua University",
                    updated_at=utcnow(),
                ),
                1,
            )
    admin = bearer(make_token(Role.NODE_ADMIN, node=cn_node, client_id="admin-1"))
    async with httpx.AsyncClient(base_url=cn_quality_url, timeout=10) as client:
        agency = await client.post("/v1/quality/agencies", json=agency_payload(), headers=admin)
        assert agency.status_code == 201, agency.text
        agency_token = bearer(
            make_token(Role.QA_AGENCY, node=cn_node, agency_id=uuid.UUID(agency.json()["id"]))
        )
        evaluation = await client.post(
            "/v1/quality/evaluations",
            json=evaluation_payload("HEEC-I-2020-0001", [institution_id]),
            headers=agency_token,
        )
        assert evaluation.status_code == 201, evaluation.text
    cn_runtime: ServiceRuntime[Any] = cn_quality.state.runtime
    async with cn_runtime.database.session() as session:
        outbox = quality_kernel_tables.outbox
        rows = await session.scalars(select(outbox.c.payload).order_by(outbox.c.created_at))
        events = [CloudEvent.from_bytes(payload) for payload in rows]
    de_runtime: ServiceRuntime[Any] = de_quality.state.runtime
    async with de_runtime.database.session() as session:
        for event in events:
            await de_runtime.apply_event(session, event)
    report = await _verify(de, issued["jwt"])
    assert report["valid"] is True
    assert report["quality"]["status"] == "accredited", report["quality"]


async def test_without_a_quality_service_the_report_says_so(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    de, issued, _ = await issued_at_cn_replicated_to_de(start_credentials, make_token, XUESHI)
    quality = (await _verify(de, issued["jwt"]))["quality"]
    assert quality["status"] is None and "no quality service" in quality["reason"]
