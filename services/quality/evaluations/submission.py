"""One submission of an evaluation: the checks it passes before anything is written (who may
submit for which agency, DEQAR's validation, the state of the evaluation it resubmits), and
what it writes (the columns of a new evaluation, the new version of a stored one) and answers.
No SQL, no HTTP; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from rules.qa_status import default_valid_to
from services.quality.agencies.schemas import AgencyRead
from services.quality.evaluations.lookups import EvaluationKey, Lookups
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.records import (
    content,
    content_hash,
    handled_by_this_write,
    set_links,
)
from services.quality.evaluations.schemas import (
    EvaluationSubmission,
    FlagMessage,
    SubmissionResult,
)
from services.quality.evaluations.validation import (
    ResolvedInstitution,
    check_evaluation,
    resolve_activity,
)
from services.quality.vocabulary import FlagLevel
from shared.auth import Principal, Role
from shared.authority import ensure_owned_here, ensure_role, ensure_this_node
from shared.db import new_id, utcnow
from shared.errors import Conflict, FieldError, Forbidden, PreconditionFailed, Unprocessable

SUBMITTER_ROLES = (Role.NODE_ADMIN, Role.QA_AGENCY)
# `create` refuses a local identifier the agency used already; `upsert` resubmits it.
Mode = Literal["create", "upsert"]
Outcome = Literal["created", "updated", "unchanged"]
Stored = Callable[[EvaluationKey], Awaitable[Evaluation | None]]


@dataclass
class CheckedSubmission:
    """A submission that passed the checks: what to store, and the stored one it resubmits."""

    key: EvaluationKey
    existing: Evaluation | None
    institutions: list[ResolvedInstitution]
    content: dict[str, Any]
    content_hash: str
    flag: str
    flag_messages: list[dict[str, Any]]
    touched: set[uuid.UUID]  # the institutions whose status a write may change

    @property
    def unchanged(self) -> bool:
        """A resubmission of the content stored already."""
        return self.existing is not None and self.existing.content_hash == self.content_hash


async def check_submission(
    principal: Principal,
    submission: EvaluationSubmission,
    lookups: Lookups,
    *,
    mode: Mode,
    expected_version: int | None = None,
    stored: Stored | None = None,
) -> CheckedSubmission:
    """Authority, DEQAR's validation and the state of a resubmitted evaluation (found by
    `stored`, by default in `lookups`): raises 403, 422 with every reason, 409 or 412;
    otherwise, what is to be written."""
    settings = lookups.settings
    ensure_role(principal, SUBMITTER_ROLES)
    ensure_this_node(principal, settings)
    agency = await _submitting_agency(principal, submission, lookups)
    if agency is not None:
        _check_reference(principal, agency, submission)
    submission, naming_errors = await _named(submission, agency, lookups)
    await lookups.prefetch_institutions([submission])
    institutions = [lookups.institution(reference) for reference in submission.institutions]
    unknown_contributors = [
        index
        for index, contributor in enumerate(submission.contributing_agency_ids)
        if await lookups.agency(contributor) is None
    ]
    valid_to = submission.valid_to or default_valid_to(submission.valid_from)
    verdict = check_evaluation(
        submission,
        agency=agency,
        unknown_contributors=unknown_contributors,
        institutions=institutions,
        valid_to=valid_to,
    )
    verdict.errors[:0] = naming_errors
    if verdict.errors:
        raise Unprocessable(
            f"evaluation {submission.local_identifier!r} was rejected: "
            f"{len(verdict.errors)} reason(s)",
            errors=verdict.errors,
        )
    assert agency is not None
    resolved = [i for i in institutions if i is not None]
    stored_content = content(submission, agency.id, valid_to, resolved)
    key = (agency.id, submission.local_identifier)
    existing = await (stored or lookups.stored_evaluation)(key)
    if existing is not None:
        ensure_owned_here(settings, existing.origin_node, f"evaluation {existing.id}")
        if mode == "create":
            raise Conflict(
                f"agency {agency.acronym} already has an evaluation with local identifier "
                f"{submission.local_identifier!r} ({existing.id}); PUT it by local "
                "identifier to resubmit"
            )
        if existing.withdrawn_at is not None:
            raise Conflict(
                f"evaluation {existing.id} ({submission.local_identifier!r}) was withdrawn; "
                "submit it under a new local identifier"
            )
        if expected_version is not None and existing.version != expected_version:
            raise PreconditionFailed(
                f"evaluation {existing.id} is at version {existing.version}, not "
                f"{expected_version}: reload it and try again"
            )
    before = {uuid.UUID(i) for i in existing.institution_ids} if existing else set()
    return CheckedSubmission(
        key=key,
        existing=existing,
        institutions=resolved,
        content=stored_content,
        content_hash=content_hash(stored_content),
        flag=verdict.flag_level.value,
        flag_messages=[m.model_dump(mode="json") for m in verdict.flags],
        touched=before | {i.id for i in resolved},
    )


async def _submitting_agency(
    principal: Principal, submission: EvaluationSubmission, lookups: Lookups
) -> AgencyRead | None:
    """The agency the evaluation is submitted for, after the authority checks: an agency
    submits for itself only, and only this node's agencies can be written here."""
    settings = lookups.settings
    agency_id = submission.agency_id
    if agency_id is None and submission.agency:
        acronym = submission.agency
        agency_id = await lookups.own_agency_named(acronym)
        if agency_id is None:
            raise Unprocessable(
                f"no agency of node {settings.node_id!r} has the acronym or DEQAR id {acronym!r}",
                errors=[
                    FieldError(
                        path="agency",
                        message="unknown acronym or DEQAR id",
                        type="unknown-agency",
                    )
                ],
            )
    if agency_id is None:
        agency_id = principal.agency_id
    if agency_id is None:
        raise Unprocessable(
            "name the agency (agency_id or agency)",
            errors=[FieldError(path="agency_id", message="required", type="missing")],
        )
    if principal.role is Role.QA_AGENCY and principal.agency_id != agency_id:
        raise Forbidden(
            f"a client of agency {principal.agency_id} cannot submit for agency {agency_id}"
        )
    agency = await lookups.agency(agency_id)
    if agency is not None:
        ensure_owned_here(settings, agency.origin_node, f"agency {agency.acronym}")
    return agency


