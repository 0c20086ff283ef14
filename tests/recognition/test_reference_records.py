"""Assessing a qualification of a country without a node (BRIEF §3): the institution, its QA
agency and the agency's evaluation are reference records that this node's admin entered, each
with its source. The assessment can recommend recognition on them, and says that it rests on
them, naming who entered them and the source. Once the country's own node publishes the
institution, that record replaces the reference record, here as in the directory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.auth import Role
from shared.events import CloudEvent, new_event
from tests.recognition.conftest import RecognitionNode, StartNode
from tests.recognition.factories import agency_event, evaluation_event, institution_event

ID_REGISTER = "Ministry of Education ID register, 2026-10-01"
BAN_PT_DIRECTORY = "BAN-PT accreditation directory, 2026-10-01"
UI_ROR = "0116zj450"

# An Indonesian bachelor's (Sarjana, KKNI level 6; 144 SKS over four years).
QUALIFICATION: dict[str, Any] = {
    "country": "ID",
    "title": "Sarjana Teknik (Bachelor of Engineering)",
    "level": "KKNI:6",
    "field": "0714",
    "credits": 144,
    "credit_system": "ID-SKS",
    "mode": "full-time",
    "awarded_on": "2022-08-31",
}
CN_ID_AGREEMENT = {
    "title": "Agreement between China and Indonesia on the mutual recognition of higher "
    "education degrees",
    "kind": "bilateral",
    "parties": ["CN", "ID"],
    "signed_on": "2023-10-17",
    "in_force_on": "2023-10-17",
    "levels": ["QF-EHEA:first", "QF-EHEA:second", "QF-EHEA:third"],
    "source": {"title": "Test fixture: a CN-ID agreement registered at the cn node"},
}


def with_source(event: CloudEvent, source: str) -> CloudEvent:
    """The same event, for a reference record entered from `source`."""
    return new_event(
        node=event.originnode,
        service=event.service,
        aggregate=event.aggregate,
        action=event.type.split(".")[2],
        subject=event.subject,
        data=event.data | {"reference_source": source},
        version=event.aggregateversion,
    )


@pytest.fixture
async def cn(start_recognition: StartNode) -> RecognitionNode:
    return await start_recognition("cn")


async def enter_indonesian_records(cn: RecognitionNode) -> dict[str, str]:
    """What cn's institutions and quality services publish when its admin enters the
    reference records, and cn's agreement with Indonesia."""
    institution = with_source(
        institution_event(
            node=cn.node,
            name="Universitas Indonesia",
            country="ID",
            identifiers=[{"resource": "ror", "value": UI_ROR}],
        ),
        ID_REGISTER,
    )
    agency = with_source(
        agency_event(
            node=cn.node,
            name="Badan Akreditasi Nasional Perguruan Tinggi",
            acronym="BAN-PT",
            country="ID",
            registrations=[("national", date(1994, 1, 1), None)],
        ),
        BAN_PT_DIRECTORY,
    )
    evaluation = with_source(
        evaluation_event(
            node=cn.node,
            agency_id=agency.subject,
            institution_ids=[institution.subject],
            valid_from=date(2019, 3, 1),
            valid_to=date(2024, 2, 29),
        ),
        BAN_PT_DIRECTORY,
    )
    await cn.apply(institution, agency, evaluation)
    admin = cn.token(Role.NODE_ADMIN)
    response = await cn.client.post(
        "/v1/recognition/agreements", json=CN_ID_AGREEMENT, headers=admin
    )
    assert response.status_code == 201, response.text
    return {
        "institution": institution.subject,
        "agency": agency.subject,
        "evaluation": evaluation.subject,
    }


async def assess(cn: RecognitionNode, **qualification: Any) -> dict[str, Any]:
    case = await cn.open_case(QUALIFICATION | qualification, "CNDL:xueshi")
    await cn.complete(case["id"])
    return await cn.assess(case["id"])


async def test_an_indonesian_bachelor_is_recognised_on_reference_records(
    cn: RecognitionNode,
) -> None:
    ids = await enter_indonesian_records(cn)
    assessment = await assess(cn, institution_id=ids["institution"])
    assert assessment["recommendation"] == "recognised", assessment["reasons"]
    used = {(r["kind"], r["id"]): r for r in assessment["reference_records"]}
    assert set(used) == {
        ("institution", ids["institution"]),
        ("agency", ids["agency"]),
        ("evaluation", ids["evaluation"]),
    }
    assert used[("institution", ids["institution"])]["source"] == ID_REGISTER
    assert used[("agency", ids["agency"])]["source"] == BAN_PT_DIRECTORY
    assert all(r["entered_by"] == cn.node and r["superseded_by"] is None for r in used.values())
    said = " ".join(assessment["reasons"])
    assert "reference records" in said and cn.node in said
    assert ID_REGISTER in said and BAN_PT_DIRECTORY in said


async def test_a_free_text_institution_is_matched_among_reference_records(
    start_recognition: StartNode,
) -> None:
    # The directory's matcher names the institution (one engine per node): start it too.
    cn = await start_recognition("cn", directory=True)
    ids = await enter_indonesian_records(cn)
    assessment = await assess(cn, institution_name="Universitas Indonesia")
    assert assessment["recommendation"] == "recognised", assessment["reasons"]
    assert ("institution", ids["institution"]) in {
        (r["kind"], r["id"]) for r in assessment["reference_records"]
    }


