"""Evaluations over HTTP: submission, idempotent resubmission, rejection with every reason,
authority, flags and their clearance, search, batches and events."""

from __future__ import annotations

from typing import Any

from nats.aio.client import Client as NatsClient

from tests.conftest import eventually
from tests.quality.conftest import QualityNode, evaluation_payload, published_events


async def test_submission_and_idempotent_resubmission(
    quality: QualityNode, nats_client: NatsClient
) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    payload = evaluation_payload("HEEC-2020-1", [institution])
    created = await quality.submit(agency["id"], payload)
    assert created["agency_id"] == agency["id"]  # defaults to the submitting agency's own
    assert created["institution_ids"] == [str(institution)] and created["countries"] == ["CN"]
    assert created["flag"] == "none" and created["version"] == 1

    again = await quality.client.post(
        "/v1/quality/evaluations", json=payload, headers=quality.agency_client(agency["id"])
    )
    assert again.status_code == 409

    url = "/v1/quality/evaluations/by-local-id/HEEC-2020-1"
    headers = quality.agency_client(agency["id"])
    same = await quality.client.put(url, json=payload, headers=headers)
    assert same.status_code == 200
    assert same.headers["Edunode-Submission-Result"] == "unchanged"
    assert same.json()["version"] == 1

    changed = await quality.client.put(
        url,
        json=payload | {"decision": "positive with conditions or restrictions"},
        headers=headers,
    )
    assert changed.headers["Edunode-Submission-Result"] == "updated"
    assert changed.json()["version"] == 2 and changed.json()["id"] == created["id"]
    stale = await quality.client.put(url, json=payload, headers=headers | {"If-Match": '"1"'})
    assert stale.status_code == 412
    mismatch = await quality.client.put(
        url, json=payload | {"local_identifier": "other"}, headers=headers
    )
    assert mismatch.status_code == 400

    fresh = await quality.client.put(
        "/v1/quality/evaluations/by-local-id/HEEC-2020-2",
        json=evaluation_payload(
            "HEEC-2020-2", [institution], valid_from="2026-01-01", valid_to=None
        ),
        headers=headers,
    )
    assert fresh.status_code == 201
    assert fresh.json()["valid_to"] == "2032-01-01"
    assert [m["code"] for m in fresh.json()["flag_messages"]] == ["validity-defaulted"]

    async def evaluation_events() -> list[Any]:
        events = await published_events(nats_client, quality.node)
        found = [e for e in events if e.type.startswith("quality.evaluation.")]
        return found if len(found) >= 3 else []

    events = await eventually(evaluation_events, what="evaluation events")
    assert [(e.type, e.aggregateversion) for e in events] == [
        ("quality.evaluation.created.v1", 1),
        ("quality.evaluation.updated.v1", 2),
        ("quality.evaluation.created.v1", 1),
    ]
    required = {
        "id", "origin_node", "agency_id", "local_identifier", "contributing_agency_ids",
        "activity_type", "status", "decision", "valid_from", "valid_to", "institution_ids",
        "programmes", "flag", "withdrawn_at", "updated_at",
    }  # fmt: skip
    assert required <= set(events[0].data)


