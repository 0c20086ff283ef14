"""A batch (the CSV import and `POST …/evaluations:batch`) writes what submitting its rows one
at a time writes: the same per-row results, stored rows, links, evaluation events and audit
entries; re-importing it changes nothing and publishes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from services.quality.db import kernel_tables
from services.quality.evaluations.models import (
    Evaluation,
    EvaluationInstitution,
    EvaluationProgramme,
)
from services.quality.evaluations.schemas import EvaluationSubmission, SubmissionResult
from services.quality.evaluations.service import EvaluationService
from services.quality.evaluations.submission import field_errors, rejected
from services.quality.status.models import PublishedStatus
from shared.audit import entries
from shared.auth import ROLE_SCOPES, Principal, Role
from shared.errors import FieldError, ProblemError
from shared.events import CloudEvent
from tests.quality.conftest import REPORT, QualityNode

PROGRAMME_ID = "01935f4e-0000-7000-8000-00000000b5c1"
Rows = Callable[[str, dict[str, uuid.UUID]], list[Any]]


def first_batch(acronym: str, institutions: dict[str, uuid.UUID]) -> list[Any]:
    """Created, flagged (low and high), rejected, changed and confirmed within the batch."""
    base = {
        "agency": acronym,
        "activity_type": "institutional",
        "decision": "positive",
        "valid_from": "2020-01-01",
        "valid_to": "2025-12-31",
        "files": REPORT,
    }
    programme = {"name": "BSc Physics", "programme_id": PROGRAMME_ID, "ects": 180}
    home, other = str(institutions["home"]), str(institutions["other"])
    return [
        base | {"local_identifier": "R-1", "institutions": [home]},
        base
        | {
            "local_identifier": "R-2",
            "activity_type": "programme",
            "institutions": [other],
            "programmes": [programme],
        },
        base | {"local_identifier": "R-3", "institutions": [str(institutions["abroad"])]},
        base | {"local_identifier": "R-4", "institutions": [str(institutions["closed"])]},
        base | {"local_identifier": "R-5", "institutions": [home], "programmes": [programme]},
        base | {"local_identifier": "R-6", "institutions": ["https://ror.org/0zzzzzz00"]},
        base
        | {
            "local_identifier": "R-1",
            "institutions": [home],
            "decision": "positive with conditions or restrictions",
        },
        base
        | {
            "local_identifier": "R-2",
            "activity_type": "programme",
            "institutions": [other],
            "programmes": [programme],
        },
        {"agency": acronym, "local_identifier": "R-9", "activity_type": "audit"},
        base
        | {
            "local_identifier": "R-10",
            "activity_type": "joint programme",
            "institutions": [home, str(institutions["abroad"])],
            "programmes": [{"name": "Joint MSc"}],
        },
    ]


def second_batch(acronym: str, institutions: dict[str, uuid.UUID]) -> list[Any]:
    """Resubmissions of stored evaluations: unchanged, changed links and flags, and a new one."""
    rows = first_batch(acronym, institutions)
    home = str(institutions["home"])
    return [
        rows[6],
        rows[1] | {"institutions": [home], "programmes": [{"name": "BSc Chemistry"}]},
        rows[3],
        rows[2] | {"valid_to": None, "decision": "negative"},
        rows[0] | {"local_identifier": "R-11", "valid_from": "2021-06-01"},
    ]


def admin(node: str) -> Principal:
    return Principal(
        client_id="importer", role=Role.NODE_ADMIN, scopes=ROLE_SCOPES[Role.NODE_ADMIN], node=node
    )


async def one_at_a_time(quality: QualityNode, rows: list[Any]) -> list[SubmissionResult]:
    """The rows through `submit`, each in its own transaction (as `PUT …/by-local-id`)."""
    runtime = quality.service.runtime
    results = []
    for index, row in enumerate(rows):
        async with runtime.database.session() as session:
            service = EvaluationService(session, runtime.publisher, runtime.settings)
            try:
                submission = EvaluationSubmission.model_validate(row)
            except ValidationError as error:
                results.append(rejected(index, row["local_identifier"], field_errors(error)))
                continue
            try:
                result, _ = await service.submit(admin(quality.node), submission, mode="upsert")
            except ProblemError as error:
                errors = error.errors or [
                    FieldError(path="body", message=error.detail, type=error.slug)
                ]
                results.append(rejected(index, submission.local_identifier, errors))
                continue
            results.append(result.model_copy(update={"index": index}))
    return results


async def as_batch(quality: QualityNode, rows: list[Any]) -> list[SubmissionResult]:
    runtime = quality.service.runtime
    async with runtime.database.session() as session:
        service = EvaluationService(session, runtime.publisher, runtime.settings)
        return await service.submit_batch(admin(quality.node), rows)


async def stored(quality: QualityNode, agency_id: str, names: dict[uuid.UUID, str]) -> Any:
    """What an agency's evaluations left in the database, with ids and times replaced by the
    local identifiers and institution names, so that two agencies' can be compared."""
    agency = uuid.UUID(agency_id)
    runtime = quality.service.runtime
    async with runtime.database.session() as session:
        evaluations = list(
            await session.scalars(
                select(Evaluation)
                .where(Evaluation.agency_id == agency)
                .order_by(Evaluation.local_identifier)
            )
        )
        local = {e.id: e.local_identifier for e in evaluations}
        links = (
            await session.execute(
                select(EvaluationInstitution).where(EvaluationInstitution.evaluation_id.in_(local))
            )
        ).scalars()
        programme_links = (
            await session.execute(
                select(EvaluationProgramme).where(EvaluationProgramme.evaluation_id.in_(local))
            )
        ).scalars()
        outbox = kernel_tables.outbox
        payloads = await session.scalars(select(outbox.c.payload).order_by(outbox.c.id))
        events = [CloudEvent.from_bytes(payload) for payload in payloads]
        audit = (
            await session.execute(
                select(entries.c.action, entries.c.record_id, entries.c.version_before)
                .add_columns(entries.c.version_after)
                .where(entries.c.record_type == "evaluation")
                .order_by(entries.c.seq)
            )
        ).all()
        statuses = await session.scalars(select(PublishedStatus))

    def institution(value: Any) -> str:
        return names[uuid.UUID(str(value))]

    def anonymised(message: str) -> str:
        for institution_id, name in names.items():
            message = message.replace(str(institution_id), name)
        return message

    rows = [
        {
            "local_identifier": e.local_identifier,
            "version": e.version,
            "decision": e.decision,
            "activity_type": e.activity_type,
            "valid_from": e.valid_from,
            "valid_to": e.valid_to,
            "institutions": [institution(i) for i in e.institution_ids],
            "countries": e.countries,
            "programmes": e.programmes,
            "files": e.files,
            "flag": e.flag,
            "flag_messages": [m | {"message": anonymised(m["message"])} for m in e.flag_messages],
            "flag_cleared_at": e.flag_cleared_at,
            "published": e.published,
            "content_hash_set": len(e.content_hash) == 64,
            "created_before_update": e.created_at <= e.updated_at,
        }
        for e in evaluations
    ]
    link_rows = sorted(
        (local[link.evaluation_id], institution(link.institution_id), link.country, link.position)
        for link in links
    )
    programme_rows = sorted((local[p.evaluation_id], str(p.programme_id)) for p in programme_links)
    evaluation_events = [
        (
            event.type,
            local[uuid.UUID(event.subject)],
            event.aggregateversion,
            event.data["version"],
            event.data["decision"],
            [institution(i) for i in event.data["institution_ids"]],
            event.data["flag"],
            event.data["agency_country"],
        )
        for event in events
        if event.type.startswith("quality.evaluation.") and uuid.UUID(event.subject) in local
    ]
    audit_rows = [
        (row.action, local[uuid.UUID(row.record_id)], *row[2:])
        for row in audit
        if uuid.UUID(row.record_id) in local
    ]
    status_rows = sorted(
        (names[s.institution_id], s.status, len(s.evaluation_ids))
        for s in statuses
        if s.institution_id in names
    )
    return rows, link_rows, programme_rows, evaluation_events, audit_rows, status_rows


