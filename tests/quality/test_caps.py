"""Caps on the quality service's payloads: batch size, lists and free text; over a cap is a
422 problem naming the field."""

from __future__ import annotations

import uuid

import httpx

from services.quality import caps
from tests.quality.conftest import QualityNode, agency_payload, evaluation_payload


def failed_paths(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["path"] for error in response.json()["errors"]]


async def test_a_batch_is_capped(quality: QualityNode) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    row = evaluation_payload("BATCH-CAP", [institution])
    response = await quality.client.post(
        "/v1/quality/evaluations:batch",
        json=[row] * (caps.BATCH_MAX + 1),
        headers=quality.agency_client(agency["id"]),
    )
    assert failed_paths(response) == ["body"]
    assert str(caps.BATCH_MAX) in response.json()["errors"][0]["message"]


async def test_an_evaluation_is_capped_in_lists_and_text(quality: QualityNode) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    payload = evaluation_payload(
        "CAPS-1",
        [institution],
        contributing_agency_ids=[
            str(uuid.uuid4()) for _ in range(caps.CONTRIBUTING_AGENCIES_MAX + 1)
        ],
        summary="s" * (caps.TEXT_MAX + 1),
        files=[{"url": "https://example.org/r.pdf", "languages": ["en"] * 21}],
    )
    response = await quality.client.post(
        "/v1/quality/evaluations", json=payload, headers=quality.agency_client(agency["id"])
    )
    assert sorted(failed_paths(response)) == [
        "body.contributing_agency_ids",
        "body.files.0.languages",
        "body.summary",
    ]


async def test_an_agency_is_capped_in_its_lists(quality: QualityNode) -> None:
    too_many = [{"country": "MY"}] * (caps.FOCUS_COUNTRIES_MAX + 1)
    response = await quality.client.post(
        "/v1/quality/agencies",
        json=agency_payload(focus_countries=too_many),
        headers=quality.admin,
    )
    assert failed_paths(response) == ["body.focus_countries"]
