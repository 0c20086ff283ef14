"""Statements of recognition and QA evaluations as credentials, issued from what the node's
recognition and quality services record — each a real service on a real socket, read over
HTTP as a deployed node reads it. What each answer must be comes from the issue (#20: a
decision issued to its applicant; an agency's evaluation as a public credential; only the
right issuer; a clear 4xx otherwise) and the recognition state machine (BRIEF §3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from contracts.institutions import InstitutionState
from services.quality.app import create_app as create_quality_app
from services.quality.institutions.service import InstitutionCopyService
from services.quality.settings import QualitySettings
from services.recognition.app import create_app as create_recognition_app
from services.recognition.settings import RecognitionSettings
from shared.auth import Role
from shared.db import utcnow
from shared.runtime import ServiceRuntime
from tests.conftest import MakeToken, ServiceLauncher, bearer, migrated
from tests.credentials.conftest import Federation, StartNode, university
from tests.credentials.test_diplomas import _failed, _institution, _verify
from tests.gateway.conftest import serve, unused_url
from tests.quality.conftest import agency_payload, evaluation_payload
from tests.recognition.conftest import APPLICANT
from tests.recognition.factories import institution_event
from tests.recognition.test_assessment_golden import malaysian_directory, my_bachelor

AGREEMENT = {"kind": "bilateral agreement", "reference": "cn-my-2011"}


@dataclass
class Recognition:
    """The node's recognition service, served on a socket, and an officer's token."""

    url: str
    officer: dict[str, str]

    async def case(self, *, decide: bool = True) -> str:
        """A case of a Malaysian bachelor (host CN) taken through its states: opened,
        completed, assessed and — with `decide` — decided, recognised under the CN-MY
        agreement."""
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
            body = {
                "applicant": APPLICANT,
                "purpose": "further_study",
                "qualification": my_bachelor(),
                "target_level": "CNDL:xueshi",
            }
            response = await client.post("/v1/recognition/cases", json=body, headers=self.officer)
            assert response.status_code == 201, response.text
            case_id = str(response.json()["id"])
            for target in ("submitted", "complete"):
                response = await client.post(
                    f"/v1/recognition/cases/{case_id}/status",
                    json={"to": target, "legal_reason": f"step to {target}"},
                    headers=self.officer,
                )
                assert response.status_code == 200, response.text
            response = await client.post(
                f"/v1/recognition/cases/{case_id}/assessment", headers=self.officer
            )
            assert response.status_code == 200, response.text
            if decide:
                response = await client.post(
                    f"/v1/recognition/cases/{case_id}/decision",
                    json={"outcome": "recognised", "legal_basis": AGREEMENT},
                    headers=self.officer,
                )
                assert response.status_code == 201, response.text
        return case_id

    async def appeal(self, case_id: str) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
            response = await client.post(
                f"/v1/recognition/cases/{case_id}/appeal",
                json={"grounds": "the level should be higher"},
                headers=self.officer,
            )
            assert response.status_code == 201, response.text


async def start_recognition_of(
    services: ServiceLauncher, node: str, make_token: MakeToken
) -> Recognition:
    """The recognition service of `node` (the credentials node's own), on a socket, with the
    Malaysian directory and agreements its assessment reads."""
    url = migrated("services.recognition", services.new_database_url("rec"))
    app = create_recognition_app(RecognitionSettings(**services._settings(node, url, None)))
    base_url = await services.stack.enter_async_context(serve(app))
    runtime: ServiceRuntime[Any] = app.state.runtime
    async with runtime.database.session() as session:
        for event in malaysian_directory():
            await runtime.apply_event(session, event)
    officer = bearer(make_token(Role.RECOGNITION_OFFICER, node=node, client_id="officer-1"))
    return Recognition(url=base_url, officer=officer)


@dataclass
class Quality:
    """The node's quality service on a socket, an agency of it with a published evaluation."""

    url: str
    agency_id: uuid.UUID
    agency: dict[str, str]  # its client's headers
    evaluation_id: str


async def start_quality_of(
    services: ServiceLauncher, node: str, make_token: MakeToken, institution_id: uuid.UUID
) -> Quality:
    """The quality service of `node`, with the institution in its copy of the directory, an
    agency of CN and a positive institutional evaluation of the institution by it."""
    url = migrated("services.quality", services.new_database_url("qual"))
    app = create_quality_app(
        QualitySettings(**services._settings(node, url, None), expiry_interval_seconds=3600)
    )
    base_url = await services.stack.enter_async_context(serve(app))
    runtime: ServiceRuntime[Any] = app.state.runtime
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
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as quality:
        agency = await quality.post("/v1/quality/agencies", json=agency_payload(), headers=admin)
        assert agency.status_code == 201, agency.text
        agency_id = uuid.UUID(agency.json()["id"])
        headers = bearer(make_token(Role.QA_AGENCY, node=node, agency_id=agency_id))
        evaluation = await quality.post(
            "/v1/quality/evaluations",
            json=evaluation_payload(f"HEEC-I-{uuid.uuid4().hex[:8]}", [institution_id]),
            headers=headers,
        )
        assert evaluation.status_code == 201, evaluation.text
    return Quality(
        url=base_url,
        agency_id=agency_id,
        agency=headers,
        evaluation_id=str(evaluation.json()["id"]),
    )


async def test_a_final_decision_issued_to_its_applicant(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
) -> None:
    node = federation.nodes["CN"]
    recognition = await start_recognition_of(services, node, make_token)
    cn = await start_credentials("CN", recognition_url=recognition.url)
    case_id = await recognition.case()

    response = await cn.client.post(
        "/v1/credentials/recognition-statements",
        json={"case_id": case_id},
        headers=recognition.officer,
    )
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["kind"] == "statement" and issued["source_id"] == case_id
    assert issued["institution_id"] is None
    credential = issued["credential"]
    assert credential["type"] == ["VerifiableCredential", "RecognitionStatementCredential"]
    subject = credential["credentialSubject"]
    # The applicant as the case names them, in the credential handed to them.
    assert (subject["givenName"], subject["familyName"], subject["birthDate"]) == (
        APPLICANT["given_name"],
        APPLICANT["family_name"],
        APPLICANT["birth_date"],
    )
    # What was decided, by whom (the recognition authority of the host country, CN).
    assert subject["recognisedBy"]["country"] == "CN"
    recognition_claim = subject["recognition"]
    assert recognition_claim["outcome"] == "recognised"
    assert recognition_claim["hostCountry"] == "CN"
    assert recognition_claim["qualification"]["title"] == "Bachelor of Computer Science"
    assert recognition_claim["qualification"]["country"] == "MY"
    assert recognition_claim["afterAppeal"] is False
    # Contact details are not what a statement says.
    for private in (APPLICANT["email"], APPLICANT["phone"], APPLICANT["address"]):
        assert private not in str(credential)

    report = await _verify(cn, issued["jwt"])
    assert report["valid"] is True, report

    # The officer who may manage it reads it back; a university client cannot.
    read = await cn.client.get(f"/v1/credentials/{issued['id']}", headers=recognition.officer)
    assert read.status_code == 200
    stranger = university(make_token, node, uuid.uuid4())
    assert (
        await cn.client.get(f"/v1/credentials/{issued['id']}", headers=stranger)
    ).status_code == 404


async def test_a_statement_needs_a_final_decision_and_an_officer(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
) -> None:
    node = federation.nodes["CN"]
    recognition = await start_recognition_of(services, node, make_token)
    cn = await start_credentials("CN", recognition_url=recognition.url)
    url = "/v1/credentials/recognition-statements"

    undecided = await recognition.case(decide=False)
    response = await cn.client.post(url, json={"case_id": undecided}, headers=recognition.officer)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no final decision" in response.json()["detail"]

    appealed = await recognition.case()
    await recognition.appeal(appealed)
    response = await cn.client.post(url, json={"case_id": appealed}, headers=recognition.officer)
    assert response.status_code == 409, response.text
    assert "under appeal" in response.json()["detail"]

    response = await cn.client.post(
        url, json={"case_id": str(uuid.uuid4())}, headers=recognition.officer
    )
    assert response.status_code == 422, response.text
    assert "no recognition case" in response.json()["detail"]

    decided = await recognition.case()
    assert (await cn.client.post(url, json={"case_id": decided})).status_code == 401
    institution_id = await _institution(cn, "CN")
    registrar = university(make_token, node, institution_id)
    assert (
        await cn.client.post(url, json={"case_id": decided}, headers=registrar)
    ).status_code == 403
    # Not a case id at all.
    response = await cn.client.post(
        url, json={"case_id": "not-a-uuid"}, headers=recognition.officer
    )
    assert response.status_code == 422

    # No recognition service to ask: 503, not a guess.
    alone = await start_credentials("CN", recognition_url=unused_url(), recognition_timeout=2)
    response = await alone.client.post(url, json={"case_id": decided}, headers=recognition.officer)
    assert response.status_code == 503, response.text


async def test_an_agency_issues_its_own_evaluation(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
) -> None:
    node = federation.nodes["CN"]
    institution_id = uuid.uuid4()
    quality = await start_quality_of(services, node, make_token, institution_id)
    cn = await start_credentials("CN", quality_url=quality.url)
    await _institution_with_id(cn, institution_id)
    url = "/v1/credentials/qa-evaluations"

    response = await cn.client.post(
        url, json={"evaluation_id": quality.evaluation_id}, headers=quality.agency
    )
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["kind"] == "qa_evaluation"
    assert issued["agency_id"] == str(quality.agency_id)
    credential = issued["credential"]
    assert credential["type"] == ["VerifiableCredential", "QualityAssuranceEvaluationCredential"]
    subject = credential["credentialSubject"]
    assert subject["id"] == f"urn:edunode:evaluation:{quality.evaluation_id}"
    assert subject["decision"] == "positive"
    assert (subject["decisionValidFrom"], subject["decisionValidTo"]) == (
        "2020-01-01",
        "2025-12-31",
    )
    assert subject["institutions"] == [f"urn:edunode:institution:{institution_id}"]
    assert subject["agency"]["country"] == "CN"
    report = await _verify(cn, issued["jwt"])
    assert report["valid"] is True, report

    # Another agency's client: 403. An evaluation that is not published: 422.
    other = bearer(make_token(Role.QA_AGENCY, node=node, agency_id=uuid.uuid4()))
    response = await cn.client.post(
        url, json={"evaluation_id": quality.evaluation_id}, headers=other
    )
    assert response.status_code == 403, response.text
    assert "another agency" in response.json()["detail"]
    response = await cn.client.post(
        url, json={"evaluation_id": str(uuid.uuid4())}, headers=quality.agency
    )
    assert response.status_code == 422
    # A university may not issue an agency's evaluation.
    registrar = university(make_token, node, institution_id)
    response = await cn.client.post(
        url, json={"evaluation_id": quality.evaluation_id}, headers=registrar
    )
    assert response.status_code == 403

    # The agency manages what it issued: it revokes it, and verification says so.
    revoked = await cn.client.post(
        f"/v1/credentials/{issued['id']}/revocation",
        json={"reason": "the evaluation's report was corrected"},
        headers=quality.agency,
    )
    assert revoked.status_code == 200, revoked.text
    assert _failed(await _verify(cn, issued["jwt"])) == {"status": "revoked by its issuer"}


async def _institution_with_id(node: Any, institution_id: uuid.UUID) -> None:
    await node.apply(
        institution_event(
            node=node.node,
            name="Tsinghua University",
            country="CN",
            institution_id=institution_id,
            identifiers=[{"resource": "ror", "value": "03cve4549"}],
        )
    )