def outcomes(results: list[SubmissionResult]) -> list[Any]:
    return [
        (
            r.index,
            r.local_identifier,
            r.result,
            r.version,
            r.flag,
            [f.code for f in r.flags],
            [(e["path"], e["type"]) for e in r.errors],
        )
        for r in results
    ]


async def test_a_batch_writes_what_its_rows_one_at_a_time_write(quality: QualityNode) -> None:
    sides = {}
    for side in ("batch", "single"):
        agency = await quality.create_agency()
        institutions = {
            "home": await quality.add_institution("CN"),
            "other": await quality.add_institution("CN"),
            "abroad": await quality.add_institution("JP"),
            "closed": await quality.add_institution("CN", status="closed"),
        }
        sides[side] = (agency, institutions, {i: n for n, i in institutions.items()})
    results: dict[str, list[Any]] = {"batch": [], "single": []}
    for make_rows in (first_batch, second_batch, second_batch):
        for side, submit in (("batch", as_batch), ("single", one_at_a_time)):
            agency, institutions, _ = sides[side]
            results[side].append(
                outcomes(await submit(quality, make_rows(agency["acronym"], institutions)))
            )
    assert results["batch"] == results["single"]
    first, second, third = results["batch"]
    assert [r[2] for r in first] == [
        "created", "created", "created", "created", "rejected",
        "rejected", "updated", "unchanged", "rejected", "created",
    ]  # fmt: skip
    assert [(r[2], r[3]) for r in second] == [
        ("unchanged", 2), ("updated", 2), ("unchanged", 1), ("updated", 2), ("created", 1),
    ]  # fmt: skip
    assert {r[2] for r in third} == {"unchanged"}

    batch = await stored(quality, sides["batch"][0]["id"], sides["batch"][2])
    single = await stored(quality, sides["single"][0]["id"], sides["single"][2])
    rows, links, programmes, events, audit, statuses = batch
    assert (rows, links, programmes, events, statuses) == single[:4] + single[5:]
    hidden = next(row for row in rows if row["local_identifier"] == "R-4")
    assert hidden["flag"] == "high" and not hidden["published"]
    assert [e[:3] for e in events if e[1] == "R-1"] == [
        ("quality.evaluation.created.v1", "R-1", 1),
        ("quality.evaluation.updated.v1", "R-1", 2),
    ]
    assert "R-4" not in {e[1] for e in events}
    assert links == sorted(
        [
            ("R-1", "home", "CN", 0),
            ("R-10", "abroad", "JP", 1),
            ("R-10", "home", "CN", 0),
            ("R-11", "home", "CN", 0),
            ("R-2", "home", "CN", 0),
            ("R-3", "abroad", "JP", 0),
            ("R-4", "closed", "CN", 0),
        ]
    )
    assert programmes == []  # R-2's programme named by id was replaced by one without
    # A record created and changed in one transaction is audited as created, at its last version.
    assert sorted(audit, key=str) == sorted(
        [
            ("evaluation.created", "R-1", None, 2),
            ("evaluation.created", "R-2", None, 1),
            ("evaluation.created", "R-3", None, 1),
            ("evaluation.created", "R-4", None, 1),
            ("evaluation.created", "R-10", None, 1),
            ("evaluation.created", "R-11", None, 1),
            ("evaluation.updated", "R-2", 1, 2),
            ("evaluation.updated", "R-3", 1, 2),
        ],
        key=str,
    )


