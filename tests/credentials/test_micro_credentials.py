"""Micro-credentials: an Open Badges 3.0 `OpenBadgeCredential` secured as `vc+jwt`, carrying
the mandatory elements of the EU Council Recommendation of 16 June 2022 on micro-credentials
(2022/C 243/02, Annex I, part I). The elements, and that a missing one is refused naming it,
come from the Recommendation; the shape from Open Badges 3.0."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from shared.auth import Role
from tests.conftest import MakeToken, bearer
from tests.credentials.conftest import StartNode, university
from tests.credentials.test_diplomas import _failed, _institution, _verify

URL = "/v1/credentials/micro-credentials"

MICRO: dict[str, Any] = {
    "learner": {
        "given_name": "Wang",
        "family_name": "Fang",
        "birth_date": "1999-11-02",
        "identifier": {"scheme": "student-id", "value": "THU-2023-0042"},
    },
    "title": "Machine learning for materials science",
    "learning_outcomes": [
        "Selects and trains a regression model for a materials property",
        "Evaluates a model against held-out experimental data",
    ],
    "workload": {"ects_credits": 5, "hours": 130},
    "level": {"framework": "EQF", "level": "6"},
    "assessment_type": "written examination and a graded project",
    "participation_form": "blended",
    "quality_assurance": "internal QA of the university, institutionally accredited",
    "region": "Beijing",
    "isced_f": "0588",
}

# Annex I, part I of the Recommendation: what a micro-credential must say, and which of our
# fields carries each element that the issuer supplies (the country, the awarding body and
# the date of issuing come from the directory and the clock, never from the request).
MANDATORY_FIELDS = {
    "identification of the learner": "learner",
    "title of the micro-credential": "title",
    "learning outcomes": "learning_outcomes",
    "notional workload": "workload",
    "level (if applicable)": "level",
    "type of assessment": "assessment_type",
    "form of participation": "participation_form",
    "type of quality assurance": "quality_assurance",
}


async def test_issue_a_micro_credential_with_every_mandatory_element(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    response = await cn.client.post(
        URL, json=MICRO, headers=university(make_token, cn.node, institution_id)
    )
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["kind"] == "micro_credential"
    credential = issued["credential"]

    # Open Badges 3.0 on VCDM 2.0.
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "Profile" in credential["issuer"]["type"]
    subject = credential["credentialSubject"]
    assert "AchievementSubject" in subject["type"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "MicroCredential"

    # Each Annex I element, where a reader of the Recommendation looks for it.
    eu = achievement["euMicroCredential"]
    assert eu["learner"] == "Wang Fang"
    assert eu["title"] == achievement["name"] == MICRO["title"]
    assert eu["issuerCountry"] == "CN" and eu["issuerRegion"] == "Beijing"
    assert eu["awardingBody"] == f"urn:edunode:institution:{institution_id}"
    assert eu["dateOfIssuing"] == credential["validFrom"][:10]
    assert eu["learningOutcomes"] == MICRO["learning_outcomes"]
    assert eu["workload"] == {"ectsCredits": 5, "hours": 130}
    assert eu["level"] == {"framework": "EQF", "level": "6"}
    assert eu["assessmentType"] == MICRO["assessment_type"]
    assert eu["participationForm"] == "blended"
    assert eu["qualityAssurance"] == MICRO["quality_assurance"]
    # …and in Open Badges' own terms: the learner's identifiers, the creator with its
    # country, the ECTS credits, the level as an alignment to the EQF.
    identities = {i["identityType"]: i["identityHash"] for i in subject["identifier"]}
    assert identities["name"] == "Wang Fang"
    assert identities["ext:student-id"] == "THU-2023-0042"
    creator = achievement["creator"]
    assert creator["id"] == f"urn:edunode:institution:{institution_id}"
    assert creator["address"]["addressCountryCode"] == "CN"
    assert achievement["creditsAvailable"] == 5
    assert achievement["alignment"][0]["targetFramework"] == "EQF"
    assert achievement["alignment"][0]["targetCode"] == "6"

    # One status entry (Open Badges 3.0 takes one): revocation.
    assert credential["credentialStatus"]["statusPurpose"] == "revocation"
    report = await _verify(cn, issued["jwt"])
    assert report["valid"] is True, report


async def test_a_missing_mandatory_element_is_named(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    headers = university(make_token, cn.node, await _institution(cn, "CN"))
    for element, field in MANDATORY_FIELDS.items():
        body = {k: v for k, v in MICRO.items() if k != field}
        response = await cn.client.post(URL, json=body, headers=headers)
        assert response.status_code == 422, (element, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        paths = [error["path"] for error in response.json()["errors"]]
        assert any(field in path for path in paths), (element, paths)
    # The workload needs a figure; learning outcomes at least one.
    for field, value in (("workload", {}), ("learning_outcomes", [])):
        body = copy.deepcopy(MICRO) | {field: value}
        response = await cn.client.post(URL, json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert any(field in e["path"] for e in response.json()["errors"])
    # The level may be absent only explicitly, where no framework level applies.
    response = await cn.client.post(URL, json=MICRO | {"level": None}, headers=headers)
    assert response.status_code == 201, response.text
    achievement = response.json()["credential"]["credentialSubject"]["achievement"]
    assert achievement["euMicroCredential"]["level"] is None
    assert "alignment" not in achievement


async def test_only_a_university_issues_and_it_is_revoked_not_suspended(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    officer = bearer(make_token(Role.RECOGNITION_OFFICER, node=cn.node))
    assert (await cn.client.post(URL, json=MICRO, headers=officer)).status_code == 403
    unknown = university(make_token, cn.node, uuid.uuid4())
    assert (await cn.client.post(URL, json=MICRO, headers=unknown)).status_code == 422

    headers = university(make_token, cn.node, institution_id)
    issued = (await cn.client.post(URL, json=MICRO, headers=headers)).json()
    suspended = await cn.client.post(
        f"/v1/credentials/{issued['id']}/suspension",
        json={"reason": "assessment under review"},
        headers=headers,
    )
    assert suspended.status_code == 409, suspended.text
    assert "only be revoked" in suspended.json()["detail"]
    revoked = await cn.client.post(
        f"/v1/credentials/{issued['id']}/revocation",
        json={"reason": "awarded in error"},
        headers=headers,
    )
    assert revoked.status_code == 200, revoked.text
    assert _failed(await _verify(cn, issued["jwt"])) == {"status": "revoked by its issuer"}
