"""The credentials beside the diploma, as W3C VCDM 2.0 documents: a statement of recognition
(a recognition decision, issued to its applicant), a QA agency's evaluation (public: no person
in it), and a micro-credential shaped as an Open Badges 3.0 `OpenBadgeCredential` carrying
the mandatory elements of the EU Council Recommendation of 16 June 2022 (2022/C 243/02).
The names `documents.awarding_body` reads back are set here."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from services.credentials import documents
from services.credentials.issuance.schemas import (
    MicroCredentialCreate,
    PublishedAgency,
    PublishedEvaluation,
    QualityEvidence,
    RecognitionCase,
    RecognitionDecision,
)

# The Open Badges 3.0 achievement credential's JSON schema, as its credentials name it.
OPEN_BADGES_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OPEN_BADGES_SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
# Where the EQF's levels are described (an Open Badges alignment needs a target URL).
EQF_LEVELS_URL = "https://europa.eu/europass/en/description-eight-eqf-levels"
_EXTENSION_NAME = re.compile(r"[^A-Za-z0-9.\-_]")


def _envelope(
    *,
    credential_id: uuid.UUID,
    node: str,
    valid_from: datetime,
    types: list[str],
    name: str,
    subject: dict[str, Any],
    credential_status: dict[str, Any] | list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "@context": [documents.VC_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": [documents.VC_TYPE, *types],
        "name": name,
        "issuer": {"id": documents.node_issuer_id(node), "name": f"edunode node {node}"},
        "validFrom": documents.timestamp(valid_from),
        "credentialSubject": subject,
        "credentialStatus": credential_status,
    }


def recognition_statement(
    *,
    credential_id: uuid.UUID,
    node: str,
    valid_from: datetime,
    case: RecognitionCase,
    decision: RecognitionDecision,
    credential_status: list[dict[str, Any]],
) -> dict[str, Any]:
    """A decision of this node's recognition authority on an applicant's qualification: who
    (the applicant as the case names them), what was presented, and what was decided — its
    outcome, comparable level, legal basis, conditions and substantial differences. The
    officer's free-text justification stays in the case."""
    applicant, qualification = case.applicant, case.qualification
    if applicant is None:
        raise ValueError("a statement names its applicant")
    presented: dict[str, Any] = {
        "type": "Qualification",
        "title": qualification.title,
        "country": qualification.country,
        "awardedOn": qualification.awarded_on.isoformat(),
    }
    if qualification.level:
        presented["level"] = qualification.level
    if qualification.institution_id:
        presented["awardedBy"] = documents.institution_urn(qualification.institution_id)
    if qualification.institution_name:
        presented["awardedByName"] = qualification.institution_name
    person: dict[str, Any] = {
        "type": "Person",
        "givenName": applicant.given_name,
        "familyName": applicant.family_name,
    }
    if applicant.birth_date:
        person["birthDate"] = applicant.birth_date.isoformat()
    subject = person | {
        "recognisedBy": {
            "id": documents.node_issuer_id(node) + "#recognition",
            "type": "RecognitionAuthority",
            "country": case.host_country,
        },
        "recognition": {
            "type": "RecognitionDecision",
            "id": f"urn:edunode:decision:{decision.id}",
            "case": f"urn:edunode:case:{case.id}",
            "purpose": case.purpose,
            "hostCountry": case.host_country,
            "targetLevel": case.target_level,
            "qualification": presented,
            "outcome": decision.outcome,
            "comparableLevel": decision.comparable_level,
            "legalBasis": decision.legal_basis,
            "legalBasisReference": decision.legal_basis_reference,
            "conditions": decision.conditions,
            "substantialDifferences": decision.substantial_differences,
            "decidedOn": decision.decided_on.isoformat(),
            "afterAppeal": case.status == "appeal_decided",
        },
    }
    return _envelope(
        credential_id=credential_id,
        node=node,
        valid_from=valid_from,
        types=[documents.STATEMENT_TYPE],
        name=f"Statement of recognition: {qualification.title}",
        subject=subject,
        credential_status=credential_status,
    )


def qa_evaluation(
    *,
    credential_id: uuid.UUID,
    node: str,
    valid_from: datetime,
    evaluation: PublishedEvaluation,
    agency: PublishedAgency,
    credential_status: list[dict[str, Any]],
) -> dict[str, Any]:
    """A QA agency's evaluation as its node's quality service publishes it: the agency, what
    was evaluated (institutions, programmes), the decision and the period it holds for, and
    the reports. Public: no person in it."""
    agency_body: dict[str, Any] = {
        "id": f"urn:edunode:agency:{agency.id}",
        "type": "QualityAssuranceAgency",
        "name": agency.name,
        "acronym": agency.acronym,
        "country": agency.country.upper(),
    }
    if agency.deqar_id:
        agency_body["deqarId"] = agency.deqar_id
    subject = {
        "id": f"urn:edunode:evaluation:{evaluation.id}",
        "type": "QualityAssuranceEvaluation",
        "agency": agency_body,
        "localIdentifier": evaluation.local_identifier,
        "activityType": evaluation.activity_type,
        "activity": evaluation.activity,
        "status": evaluation.status,
        "decision": evaluation.decision,
        "decisionValidFrom": evaluation.valid_from.isoformat(),
        "decisionValidTo": evaluation.valid_to.isoformat(),
        "institutions": [documents.institution_urn(i) for i in evaluation.institution_ids],
        "countries": evaluation.countries,
        "programmes": evaluation.programmes,
        "summary": evaluation.summary,
        "reports": evaluation.files,
    }
    return _envelope(
        credential_id=credential_id,
        node=node,
        valid_from=valid_from,
        types=[documents.EVALUATION_TYPE],
        name=f"QA evaluation {evaluation.local_identifier} by {agency.acronym}",
        subject=subject,
        credential_status=credential_status,
    )


