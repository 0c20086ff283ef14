"""What an evaluation stores of a submission: its content as column values, the fingerprint a
resubmission is compared by, and the rows linking it to institutions and programmes. Pure: no
database, no HTTP."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

import orjson

from services.quality.evaluations.models import (
    Evaluation,
    EvaluationInstitution,
    EvaluationProgramme,
)
from services.quality.evaluations.schemas import EvaluationSubmission
from services.quality.evaluations.validation import ResolvedInstitution
from services.quality.status.service import today
from services.quality.vocabulary import ActivityType

# The columns of the submitted content an evaluation's state carries as they are stored.
CONTENT_FIELDS = (
    "reference_source",
    "local_identifier",
    "contributing_agency_ids",
    "activity_type",
    "activity",
    "status",
    "decision",
    "institution_ids",
    "countries",
    "programmes",
    "summary",
    "files",
    "criterion_scores",
)


def content(
    submission: EvaluationSubmission,
    agency_id: uuid.UUID,
    valid_to: date,
    institutions: list[ResolvedInstitution],
) -> dict[str, Any]:
    """The stored content of a checked submission, as column values (the fingerprint is taken
    of it)."""
    dumped = submission.model_dump(mode="json")
    return {
        "agency_id": agency_id,
        "local_identifier": submission.local_identifier,
        "contributing_agency_ids": dumped["contributing_agency_ids"],
        "activity_type": _activity_type(submission).value,
        "activity": submission.activity,
        "status": submission.status.value,
        "decision": submission.decision.value,
        "valid_from": submission.valid_from,
        "valid_to": valid_to,
        "institution_ids": [str(i.id) for i in institutions],
        "countries": sorted({i.country for i in institutions if i.country}),
        "programmes": dumped["programmes"],
        "summary": submission.summary,
        "files": dumped["files"],
        "criterion_scores": dumped["criterion_scores"],
        "reference_source": submission.reference_source,
    }


def content_hash(content: dict[str, Any]) -> str:
    """The fingerprint of stored content. A field added later is hashed only when set, so that
    resubmitting what was stored before it existed still finds the content unchanged."""
    if content.get("activity") is None:
        content = {key: value for key, value in content.items() if key != "activity"}
    return hashlib.sha256(
        orjson.dumps(content, option=orjson.OPT_SORT_KEYS, default=str)
    ).hexdigest()


def _activity_type(submission: EvaluationSubmission) -> ActivityType:
    """The activity type of a checked submission (named, or resolved from its activity)."""
    if submission.activity_type is None:
        raise ValueError("the activity of a checked submission is resolved")
    return submission.activity_type


def handled_by_this_write(valid_to: date) -> date | None:
    """`valid_to` if the validity ended before today: the status refresh that follows every
    write counts it, so the expiry pass has nothing left to do for it (status/worker.py).
    Without this, the first pass after an import of past evaluations refreshed all of them
    again, to publish nothing."""
    return valid_to if valid_to < today() else None


def link_columns(
    institutions: list[ResolvedInstitution],
) -> dict[uuid.UUID, tuple[int, str | None]]:
    """Institution id → (position, country) of the evaluation's institution links."""
    return {i.id: (position, i.country or None) for position, i in enumerate(institutions)}


def programme_ids(programmes: list[dict[str, Any]]) -> set[uuid.UUID]:
    """The directory programmes (named by id) an evaluation's links point at."""
    return {uuid.UUID(p["programme_id"]) for p in programmes if p.get("programme_id")}


def set_links(
    evaluation: Evaluation,
    institutions: list[ResolvedInstitution],
    programmes: list[dict[str, Any]],
) -> None:
    """Point the link rows at the given institutions and programmes, diffing so that a key
    is never deleted and re-inserted in one flush."""
    wanted = link_columns(institutions)
    kept = []
    for link in evaluation.links:
        if link.institution_id in wanted:
            link.position, link.country = wanted.pop(link.institution_id)
            kept.append(link)
    evaluation.links = kept + [
        EvaluationInstitution(institution_id=institution_id, position=position, country=country)
        for institution_id, (position, country) in wanted.items()
    ]
    wanted_programmes = programme_ids(programmes)
    kept_programmes = [
        link for link in evaluation.programme_links if link.programme_id in wanted_programmes
    ]
    have = {link.programme_id for link in kept_programmes}
    evaluation.programme_links = kept_programmes + [
        EvaluationProgramme(programme_id=programme_id) for programme_id in wanted_programmes - have
    ]