async def _named(
    submission: EvaluationSubmission, agency: AgencyRead | None, lookups: Lookups
) -> tuple[EvaluationSubmission, list[FieldError]]:
    """The submission with what it names as DEQAR does resolved: the agency's activity (when
    no `activity_type` is given) and the contributing agencies by acronym (this node's first,
    else the one agency of any node with it); and the names not found."""
    errors: list[FieldError] = []
    update: dict[str, Any] = {}
    if submission.activity_type is None and submission.activity and agency is not None:
        resolved = resolve_activity(submission.activity, agency)
        if isinstance(resolved, FieldError):
            errors.append(resolved)
        else:
            update["activity_type"], update["activity"] = resolved
    if submission.contributing_agencies:
        ids = list(submission.contributing_agency_ids)
        for index, acronym in enumerate(submission.contributing_agencies):
            candidates = await lookups.agencies_named(acronym)
            if len(candidates) == 1:
                ids.append(candidates[0])
            else:
                errors.append(
                    FieldError(
                        path=f"contributing_agencies.{index}",
                        message=f"{len(candidates)} agencies have the acronym or DEQAR id "
                        f"{acronym!r}",
                        type="unknown-agency",
                    )
                )
        update |= {"contributing_agency_ids": ids, "contributing_agencies": []}
    return (submission.model_copy(update=update) if update else submission), errors