def _identity(identity_type: str, value: str) -> dict[str, Any]:
    return {
        "type": "IdentityObject",
        "identityType": identity_type,
        "hashed": False,
        "identityHash": value,
    }


def _identity_type(scheme: str) -> str:
    """An Open Badges `identityType`: the spec's term for a national id, else an `ext:` one."""
    if scheme == "national-id":
        return "nationalIdentityNumber"
    return "ext:" + _EXTENSION_NAME.sub("-", scheme)


def micro_credential(
    *,
    credential_id: uuid.UUID,
    node: str,
    valid_from: datetime,
    data: MicroCredentialCreate,
    institution: dict[str, Any],
    evidence: QualityEvidence,
    credential_status: dict[str, Any],
) -> dict[str, Any]:
    """An Open Badges 3.0 `OpenBadgeCredential` whose achievement is the micro-credential.
    Each mandatory element of the 2022 Recommendation (Annex I) has its Open Badges place
    where there is one (the learner as the subject's identifiers, the title as the
    achievement's name, the awarding body as its creator with its country, the workload as
    `creditsAvailable` in ECTS, the level as an alignment, the assessment in the criteria) and
    all of them, named as the Recommendation names them, in `euMicroCredential`."""
    learner = data.learner
    identifiers = [
        _identity("name", f"{learner.given_name} {learner.family_name}"),
        _identity(_identity_type(learner.identifier.scheme), learner.identifier.value),
        _identity("ext:dateOfBirth", learner.birth_date.isoformat()),
    ]
    address: dict[str, Any] = {"type": ["Address"], "addressCountryCode": institution["country"]}
    if data.region:
        address["addressRegion"] = data.region
    creator = {
        "id": institution["id"],
        "type": ["Profile"],
        "name": institution["legalName"],
        "address": address,
        "otherIdentifier": [
            {
                "type": "IdentifierEntry",
                "identifier": i["notation"],
                "identifierType": "ext:" + _EXTENSION_NAME.sub("-", i["schemeName"]),
            }
            for i in institution["identifier"]
        ],
    }
    workload = data.workload
    achievement: dict[str, Any] = {
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": data.title,
        "@language": data.title_lang,
        "description": "Learning outcomes: " + "; ".join(data.learning_outcomes),
        "criteria": {"narrative": f"Type of assessment: {data.assessment_type}."},
        "creator": creator,
    }
    if workload.ects_credits is not None:
        achievement["creditsAvailable"] = workload.ects_credits
    if data.isced_f:
        achievement["fieldOfStudy"] = f"ISCED-F {data.isced_f}"
    if data.level is not None:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": f"{data.level.framework} level {data.level.level}",
                "targetFramework": data.level.framework,
                "targetCode": data.level.level,
                "targetUrl": EQF_LEVELS_URL
                if data.level.framework.upper() == "EQF"
                else f"urn:edunode:framework:{data.level.framework}:{data.level.level}",
            }
        ]
    achievement["euMicroCredential"] = {
        "learner": f"{learner.given_name} {learner.family_name}",
        "title": data.title,
        "issuerCountry": institution["country"],
        "issuerRegion": data.region,
        "awardingBody": institution["id"],
        "dateOfIssuing": valid_from.date().isoformat(),
        "learningOutcomes": data.learning_outcomes,
        "workload": {"ectsCredits": workload.ects_credits, "hours": workload.hours},
        "level": (
            {"framework": data.level.framework, "level": data.level.level}
            if data.level is not None
            else None
        ),
        "assessmentType": data.assessment_type,
        "participationForm": data.participation_form.value,
        "qualityAssurance": data.quality_assurance,
    }
    document: dict[str, Any] = {
        "@context": [documents.VC_CONTEXT, documents.OPEN_BADGES_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": [documents.VC_TYPE, documents.OPEN_BADGE_TYPE],
        "name": data.title,
        "issuer": {
            "id": documents.node_issuer_id(node),
            "type": ["Profile"],
            "name": f"edunode node {node}",
        },
        "validFrom": documents.timestamp(valid_from),
        "credentialSchema": [{"id": OPEN_BADGES_SCHEMA, "type": OPEN_BADGES_SCHEMA_TYPE}],
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement,
        },
        "evidence": [
            {
                "type": ["Evidence", "QualityAssuranceStatus"],
                "name": "Quality assurance status of the awarding body",
                "description": "The awarding institution's QA status on the day of issuing, "
                "as the issuing node's quality service gave it.",
                "qaStatus": evidence.status,
                "at": evidence.at.isoformat(),
                "evaluations": evidence.evaluations,
                **({"note": evidence.note} if evidence.note else {}),
            }
        ],
        # Open Badges 3.0 takes one status entry: revocation (no suspension list).
        "credentialStatus": credential_status,
    }
    if data.valid_until is not None:
        document["validUntil"] = documents.timestamp(data.valid_until)
    return document
