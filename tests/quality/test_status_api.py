"""QA status over HTTP at dates before, inside and after validity, with overlapping and
conflicting evaluations; its events; and the expiry pass."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import update

from services.quality.evaluations.models import Evaluation
from services.quality.status.service import StatusService
from services.quality.status.worker import run_expiry_pass
from services.quality.vocabulary import QAStatus
from tests.conftest import eventually
from tests.quality.conftest import QualityNode, evaluation_payload, published_events


async def test_status_at_dates_with_overlapping_and_conflicting_evaluations(
    quality: QualityNode,
) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution(identifiers=[("ROR", "https://ror.org/02v51f717")])
    submit = quality.submit
    first = await submit(
        agency["id"],
        evaluation_payload("I-2015", [institution], valid_from="2015-01-01", valid_to="2020-12-31"),
    )
    conditional = await submit(
        agency["id"],
        evaluation_payload(
            "I-2019",
            [institution],
            decision="positive with conditions or restrictions",
            valid_from="2019-06-01",
            valid_to="2024-05-31",
        ),
    )
    negative = await submit(
        agency["id"],
        evaluation_payload(
            "I-2022",
            [institution],
            decision="negative",
            valid_from="2022-01-01",
            valid_to="2022-12-31",
        ),
    )
    programme_id = uuid.uuid4()
    programme = await submit(
        agency["id"],
        evaluation_payload(
            "P-2016",
            [institution],
            activity_type="programme",
            decision="negative",
            valid_from="2016-01-01",
            valid_to="2017-12-31",
            programmes=[{"programme_id": str(programme_id), "name": "BSc Physics"}],
        ),
    )

    async def status(at: str, **params: Any) -> tuple[str, list[str]]:
        body = await quality.status(institution, at, **params)
        return body["status"], [e["id"] for e in body["evaluations"]]

    assert await status("2014-12-31") == ("none", [])
    assert await status("2015-01-01") == ("accredited", [first["id"]])
    assert await status("2020-01-01") == (
        "accredited with conditions",
        [conditional["id"], first["id"]],
    )
    assert (await status("2022-03-01"))[0] == "not accredited"
    assert (await status("2022-03-01"))[1][0] == negative["id"]
    assert (await status("2023-01-01"))[0] == "accredited with conditions"
    assert await status("2024-06-01") == ("expired", [conditional["id"], first["id"]])
    # The programme: its own negative evaluation wins over the earlier institutional positive;
    # outside it, the institutional evaluation covers the programme.
    assert (await status("2016-06-01", programme=str(programme_id)))[0] == "not accredited"
    assert (await status("2016-06-01", programme=str(programme_id)))[1][0] == programme["id"]
    assert (await status("2018-06-01", programme=str(programme_id)))[0] == "accredited"
    # Institution-level status ignores the programme evaluation.
    assert (await status("2016-06-01"))[0] == "accredited"
    # An institution named by identifier; unknown identifiers are 404.
    by_ror = await quality.client.get(
        "/v1/quality/status", params={"institution": "02v51f717", "at": "2015-06-01"}
    )
    assert by_ror.json()["institution_id"] == str(institution)
    assert by_ror.json()["status"] == "accredited"
    unknown = await quality.client.get("/v1/quality/status", params={"institution": "nope"})
    assert unknown.status_code == 404
    assert (await quality.client.get("/v1/quality/status")).status_code == 400

    # Withdrawing the negative evaluation: it no longer counts.
    withdrawn = await quality.client.post(
        f"/v1/quality/evaluations/{negative['id']}/withdrawal",
        headers=quality.agency_client(agency["id"]),
    )
    assert withdrawn.status_code == 200
    assert (await status("2022-03-01"))[0] == "accredited with conditions"


async def test_status_events_and_the_expiry_pass(
    quality: QualityNode, nats_client: NatsClient
) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    today = date.today()
    await quality.submit(
        agency["id"],
        evaluation_payload(
            "E-1",
            [institution],
            valid_from=str(today - timedelta(days=400)),
            valid_to=str(today + timedelta(days=30)),
        ),
    )

    async def status_events() -> list[Any]:
        events = await published_events(nats_client, quality.node)
        return [e for e in events if e.type == "quality.status.changed.v1"]

    first = await eventually(status_events, what="the first status event")
    assert [(e.subject, e.aggregateversion, e.data["status"]) for e in first] == [
        (str(institution), 1, "accredited")
    ]
    assert set(first[0].data) >= {
        "institution_id",
        "programme_id",
        "status",
        "as_of",
        "evaluation_ids",
    }

    runtime = quality.service.runtime
    later = today + timedelta(days=31)
    async with runtime.database.session() as session:
        service = StatusService(session, runtime.publisher, runtime.settings)
        assert await service.expiry_pass(as_of=later) == 1
    async with runtime.database.session() as session:  # twice: nothing more
        service = StatusService(session, runtime.publisher, runtime.settings)
        assert await service.expiry_pass(as_of=later) == 0
        assert (await service.qa_status_at(institution, None, later)).status is QAStatus.EXPIRED

    async def two() -> list[Any]:
        found = await status_events()
        return found if len(found) >= 2 else []

    events = await eventually(two, what="the expiry event")
    assert [(e.aggregateversion, e.data["status"], e.data["as_of"]) for e in events] == [
        (1, "accredited", str(today)),
        (2, "expired", str(later)),
    ]


async def test_the_worker_publishes_expiry_without_a_request(
    services: Any, node_id: str, make_token: Any, nats_client: NatsClient
) -> None:
    running = await services.quality(node_id, expiry_interval_seconds=0.2)
    quality = QualityNode(running, node_id, make_token)
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    today = date.today()
    created = await quality.submit(
        agency["id"],
        evaluation_payload(
            "W-1", [institution], valid_from=str(today - timedelta(days=10)), valid_to=str(today)
        ),
    )
    # Time passes: the validity ended yesterday.
    async with running.runtime.database.session() as session:
        await session.execute(
            update(Evaluation)
            .where(Evaluation.id == uuid.UUID(created["id"]))
            .values(valid_to=today - timedelta(days=1))
        )

    async def expired() -> list[Any]:
        events = await published_events(nats_client, node_id)
        return [
            e
            for e in events
            if e.type.startswith("quality.status") and e.data["status"] == "expired"
        ]

    events = await eventually(expired, what="the worker's expiry event")
    assert events[0].subject == str(institution) and events[0].aggregateversion == 2
    # Further passes change nothing.
    assert (
        await run_expiry_pass(running.runtime.database, running.runtime.publisher, running.settings)
        == 0
    )


async def test_a_validity_ended_before_its_import_is_not_handled_again_by_the_pass(
    quality: QualityNode,
) -> None:
    agency = await quality.create_agency()
    ended, current = await quality.add_institution(), await quality.add_institution()
    today = date.today()
    rows = [
        evaluation_payload("X-1", [ended], valid_from="2015-01-01", valid_to="2020-12-31"),
        evaluation_payload(
            "X-2",
            [current],
            valid_from=str(today - timedelta(days=400)),
            valid_to=str(today + timedelta(days=30)),
        ),
    ]
    response = await quality.client.post(
        "/v1/quality/evaluations:batch", json=rows, headers=quality.agency_client(agency["id"])
    )
    assert [r["result"] for r in response.json()["results"]] == ["created", "created"]
    # The import published today's statuses, the ended validity counted.
    runtime = quality.service.runtime
    async with runtime.database.session() as session:
        service = StatusService(session, runtime.publisher, runtime.settings)
        published = await service.repository.published([ended, current])
        assert {i: p.status for i, p in published.items()} == {
            ended: "expired",
            current: "accredited",
        }
        assert await service.repository.ended_unhandled(today, 10) == []
        assert await service.expiry_pass() == 0
    # A validity that ends after the import is the pass's to handle.
    later = today + timedelta(days=31)
    async with runtime.database.session() as session:
        service = StatusService(session, runtime.publisher, runtime.settings)
        assert [e for e, _ in await service.repository.ended_unhandled(later, 10)] == [
            uuid.UUID(response.json()["results"][1]["id"])
        ]
        assert await service.expiry_pass(as_of=later) == 1
        assert (await service.repository.published([current]))[current].status == "expired"


async def test_a_resubmission_that_hides_an_evaluation_withdraws_its_status(
    quality: QualityNode,
) -> None:
    agency = await quality.create_agency()
    institution = await quality.add_institution()
    today = date.today()
    payload = evaluation_payload(
        "H-1",
        [institution],
        valid_from=str(today - timedelta(days=100)),
        valid_to=str(today + timedelta(days=100)),
    )
    await quality.submit(agency["id"], payload)
    # The institution closed; resubmitted, the evaluation is flagged high and hidden.
    await quality.add_institution(institution_id=institution, status="closed", version=2)
    response = await quality.client.put(
        "/v1/quality/evaluations/by-local-id/H-1",
        json=payload | {"decision": "positive with conditions or restrictions"},
        headers=quality.agency_client(agency["id"]),
    )
    assert response.json()["flag"] == "high"
    runtime = quality.service.runtime
    async with runtime.database.session() as session:
        service = StatusService(session, runtime.publisher, runtime.settings)
        published = await service.repository.published([institution])
    assert published[institution].status == "none"
    assert (await quality.status(institution, today))["status"] == "none"