async def test_rejection_lists_every_reason_as_problem_json(quality: QualityNode) -> None:
    agency = await quality.create_agency()
    payload = evaluation_payload(
        "BAD-1",
        ["https://ror.org/0nothere0"],
        valid_from="2005-01-01",
        valid_to="2004-06-30",
        programmes=[{"name": "BSc Physics"}],
    )
    response = await quality.client.post(
        "/v1/quality/evaluations", json=payload, headers=quality.agency_client(agency["id"])
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert {e["path"] for e in problem["errors"]} == {
        "valid_to",
        "valid_from",
        "programmes",
        "institutions.0",
    }
    assert (await quality.client.get("/v1/quality/evaluations")).json()["items"] == []


async def test_an_agency_writes_only_its_own_evaluations(quality: QualityNode) -> None:
    agency_a = await quality.create_agency()
    agency_b = await quality.create_agency()
    institution = await quality.add_institution()
    as_a = quality.agency_client(agency_a["id"])
    for_b = evaluation_payload("B-1", [institution], agency_id=agency_b["id"])

    refused = await quality.client.post("/v1/quality/evaluations", json=for_b, headers=as_a)
    assert refused.status_code == 403
    put = await quality.client.put(
        "/v1/quality/evaluations/by-local-id/B-1", json=for_b, headers=as_a
    )
    assert put.status_code == 403

    by_admin = await quality.client.post(
        "/v1/quality/evaluations", json=for_b, headers=quality.admin
    )
    assert by_admin.status_code == 201
    withdraw = f"/v1/quality/evaluations/{by_admin.json()['id']}/withdrawal"
    assert (await quality.client.post(withdraw, headers=as_a)).status_code == 403
    as_b = quality.agency_client(agency_b["id"])
    withdrawn = await quality.client.post(withdraw, headers=as_b)
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert (await quality.client.post(withdraw, headers=as_b)).status_code == 409
    # No agency on the token and none in the payload: nothing to submit for.
    anonymous_agency = await quality.client.post(
        "/v1/quality/evaluations",
        json=evaluation_payload("X-1", [institution]),
        headers=quality.admin,
    )
    assert anonymous_agency.status_code == 422


async def test_a_high_flag_hides_the_evaluation_until_an_admin_clears_it(
    quality: QualityNode, nats_client: NatsClient
) -> None:
    agency = await quality.create_agency(activities=[{"type": "programme"}])
    institution = await quality.add_institution()
    flagged = await quality.submit(agency["id"], evaluation_payload("HIDDEN-1", [institution]))
    assert flagged["flag"] == "high"
    assert flagged["flag_messages"][0]["code"] == "activity-not-declared"
    url = f"/v1/quality/evaluations/{flagged['id']}"

    assert (await quality.client.get(url)).status_code == 404
    assert (await quality.client.get("/v1/quality/evaluations")).json()["items"] == []
    assert (
        await quality.client.get(url, headers=quality.agency_client(agency["id"]))
    ).status_code == 200
    listed = await quality.client.get("/v1/quality/evaluations", headers=quality.admin)
    assert [e["id"] for e in listed.json()["items"]] == [flagged["id"]]
    status = await quality.status(institution, "2021-01-01")
    assert status["status"] == "none"

    clearances = f"{url}/flag-clearances"
    by_agency = await quality.client.post(
        clearances, json={"reason": "fine"}, headers=quality.agency_client(agency["id"])
    )
    assert by_agency.status_code == 403
    cleared = await quality.client.post(
        clearances, json={"reason": "checked with the agency"}, headers=quality.admin
    )
    assert cleared.status_code == 201
    assert cleared.json()["cleared_by"] == "admin-1"
    assert cleared.json()["flag_messages"][0]["code"] == "activity-not-declared"
    again = await quality.client.post(clearances, json={"reason": "again"}, headers=quality.admin)
    assert again.status_code == 409

    public = await quality.client.get(url)
    assert public.status_code == 200 and public.json()["flag_cleared_at"]
    log = await quality.client.get(clearances, headers=quality.admin)
    assert [c["reason"] for c in log.json()] == ["checked with the agency"]
    assert (await quality.status(institution, "2021-01-01"))["status"] == "accredited"

    async def published() -> list[Any]:
        events = await published_events(nats_client, quality.node)
        return [e for e in events if e.subject == flagged["id"]]

    events = await eventually(published, what="the cleared evaluation's event")
    # Published only once cleared, as created, at the version of the clearance.
    assert [(e.type, e.aggregateversion) for e in events] == [("quality.evaluation.created.v1", 2)]


async def test_search_filters_and_pages(quality: QualityNode) -> None:
    heec = await quality.create_agency()
    other = await quality.create_agency()
    cn = await quality.add_institution("CN")
    my = await quality.add_institution("MY")
    await quality.submit(heec["id"], evaluation_payload("S-1", [cn]))
    await quality.submit(
        heec["id"],
        evaluation_payload(
            "S-2",
            [my],
            activity_type="programme",
            decision="negative",
            valid_from="2012-01-01",
            valid_to="2014-12-31",
            programmes=[{"name": "BSc", "level": "MQF:6", "ects": 180, "field": "0613"}],
        ),
    )
    await quality.submit(
        other["id"],
        evaluation_payload(
            "S-3", [cn], status="voluntary", valid_from="2024-01-01", valid_to="2035-12-31"
        ),
    )

    async def search(**params: Any) -> list[str]:
        response = await quality.client.get("/v1/quality/evaluations", params=params)
        assert response.status_code == 200, response.text
        return sorted(e["local_identifier"] for e in response.json()["items"])

    assert await search() == ["S-1", "S-2", "S-3"]
    assert await search(agency=heec["id"]) == ["S-1", "S-2"]
    assert await search(institution=str(cn)) == ["S-1", "S-3"]
    assert await search(country="MY") == ["S-2"]
    assert await search(activity_type="programme") == ["S-2"]
    assert await search(decision="negative") == ["S-2"]
    assert await search(status="voluntary") == ["S-3"]
    assert await search(valid_on="2013-05-05") == ["S-2"]
    assert await search(year=2024) == ["S-1", "S-3"]
    assert await search(active="true") == ["S-3"]
    assert await search(active="false") == ["S-1", "S-2"]
    bad = await quality.client.get("/v1/quality/evaluations", params={"decision": "approved"})
    assert bad.status_code == 422

    first = await quality.client.get("/v1/quality/evaluations", params={"limit": 2})
    cursor = first.json()["next_cursor"]
    second = await quality.client.get(
        "/v1/quality/evaluations", params={"limit": 2, "cursor": cursor}
    )
    ids = [e["id"] for e in first.json()["items"] + second.json()["items"]]
    assert len(set(ids)) == 3 and second.json()["next_cursor"] is None


async def test_a_batch_mixes_good_and_bad_rows(quality: QualityNode) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    existing = evaluation_payload("B-0", [institution])
    await quality.submit(agency["id"], existing)
    rows = [
        existing,  # unchanged
        existing | {"decision": "negative"},  # updated
        evaluation_payload("B-1", [institution], files=[]),  # created, flagged low
        evaluation_payload("B-2", [institution], programmes=[{"name": "BSc"}]),  # rejected
        {"local_identifier": "B-3", "decision": "positive"},  # rejected by the schema
        "not an object",  # rejected
        evaluation_payload("B-4", [institution], agency_id=str(agency["id"])),  # created
    ]
    response = await quality.client.post(
        "/v1/quality/evaluations:batch", json=rows, headers=quality.agency_client(agency["id"])
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["summary"] == {
        "total": 7, "created": 2, "updated": 1, "unchanged": 1, "rejected": 3, "flagged": 1,
    }  # fmt: skip
    results = report["results"]
    assert [r["result"] for r in results] == [
        "unchanged", "updated", "created", "rejected", "rejected", "rejected", "created",
    ]  # fmt: skip
    assert results[2]["flags"][0]["code"] == "no-report-file"
    assert results[3]["errors"][0]["path"] == "programmes"
    assert results[4]["local_identifier"] == "B-3"
    assert {e["path"] for e in results[4]["errors"]} >= {"activity_type", "valid_from"}
    listed = await quality.client.get("/v1/quality/evaluations")
    assert len(listed.json()["items"]) == 3
    too_many = await quality.client.post(
        "/v1/quality/evaluations:batch", json=[{}] * 1001, headers=quality.admin
    )
    assert too_many.status_code == 422


async def test_public_reads_of_evaluations_take_a_token_only_optionally(
    quality: QualityNode,
) -> None:
    # Conformance found these reads declared as needing a token while they answer anyone
    # (the token only shows one's own flagged evaluations), and `valid_on=0` read as 1970.
    document = (await quality.client.get("/openapi.json")).json()
    for path in ("/v1/quality/evaluations", "/v1/quality/evaluations/{evaluation_id}"):
        operation = document["paths"][path]["get"]
        assert operation["security"] == [{}, {"HTTPBearer": []}], path
        assert "401" in operation["responses"]
    writes = document["paths"]["/v1/quality/evaluations"]["post"]
    assert writes["security"] == [{"HTTPBearer": []}]
    assert (await quality.client.get("/v1/quality/evaluations")).status_code == 200

    epoch = await quality.client.get("/v1/quality/evaluations", params={"valid_on": "0"})
    assert epoch.status_code == 422
    assert epoch.json()["errors"][0]["path"] == "query.valid_on"