async def test_reimporting_a_batch_changes_and_publishes_nothing(quality: QualityNode) -> None:
    agency = await quality.create_agency()
    institutions = {
        "home": await quality.add_institution("CN"),
        "other": await quality.add_institution("CN"),
        "abroad": await quality.add_institution("JP"),
        "closed": await quality.add_institution("CN", status="closed"),
    }
    rows = first_batch(agency["acronym"], institutions)
    await as_batch(quality, rows)
    runtime = quality.service.runtime

    async def counts() -> tuple[int, int, list[Any]]:
        async with runtime.database.session() as session:
            outbox = kernel_tables.outbox
            events = len((await session.execute(select(outbox.c.id))).all())
            audited = len((await session.execute(select(entries.c.seq))).all())
            versions = list(
                (
                    await session.execute(
                        select(
                            Evaluation.local_identifier, Evaluation.version, Evaluation.updated_at
                        ).order_by(Evaluation.local_identifier)
                    )
                ).all()
            )
        return events, audited, versions

    before = await counts()
    again = await as_batch(quality, rows[6:] + rows[1:4])
    assert {r.result for r in again} == {"unchanged", "rejected"}
    assert await counts() == before


async def test_a_batch_finds_the_stored_evaluations_of_every_agency_it_names(
    quality: QualityNode,
) -> None:
    agencies = [await quality.create_agency(), await quality.create_agency()]
    institution = await quality.add_institution("CN")
    rows = [
        {"agency": agency["acronym"], "local_identifier": f"M-{number}"}
        | {"activity_type": "institutional", "decision": "positive"}
        | {"valid_from": "2020-01-01", "institutions": [str(institution)], "files": REPORT}
        for number in range(60)
        for agency in agencies  # the same local identifiers at both agencies
    ]
    assert {r.result for r in await as_batch(quality, rows)} == {"created"}
    assert {r.result for r in await as_batch(quality, rows)} == {"unchanged"}
