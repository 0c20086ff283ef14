"""What the quality service publishes speaks the published language (contracts/quality.py):
every agency, evaluation and status event it writes parses with the schema its consumers
(recognition, the directory) read it with."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nats.aio.client import Client as NatsClient
from pydantic import BaseModel

from contracts.quality import AgencyState, EvaluationState, StatusChanged
from tests.conftest import eventually
from tests.quality.conftest import QualityNode, evaluation_payload, published_events

SCHEMAS: dict[str, type[BaseModel]] = {
    "quality.agency.created.v1": AgencyState,
    "quality.evaluation.created.v1": EvaluationState,
    "quality.status.changed.v1": StatusChanged,
}


async def test_what_quality_publishes_parses_with_the_contracts(
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
            valid_to=str(today + timedelta(days=300)),
        ),
    )

    async def one_of_each() -> list[Any]:
        events = await published_events(nats_client, quality.node)
        return events if set(SCHEMAS) <= {e.type for e in events} else []

    events = await eventually(one_of_each, what="an agency, an evaluation and a status event")
    states = {e.type: SCHEMAS[e.type].model_validate(e.data) for e in events if e.type in SCHEMAS}
    agency_state = states["quality.agency.created.v1"]
    assert isinstance(agency_state, AgencyState)
    assert str(agency_state.id) == agency["id"] and agency_state.origin_node == quality.node
    assert [r.register_ for r in agency_state.registrations] == [
        r["register"] for r in agency["registrations"]
    ]
    evaluation = states["quality.evaluation.created.v1"]
    assert isinstance(evaluation, EvaluationState)
    assert evaluation.institution_ids == [institution]
    assert evaluation.agency_country == agency["country"]  # what the trust list checks
    status = states["quality.status.changed.v1"]
    assert isinstance(status, StatusChanged)
    assert status.subject_id == institution and status.status == "accredited"
