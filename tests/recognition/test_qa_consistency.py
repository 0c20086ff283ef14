"""One answer to "was this institution accredited on that day?" (issue 15): the assessment's QA
finding equals the quality service's `/status` for every institution and evaluation of the
demo data (the demo nodes' ROR institutions, agencies and evaluations) and of the bench data
(`bench.recognition.synthetic_evaluations`, withdrawn and high-flagged ones included), at many
dates: fixed dates across 2004-2030 and the first and last day of every evaluation, and the
days around them.

Both services run and receive the same events through their own handlers. Every pair is
checked through the code each service runs for a request — the quality side's
`StatusService.qa_status_at` (what `GET /v1/quality/status` calls), the recognition side's
`AssessmentService.gather` and `assess` (what `POST …/assessment` calls) — and a sample of
pairs through the HTTP endpoints themselves, so that the two ways are shown to be one.
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from bench.recognition import synthetic_evaluations
from edunode.demo import DEMO_AGENCIES, DEMO_INSTITUTIONS, DEMO_OUTCOMES
from rules.qa_status import QAStatus
from services.institutions.bulk.formats import id_from_ror
from services.quality.status.service import StatusService
from services.recognition.assessment.directory import DirectoryMatcher
from services.recognition.assessment.engine import assess
from services.recognition.assessment.service import AssessmentService
from services.recognition.cases.models import Purpose, RecognitionCase, StudyMode
from shared.db import new_id
from shared.events import CloudEvent, new_event
from tests.conftest import ServiceLauncher
from tests.recognition.conftest import StartNode
from tests.recognition.factories import agency_event, institution_event

GRID = [date(year, 6, 30) for year in range(2004, 2031, 2)]
BENCH_EVALUATIONS = 1500
ASSESSED_ON = date(2026, 12, 1)
MINIMUM_PAIRS = 10_000


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


def demo_institutions() -> Iterator[tuple[uuid.UUID, str, str]]:
    """(id, country, name) of every institution in the demo nodes' ROR files, with the id the
    directory's ROR import gives them."""
    for node in DEMO_INSTITUTIONS:
        data = resources.files("edunode") / "demo_data" / f"ror-{node}.json.gz"
        with gzip.open(str(data), "rt", encoding="utf-8") as handle:
            for record in json.load(handle):
                names = record.get("names") or [{"value": record["id"]}]
                yield id_from_ror(record["id"]), node.upper(), names[0]["value"]


def evaluation(data: dict[str, Any]) -> CloudEvent:
    return new_event(
        node=data["origin_node"],
        service="quality",
        aggregate="evaluation",
        action="withdrawn" if data.get("withdrawn_at") else "created",
        subject=data["id"],
        data=data,
        version=1,
    )


def hand_written(institution: uuid.UUID, agency: uuid.UUID) -> list[dict[str, Any]]:
    """Histories the issue and the brief name: a positive (2015-2025) overtaken by a negative
    (2020-2026); a positive and a negative starting the same day; a "not applicable" decision;
    a withdrawn negative; a hidden (high-flagged) positive and a cleared one."""

    def one(decision: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": str(new_id()),
            "origin_node": "my",
            "agency_id": str(agency),
            "local_identifier": f"HAND-{uuid.uuid4().hex[:8]}",
            "contributing_agency_ids": [],
            "activity_type": "institutional",
            "status": "part of obligatory EQA system",
            "decision": decision,
            "valid_from": start,
            "valid_to": end,
            "institution_ids": [str(institution)],
            "programmes": [],
            "flag": "none",
            "flag_cleared_at": None,
            "withdrawn_at": None,
            "updated_at": "2024-01-01T00:00:00+00:00",
        } | extra

    return [
        one("positive", "2015-01-01", "2025-12-31"),
        one("negative", "2020-01-01", "2026-12-31"),
        one("positive", "2027-01-01", "2032-12-31"),
        one("negative", "2027-01-01", "2027-06-30"),
        one("not applicable", "2010-01-01", "2016-12-31"),
        one("negative", "2008-01-01", "2013-12-31", withdrawn_at="2014-01-01T00:00:00+00:00"),
        one("positive", "2003-01-01", "2008-12-31", flag="high"),
        one(
            "positive",
            "2005-06-01",
            "2007-05-31",
            flag="high",
            flag_cleared_at="2006-01-01T00:00:00+00:00",
        ),
    ]


def dates_for(evaluations: list[dict[str, Any]]) -> set[date]:
    days = set(GRID)
    for data in evaluations:
        for edge in (date.fromisoformat(data["valid_from"]), date.fromisoformat(data["valid_to"])):
            days.update({edge - timedelta(days=1), edge, edge + timedelta(days=1)})
    return days


def transient_case(institution_id: uuid.UUID, country: str, awarded_on: date) -> RecognitionCase:
    """A case as the officer opens it, never stored: what `gather` reads."""
    return RecognitionCase(
        purpose=Purpose.FURTHER_STUDY,
        host_country="CN",
        target_level="CNDL:xueshi",
        institution_id=institution_id,
        institution_name=None,
        programme_id=None,
        country=country,
        title="Bachelor",
        level=None,
        field=None,
        credits=None,
        credit_system=None,
        years_full_time=4,
        mode=StudyMode.FULL_TIME,
        awarded_on=awarded_on,
        transnational=False,
    )