def _check_reference(
    principal: Principal, agency: AgencyRead, submission: EvaluationSubmission
) -> None:
    """An evaluation by a reference agency is a reference record: entered by a node admin,
    with its source; an evaluation by an agency of a node is never one."""
    if agency.reference_source is None:
        if submission.reference_source is not None:
            raise Unprocessable(
                f"agency {agency.acronym} is not a reference record: its evaluations carry no "
                "reference_source",
                errors=[
                    FieldError(
                        path="reference_source",
                        message="only for an evaluation by a reference agency",
                        type="not-a-reference-agency",
                    )
                ],
            )
        return
    ensure_role(principal, (Role.NODE_ADMIN,))
    if submission.reference_source is None:
        raise Unprocessable(
            f"agency {agency.acronym} is a reference record (source: {agency.reference_source}): "
            "an evaluation by it is one too and must name its reference_source",
            errors=[
                FieldError(
                    path="reference_source",
                    message="required for an evaluation by a reference agency",
                    type="missing",
                )
            ],
        )


# -- what a submission writes ------------------------------------------------------------------


def new_columns(checked: CheckedSubmission, node: str) -> dict[str, Any]:
    """The columns of a new evaluation of this node. Ids and times are set here rather than at
    flush, so that a batch is inserted at once."""
    now = utcnow()
    return {
        "id": new_id(),
        "origin_node": node,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **checked.content,
        "content_hash": checked.content_hash,
        "flag": checked.flag,
        "flag_messages": checked.flag_messages,
        "flag_cleared_at": None,
        "withdrawn_at": None,
        "published": False,
        "expiry_handled_for": handled_by_this_write(checked.content["valid_to"]),
    }


def new_evaluation(checked: CheckedSubmission, node: str) -> Evaluation:
    """A new evaluation of this node, with its links, not yet added to a session."""
    evaluation = Evaluation(**new_columns(checked, node), links=[], programme_links=[])
    set_links(evaluation, checked.institutions, checked.content["programmes"])
    return evaluation


def change(evaluation: Evaluation, checked: CheckedSubmission) -> None:
    """A resubmission with new content applied to its stored evaluation: a new version."""
    evaluation.updated_at = utcnow()
    for name, value in checked.content.items():
        setattr(evaluation, name, value)
    evaluation.content_hash = checked.content_hash
    if (checked.flag, checked.flag_messages) != (evaluation.flag, evaluation.flag_messages):
        evaluation.flag_cleared_at = None  # a new high flag needs a new clearance
    evaluation.flag = checked.flag
    evaluation.flag_messages = checked.flag_messages
    set_links(evaluation, checked.institutions, checked.content["programmes"])
    evaluation.expiry_handled_for = (
        handled_by_this_write(evaluation.valid_to) or evaluation.expiry_handled_for
    )
    evaluation.version += 1


# -- what a submission answers -----------------------------------------------------------------


def submission_result(outcome: Outcome, evaluation: Evaluation) -> SubmissionResult:
    return SubmissionResult(
        local_identifier=evaluation.local_identifier,
        result=outcome,
        id=evaluation.id,
        version=evaluation.version,
        flag=FlagLevel(evaluation.flag),
        flags=[FlagMessage.model_validate(m) for m in evaluation.flag_messages],
    )


def field_errors(error: ValidationError) -> list[FieldError]:
    """A payload's schema errors as the problem's field errors."""
    return [
        FieldError(
            path=".".join(str(part) for part in item["loc"]) or "body",
            message=item["msg"],
            type=item["type"],
        )
        for item in error.errors()
    ]


def rejected(index: int, local_identifier: Any, errors: Sequence[FieldError]) -> SubmissionResult:
    """The result of a row of a batch that was refused, with every reason."""
    return SubmissionResult(
        index=index,
        local_identifier=str(local_identifier) if local_identifier is not None else None,
        result="rejected",
        errors=[{"path": e.path, "message": e.message, "type": e.type} for e in errors],
    )
