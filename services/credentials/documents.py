"""The credentials' shapes (W3C Verifiable Credentials Data Model 2.0): a diploma, with its
Bitstring Status List entry, and the status list credential itself. One place for the names
the verification reads back."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.credentials.issuance.schemas import DiplomaCreate, QualityEvidence
from services.credentials.settings import CredentialsSettings
from shared.trust import TrustList

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_TYPE = "VerifiableCredential"
DIPLOMA_TYPE = "DiplomaCredential"
STATEMENT_TYPE = "RecognitionStatementCredential"
EVALUATION_TYPE = "QualityAssuranceEvaluationCredential"
# Open Badges 3.0 (a micro-credential): its context after the VC one, its credential type.
OPEN_BADGES_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OPEN_BADGE_TYPE = "OpenBadgeCredential"
STATUS_ENTRY_TYPE = "BitstringStatusListEntry"
STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
STATUS_PATH = "/v1/credentials/status/"
_NODE_PREFIX = "urn:edunode:node:"
_INSTITUTION_PREFIX = "urn:edunode:institution:"


def node_issuer_id(node: str) -> str:
    return _NODE_PREFIX + node


def node_of_issuer(issuer: object) -> str | None:
    """The node an `issuer` (a URL or an object with an `id`) names, if it is one of ours."""
    identifier = issuer.get("id") if isinstance(issuer, dict) else issuer
    if isinstance(identifier, str) and identifier.startswith(_NODE_PREFIX):
        return identifier.removeprefix(_NODE_PREFIX)
    return None


def institution_urn(institution_id: uuid.UUID) -> str:
    return _INSTITUTION_PREFIX + str(institution_id)


def institution_of(urn: object) -> uuid.UUID | None:
    if not isinstance(urn, str) or not urn.startswith(_INSTITUTION_PREFIX):
        return None
    try:
        return uuid.UUID(urn.removeprefix(_INSTITUTION_PREFIX))
    except ValueError:
        return None


def timestamp(moment: datetime) -> str:
    """An XML Schema dateTimeStamp in UTC to the second, as `validFrom` takes."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def public_base_url(settings: CredentialsSettings, trust: TrustList | None) -> str:
    """The node's public base URL: its setting, else its gateway in the trust list."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    node = trust.node(settings.node_id) if trust is not None else None
    if node is not None and node.gateway_url:
        return node.gateway_url.rstrip("/")
    return f"http://{settings.host}:{settings.port}"


def status_list_url(base_url: str, list_id: uuid.UUID) -> str:
    return f"{base_url}{STATUS_PATH}{list_id}"


def status_list_of(url: object) -> uuid.UUID | None:
    """The list id a `statusListCredential` URL names (its last path segment)."""
    if not isinstance(url, str) or STATUS_PATH not in url:
        return None
    try:
        return uuid.UUID(url.rsplit("/", 1)[-1])
    except ValueError:
        return None


def diploma(
    *,
    credential_id: uuid.UUID,
    node: str,
    valid_from: datetime,
    data: DiplomaCreate,
    institution: dict[str, Any],
    evidence: QualityEvidence,
    credential_status: dict[str, Any] | list[dict[str, Any]],
) -> dict[str, Any]:
    """A diploma as a VCDM 2.0 credential, in the European Learning Model's terms where
    it has one (a qualification awarded: title, level, ISCED-F, credits, mode of study)."""
    holder, qualification = data.holder, data.qualification
    document: dict[str, Any] = {
        "@context": [VC_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": [VC_TYPE, DIPLOMA_TYPE],
        "name": qualification.titles[0].value,
        "issuer": {"id": node_issuer_id(node), "name": f"edunode node {node}"},
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "type": "Person",
            "givenName": holder.given_name,
            "familyName": holder.family_name,
            "birthDate": holder.birth_date.isoformat(),
            "identifier": {
                "schemeName": holder.identifier.scheme,
                "notation": holder.identifier.value,
            },
            "hasClaim": {
                "type": "LearningAchievement",
                "title": {t.lang: t.value for t in qualification.titles},
                "awardedOnDate": qualification.award_date.isoformat(),
                "specifiedBy": {
                    "type": "Qualification",
                    "title": {t.lang: t.value for t in qualification.titles},
                    "level": [
                        {"framework": lvl.framework, "level": lvl.level}
                        for lvl in [qualification.level, *qualification.referenced_levels]
                    ],
                    "iscedfCode": qualification.isced_f,
                    "creditPoint": {
                        "point": qualification.credits,
                        "framework": qualification.credit_system,
                    },
                    "modeOfLearningAndAssessment": qualification.mode_of_study.value,
                },
                "awardedBy": institution,
            },
        },
        "evidence": [
            {
                "type": ["Evidence", "QualityAssuranceStatus"],
                "description": "The awarding institution's quality assurance status at the "
                "award date, as the issuing node's quality service gave it.",
                "qaStatus": evidence.status,
                "at": evidence.at.isoformat(),
                "evaluations": evidence.evaluations,
                **({"note": evidence.note} if evidence.note else {}),
            }
        ],
        "credentialStatus": credential_status,
    }
    if data.valid_until is not None:
        document["validUntil"] = timestamp(data.valid_until)
    return document


def status_entry(url: str, purpose: str, index: int) -> dict[str, Any]:
    """A credential's entry in a status list (`BitstringStatusListEntry`)."""
    return {
        "id": f"{url}#{index}",
        "type": STATUS_ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def status_entries(credential: dict[str, Any]) -> list[object]:
    """A credential's `credentialStatus`: one entry or several (VCDM 2.0 allows both)."""
    status = credential.get("credentialStatus")
    if status is None:
        return []
    return list(status) if isinstance(status, list) else [status]


def status_list_credential(
    *, url: str, node: str, purpose: str, encoded_list: str, valid_from: datetime
) -> dict[str, Any]:
    """A status list as the spec's `BitstringStatusListCredential`."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": [VC_TYPE, STATUS_LIST_CREDENTIAL_TYPE],
        "issuer": node_issuer_id(node),
        "validFrom": timestamp(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }


def awarding_body(credential: dict[str, Any]) -> dict[str, Any]:
    """Who a credential says stands behind it, as `{"id", "country"}`, wherever its type
    puts it: a diploma's awarding institution, a micro-credential's creator (an Open Badges
    Profile whose address has the country), a statement's recognition authority, a QA
    evaluation's agency. An id that is not `urn:edunode:institution:…` names no directory
    institution (a recognition authority, an agency)."""
    types = credential.get("type")
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if isinstance(types, list) and OPEN_BADGE_TYPE in types:
        achievement = subject.get("achievement")
        creator = achievement.get("creator") if isinstance(achievement, dict) else None
        if not isinstance(creator, dict):
            return {}
        address = creator.get("address")
        country = address.get("addressCountryCode") if isinstance(address, dict) else None
        return {"id": creator.get("id"), "country": country}
    if isinstance(types, list) and STATEMENT_TYPE in types:
        body = subject.get("recognisedBy")
    elif isinstance(types, list) and EVALUATION_TYPE in types:
        body = subject.get("agency")
    else:
        claim = subject.get("hasClaim")
        body = claim.get("awardedBy") if isinstance(claim, dict) else None
    return body if isinstance(body, dict) else {}