async def test_the_assessment_and_status_agree_on_every_institution_and_date(
    services: ServiceLauncher, start_recognition: StartNode
) -> None:
    quality = await services.quality("cn-q")
    recognition = await start_recognition("cn", sqlite=True)
    institutions = list(demo_institutions())
    country_of = {i: c for i, c, _ in institutions}
    directory = [
        institution_event(node=c.lower(), name=n, country=c, institution_id=i)
        for i, c, n in institutions
    ]
    agencies = {
        node: agency_event(
            node=node,
            name=template["name"],
            acronym=template["acronym"],
            country=template["country"],
            agency_id=new_id(),
            registrations=[
                (
                    r["register"],
                    date.fromisoformat(r["valid_from"]),
                    date.fromisoformat(r["valid_to"]) if r.get("valid_to") else None,
                )
                for r in template["registrations"]
            ],
        )
        for node, template in DEMO_AGENCIES.items()
    }
    agency_of = {node.upper(): uuid.UUID(event.subject) for node, event in agencies.items()}
    # The demo evaluations, as `edunode demo` seeds them.
    evaluations: list[dict[str, Any]] = []
    for node, wanted in DEMO_INSTITUTIONS.items():
        for position, (ror, _) in enumerate(wanted):
            decision, valid_from, valid_to = DEMO_OUTCOMES[position]
            evaluations.append(
                hand_written(id_from_ror(ror), agency_of[node.upper()])[0]
                | {
                    "origin_node": node,
                    "local_identifier": f"DEMO-{node}-{position + 1:03d}",
                    "decision": decision,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )
    malaya = id_from_ror("https://ror.org/00rzspn62")
    evaluations += hand_written(malaya, agency_of["MY"])
    evaluations += synthetic_evaluations(
        [(i, c) for i, c, _ in institutions], agency_of, BENCH_EVALUATIONS, seed=15
    )

    # Both services apply the same events through their own routes, as their consumers do.
    events = [*directory, *agencies.values(), *(evaluation(data) for data in evaluations)]
    for service in (quality.runtime, recognition.running.runtime):
        for start in range(0, len(events), 500):
            async with service.database.session() as session:
                await service.apply(session, events[start : start + 500])
    runtime = quality.runtime

    of_institution: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in country_of}
    for data in evaluations:
        for institution_id in data["institution_ids"]:
            of_institution[uuid.UUID(institution_id)].append(data)

    pairs = 0
    seen: dict[str, int] = {}
    disagreements: list[tuple[uuid.UUID, date, str, str]] = []
    sampled: list[tuple[uuid.UUID, date, str, list[str]]] = []
    async with (
        runtime.database.session() as quality_session,
        recognition.running.runtime.database.session() as recognition_session,
    ):
        status = StatusService(quality_session, runtime.publisher, runtime.settings)
        assessment = AssessmentService(
            recognition_session, recognition.settings, DirectoryMatcher(url=None)
        )
        for institution_id, country in sorted(country_of.items()):
            days = dates_for(of_institution[institution_id])
            case = transient_case(institution_id, country, GRID[0])
            inputs, catalogue = await assessment.gather(case, ASSESSED_ON)
            for day in sorted(days):
                expected = await status.qa_status_at(institution_id, None, day)
                moved = replace(inputs, qualification=replace(inputs.qualification, awarded_on=day))
                finding = next(
                    f for f in assess(moved, catalogue).findings if f.aspect.value == "quality"
                )
                found = (finding.data["status"], finding.data["evaluation_ids"])
                pairs += 1
                seen[found[0]] = seen.get(found[0], 0) + 1
                if found != (expected.status.value, expected.evaluation_ids):
                    disagreements.append((institution_id, day, expected.status.value, found[0]))
                if pairs % 97 == 0:
                    sampled.append((institution_id, day, found[0], found[1]))

    print(f"QA consistency: {pairs} (institution, date) pairs, statuses {seen}")
    assert pairs >= MINIMUM_PAIRS
    assert set(seen) == {s.value for s in QAStatus}, "every status is exercised"
    assert disagreements == [], f"{len(disagreements)} of {pairs}: {disagreements[:10]}"

    # The sample, through the endpoints themselves: `/status` answers what `qa_status_at` did,
    # and a real assessment of a case awarded that day finds what `assess` found.
    for institution_id, day, status_value, evaluation_ids in sampled:
        response = await quality.client.get(
            "/v1/quality/status", params={"institution": str(institution_id), "at": str(day)}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["status"], [e["id"] for e in body["evaluations"]]) == (
            status_value,
            evaluation_ids,
        )
    for institution_id, day, status_value, _ in sampled[:25]:
        if day > ASSESSED_ON:
            continue
        opened = await recognition.open_case(
            {
                "institution_id": str(institution_id),
                "country": country_of[institution_id],
                "title": "Bachelor",
                "level": "MQF:6",
                "years_full_time": 4,
                "mode": "full-time",
                "awarded_on": str(day),
            },
            "CNDL:xueshi",
        )
        await recognition.complete(opened["id"])
        result = await recognition.assess(opened["id"])
        quality_finding = next(f for f in result["findings"] if f["aspect"] == "quality")
        assert quality_finding["data"]["status"] == status_value, (institution_id, day)