async def test_the_indonesian_nodes_record_supersedes_the_reference_record(
    start_recognition: StartNode,
) -> None:
    # Free text goes to the directory's matcher (one engine per node): start it too.
    cn = await start_recognition("cn", directory=True)
    ids = await enter_indonesian_records(cn)
    # Indonesia's node joins and publishes the same institution (same ROR id).
    owner = institution_event(
        node="id",
        name="Universitas Indonesia",
        country="ID",
        identifiers=[{"resource": "ror", "value": UI_ROR}],
    )
    await cn.apply(owner)

    # A case naming the reference record reads the owner's record instead, and says so. QA
    # status is the owner's record's, as `/v1/quality/status` gives it: the QA result entered
    # for the reference record no longer counts, and no QA result of Indonesia's is known yet.
    named = await assess(cn, institution_id=ids["institution"])
    identity = next(f for f in named["findings"] if f["aspect"] == "identity")
    assert [e["id"] for e in identity["evidence"]] == [owner.subject]
    quality = next(f for f in named["findings"] if f["aspect"] == "quality")
    assert ids["evaluation"] not in {e["id"] for e in quality["evidence"]}
    assert named["recommendation"] != "recognised"
    assert [(r["kind"], r["id"], r["superseded_by"]) for r in named["reference_records"]] == [
        ("institution", ids["institution"], owner.subject)
    ]
    assert any("replaced" in reason for reason in named["reasons"])

    # Indonesia's node publishes BAN-PT and its accreditation: recognised on its records.
    ban_pt = agency_event(
        node="id",
        name="Badan Akreditasi Nasional Perguruan Tinggi",
        acronym="BAN-PT",
        country="ID",
        registrations=[("national", date(1994, 1, 1), None)],
    )
    accreditation = evaluation_event(
        node="id",
        agency_id=ban_pt.subject,
        institution_ids=[owner.subject],
        valid_from=date(2019, 3, 1),
        valid_to=date(2024, 2, 29),
    )
    await cn.apply(ban_pt, accreditation)
    owned = await assess(cn, institution_id=owner.subject)
    assert owned["recommendation"] == "recognised", owned["reasons"]
    assert owned["reference_records"] == []
    assert not any(reason.startswith("reference records") for reason in owned["reasons"])

    # Free text now finds only the owner's record: the reference record is not a rival.
    matched = await assess(cn, institution_name="Universitas Indonesia")
    identity = next(f for f in matched["findings"] if f["aspect"] == "identity")
    assert [c["institution_id"] for c in identity["data"]["candidates"]] == [owner.subject]

    # A peer's reference copy of the same institution arriving now is retired at once.
    late_copy = with_source(
        institution_event(
            node="de",
            name="Universitas Indonesia",
            country="ID",
            identifiers=[{"resource": "ror", "value": UI_ROR}],
        ),
        "DAAD, 2026",
    )
    await cn.apply(late_copy)
    again = await assess(cn, institution_name="Universitas Indonesia")
    identity = next(f for f in again["findings"] if f["aspect"] == "identity")
    assert [c["institution_id"] for c in identity["data"]["candidates"]] == [owner.subject]


async def test_a_country_without_shipped_reference_data_is_assessable_too(
    cn: RecognitionNode,
) -> None:
    """Laos: no node, and no framework shipped. cn's admin registers the Lao framework's
    bachelor level (with its source and its AQRF referencing) and enters the university and its
    accreditation as reference records; the Lao bachelor's is recognised, saying on what."""
    admin = cn.token(Role.NODE_ADMIN)
    level = await cn.client.post(
        "/v1/frameworks/levels",
        json={
            "framework": "LAQF",
            "level": "6",
            "rank": 6,
            "name": "Bachelor's degree",
            "framework_name": "Lao National Qualifications Framework",
            "country": "LA",
            "references": [{"to": "AQRF:6"}],
            "source": {"title": "Ministry of Education and Sports (LA), referencing to AQRF"},
        },
        headers=admin,
    )
    assert level.status_code == 201, level.text
    institution = with_source(
        institution_event(node=cn.node, name="National University of Laos", country="LA"),
        "Ministry of Education and Sports register, 2026-09",
    )
    agency = with_source(
        agency_event(
            node=cn.node,
            name="Educational Standards and Quality Assurance Center",
            acronym="ESQAC",
            country="LA",
            registrations=[("national", date(2008, 1, 1), None)],
        ),
        "ESQAC, list of accredited institutions, 2026-09",
    )
    evaluation = with_source(
        evaluation_event(
            node=cn.node,
            agency_id=agency.subject,
            institution_ids=[institution.subject],
            valid_from=date(2018, 1, 1),
            valid_to=date(2025, 12, 31),
        ),
        "ESQAC, list of accredited institutions, 2026-09",
    )
    await cn.apply(institution, agency, evaluation)
    agreement = await cn.client.post(
        "/v1/recognition/agreements",
        json=CN_ID_AGREEMENT
        | {"title": "China-Laos degree recognition (test)", "parties": ["CN", "LA"]},
        headers=admin,
    )
    assert agreement.status_code == 201, agreement.text
    case = await cn.open_case(
        {
            "institution_id": institution.subject,
            "country": "LA",
            "title": "Bachelor of Engineering",
            "level": "LAQF:6",
            "field": "0714",
            "years_full_time": 4,
            "mode": "full-time",
            "awarded_on": "2022-07-15",
        },
        "CNDL:xueshi",
    )
    await cn.complete(case["id"])
    assessment = await cn.assess(case["id"])
    assert assessment["recommendation"] == "recognised", assessment["reasons"]
    assert {r["kind"] for r in assessment["reference_records"]} == {
        "institution",
        "agency",
        "evaluation",
    }
