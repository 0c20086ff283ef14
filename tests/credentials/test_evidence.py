"""A diploma's evidence: the institution's QA status at the award date, asked of the node's
quality service over HTTP (a real one, on a socket), and recorded as it answered — or that
it did not."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from contracts.institutions import InstitutionState
from services.quality.app import create_app as create_quality_app
from services.quality.institutions.service import InstitutionCopyService
from services.quality.settings import QualitySettings
from shared.auth import Role
from shared.db import utcnow
from shared.runtime import ServiceRuntime
from tests.conftest import MakeToken, ServiceLauncher, bearer, migrated
from tests.credentials.conftest import Federation, StartNode, university
from tests.credentials.test_diplomas import DIPLOMA, _institution, _verify
from tests.gateway.conftest import serve, unused_url
from tests.quality.conftest import agency_payload, evaluation_payload


async def test_qa_status_at_the_award_date_is_the_evidence(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
) -> None:
    node = federation.nodes["CN"]
    quality_app = create_quality_app(
        QualitySettings(
            **services._settings(
                node, migrated("services.quality", services.new_database_url("qual")), None
            ),
            expiry_interval_seconds=3600,
        )
    )
    quality_url = await services.stack.enter_async_context(serve(quality_app))
    cn = await start_credentials("CN", quality_url=quality_url)
    institution_id = await _institution(cn, "CN")

    # The same institution in quality's copy, an agency, and a positive institutional
    # evaluation valid 2020-01-01 to 2025-12-31: at the award date (2024-06-30) the
    # institution is accredited (BRIEF: a valid positive decision).
    runtime: ServiceRuntime[Any] = quality_app.state.runtime
    async with runtime.database.session() as session:
        await InstitutionCopyService(session).apply_institution_state(
            InstitutionState(
                id=institution_id,
                origin_node=node,
                country="CN",
                name="Tsinghua University",
                updated_at=utcnow(),
            ),
            1,
        )
    admin = bearer(make_token(Role.NODE_ADMIN, node=node, client_id="admin-1"))
    async with httpx.AsyncClient(base_url=quality_url, timeout=10) as quality:
        agency = await quality.post("/v1/quality/agencies", json=agency_payload(), headers=admin)
        assert agency.status_code == 201, agency.text
        agency_token = bearer(
            make_token(Role.QA_AGENCY, node=node, agency_id=uuid.UUID(agency.json()["id"]))
        )
        evaluation = await quality.post(
            "/v1/quality/evaluations",
            json=evaluation_payload("HEEC-I-2020-0001", [institution_id]),
            headers=agency_token,
        )
        assert evaluation.status_code == 201, evaluation.text

    response = await cn.client.post(
        "/v1/credentials/diplomas",
        json=DIPLOMA,
        headers=university(make_token, node, institution_id),
    )
    assert response.status_code == 201, response.text
    evidence = response.json()["credential"]["evidence"][0]
    assert evidence["qaStatus"] == "accredited"
    assert evidence["at"] == "2024-06-30"
    assert evidence["evaluations"] == [evaluation.json()["id"]]
    assert (await _verify(cn, response.json()["jwt"]))["valid"] is True


async def test_a_silent_quality_service_is_recorded_as_such(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN", quality_url=unused_url(), quality_timeout=2)
    institution_id = await _institution(cn, "CN")
    response = await cn.client.post(
        "/v1/credentials/diplomas",
        json=DIPLOMA,
        headers=university(make_token, cn.node, institution_id),
    )
    assert response.status_code == 201, response.text
    evidence = response.json()["credential"]["evidence"][0]
    assert evidence["qaStatus"] == "unknown"
    assert "did not answer" in evidence["note"]
