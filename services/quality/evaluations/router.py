"""HTTP for evaluations: parse, authorise, call the service, shape the reply."""

from __future__ import annotations

import io
import uuid
from itertools import islice
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status

from services.quality import caps
from services.quality.agencies.router import OptionalVersion
from services.quality.evaluations.bulk import read_csv_text
from services.quality.evaluations.repository import EvaluationFilter
from services.quality.evaluations.schemas import (
    BatchReport,
    BatchSummary,
    EvaluationRead,
    EvaluationSubmission,
    FlagClearanceCreate,
    FlagClearanceRead,
)
from services.quality.evaluations.service import EvaluationService
from services.quality.status.service import today
from services.quality.vocabulary import ActivityType, Decision, EvaluationStatus, FlagLevel
from shared.auth import OptionalPrincipal, Principal, Scope, require_scope
from shared.dependencies import PublisherDep, RuntimeDep, SessionDep, set_etag
from shared.errors import BadRequest, Unprocessable, problem_responses
from shared.fields import IsoDate
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/quality", tags=["quality"])

WriterDep = Annotated[Principal, require_scope(Scope.QUALITY_WRITE)]
AdminDep = Annotated[Principal, require_scope(Scope.QUALITY_ADMIN)]
BATCH_MAX = caps.BATCH_MAX
RESULT_HEADER = "Edunode-Submission-Result"


async def evaluation_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> EvaluationService:
    return EvaluationService(
        session=session,
        publisher=publisher,
        settings=runtime.settings,
        directory_url=getattr(runtime.settings, "institutions_url", None),
    )


ServiceDep = Annotated[EvaluationService, Depends(evaluation_service)]

EXAMPLE = {
    "id": "01935f4e-9d1c-7a2b-8c3d-4e5f6a7b8c9d",
    "origin_node": "my",
    "agency_id": "01935f4e-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "local_identifier": "MQA-A-2021-0042",
    "contributing_agency_ids": [],
    "activity_type": "programme",
    "status": "part of obligatory EQA system",
    "decision": "positive",
    "valid_from": "2021-03-01",
    "valid_to": "2027-02-28",
    "institution_ids": ["01935f4e-1111-7a2b-8c3d-4e5f6a7b8c9d"],
    "countries": ["MY"],
    "programmes": [
        {
            "programme_id": None,
            "name": "Bachelor of Computer Science (Hons)",
            "qualification": "Bachelor's degree",
            "level": "MQF:6",
            "ects": 180,
            "field": "0613",
            "degree_outcome": "full degree",
        }
    ],
    "summary": "Full accreditation.",
    "files": [{"url": "https://www2.mqa.gov.my/mqr/", "languages": ["en"]}],
    "criterion_scores": [],
    "flag": "none",
    "flag_messages": [],
    "flag_cleared_at": None,
    "withdrawn_at": None,
    "version": 1,
    "created_at": "2026-11-26T10:00:00Z",
    "updated_at": "2026-11-26T10:00:00Z",
}


@router.get("/evaluations", summary="Search evaluations", response_model=Page[EvaluationRead])
async def list_evaluations(
    service: ServiceDep,
    principal: OptionalPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    agency: Annotated[uuid.UUID | None, Query(description="The evaluating agency.")] = None,
    institution: Annotated[uuid.UUID | None, Query(description="An institution covered.")] = None,
    country: Annotated[
        str | None,
        Query(min_length=2, max_length=2, description="Country of an institution covered."),
    ] = None,
    activity_type: Annotated[ActivityType | None, Query()] = None,
    decision: Annotated[Decision | None, Query()] = None,
    status_: Annotated[EvaluationStatus | None, Query(alias="status")] = None,
    active: Annotated[
        bool | None, Query(description="Valid today and not withdrawn (or, if false, not).")
    ] = None,
    valid_on: Annotated[IsoDate | None, Query(description="Valid on this date.")] = None,
    year: Annotated[
        int | None, Query(ge=1900, le=2200, description="Valid at some time in this year.")
    ] = None,
    flag: Annotated[FlagLevel | None, Query()] = None,
    origin_node: Annotated[str | None, Query(max_length=16)] = None,
    include_withdrawn: Annotated[bool, Query(description="Also withdrawn evaluations.")] = False,
) -> Page[EvaluationRead]:
    """DEQAR's report search over every evaluation this node knows (its own and replicas), in
    a stable order, one page at a time. Public: no token needed. High-flagged evaluations stay
    hidden until a node admin clears them (the node admin, and the agency itself, see them)."""
    where = EvaluationFilter(
        agency_id=agency,
        institution_id=institution,
        country=country,
        activity_type=activity_type.value if activity_type else None,
        decision=decision.value if decision else None,
        status=status_.value if status_ else None,
        active_on=today() if active is True else None,
        inactive_on=today() if active is False else None,
        valid_on=valid_on,
        year=year,
        flag=flag.value if flag else None,
        origin_node=origin_node,
        include_withdrawn=include_withdrawn or active is False,
    )
    rows, next_cursor = await service.list_page(page, where, principal)
    return Page(
        items=[EvaluationRead.model_validate(row) for row in rows],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.post(
    "/evaluations",
    summary="Submit an evaluation",
    status_code=status.HTTP_201_CREATED,
    response_model=EvaluationRead,
    responses=problem_responses(401, 403, 409, 422, examples={201: EXAMPLE}),
)
async def create_evaluation(
    data: EvaluationSubmission,
    principal: WriterDep,
    service: ServiceDep,
    request: Request,
    response: Response,
) -> EvaluationRead:
    """Submit a new evaluation (QA result) of the caller's own agency (a QA-agency client) or
    of any agency of this node (node admin). Scope `quality:write`.

    Rejected with 422 listing **every** reason (`errors[]`) — see the rules below; saved with
    `flag` low/high otherwise. A high flag hides it until a node admin clears it. 409 when the
    agency already has this `local_identifier`: resubmit with
    `PUT /v1/quality/evaluations/by-local-id/{local_identifier}`. Publishes
    `quality.evaluation.created` (and `quality.status.changed` when a status changes).

    Rejections: unknown agency or contributing agency; `valid_from` outside the agency's
    registrations; `valid_to` before `valid_from`; institutional with programmes; programme
    without exactly one institution and ≥1 programme; joint programme with <2 institutions or
    no programme; unknown or repeated institution; bad types and ranges.
    Flags — high: activity type the agency does not declare; closed or merged institution.
    Low: institution outside the agency's (focus) countries; no report file; `valid_to`
    defaulted (valid_from + 6 years); positive decision with an AUN-QA criterion below 4."""
    result, evaluation = await service.submit(principal, data, mode="create")
    set_etag(response, evaluation.version)
    response.headers[RESULT_HEADER] = result.result
    response.headers["Location"] = str(
        request.url_for("get_evaluation", evaluation_id=evaluation.id)
    )
    return EvaluationRead.model_validate(evaluation)


@router.post(
    "/evaluations:batch",
    summary="Submit evaluations in bulk",
    response_model=BatchReport,
    responses=problem_responses(401, 403, 422),
)
async def submit_evaluations_batch(
    rows: Annotated[
        list[Any],
        Body(
            max_length=BATCH_MAX,
            description=f"Up to {BATCH_MAX} evaluations, each as for `PUT …/by-local-id`.",
        ),
    ],
    principal: WriterDep,
    service: ServiceDep,
) -> BatchReport:
    """Submit many evaluations at once, each idempotently by its `local_identifier` (created,
    updated or unchanged). One bad row never fails the batch: the reply lists every row's
    result — `rejected` with every reason, `flags` when saved with flags — and the totals."""
    results = await service.submit_batch(principal, rows)
    summary = BatchSummary()
    for result in results:
        summary.count(result)
    return BatchReport(summary=summary, results=results)


CSV_BODY = {
    "required": True,
    "content": {
        "text/csv": {
            "schema": {"type": "string", "format": "binary"},
            "example": "agency,local_identifier,activity_type,decision,valid_from,valid_to,"
            "institution[1].identifier\nMQA,MQA-A-2021-0042,institutional,positive,2021-03-01,"
            "2027-02-28,https://ror.org/00rzspn62\n",
        }
    },
}


@router.post(
    "/evaluations:import",
    summary="Submit evaluations in bulk from a CSV file",
    response_model=BatchReport,
    openapi_extra={"requestBody": CSV_BODY},
    responses=problem_responses(400, 401, 403, 422),
)
async def import_evaluations_csv(
    request: Request, principal: WriterDep, service: ServiceDep
) -> BatchReport:
    """The rows of a CSV file in DEQAR's template (or with edunode's column names), as
    `edunode import evaluations` reads it, each submitted as by `evaluations:batch`: one bad
    row never fails the others, and the reply gives every row's result in order (a row that
    cannot even be read, such as a malformed date, is `rejected` with its reasons). As
    many rows as `evaluations:batch` takes; comma, semicolon or tab separated, UTF-8."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "text/csv":
        raise BadRequest("send the file as text/csv")
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest("the CSV file is not UTF-8") from None
    rows = list(islice(read_csv_text(io.StringIO(text, newline="")), BATCH_MAX + 1))
    if len(rows) > BATCH_MAX:
        raise Unprocessable(
            f"at most {BATCH_MAX} rows at once: split the file, or use `edunode import "
            "evaluations` on the node"
        )
    results = await service.submit_batch(principal, rows)
    summary = BatchSummary()
    for result in results:
        summary.count(result)
    return BatchReport(summary=summary, results=results)


@router.put(
    "/evaluations/by-local-id/{local_identifier}",
    summary="Submit or resubmit an evaluation by its local identifier",
    response_model=EvaluationRead,
    responses=problem_responses(400, 401, 403, 409, 412, 422, examples={200: EXAMPLE}),
)
async def put_evaluation(
    local_identifier: str,
    data: EvaluationSubmission,
    version: OptionalVersion,
    principal: WriterDep,
    service: ServiceDep,
    response: Response,
) -> EvaluationRead:
    """Idempotent submission: creates the agency's evaluation with this local identifier
    (201), updates it when the content differs (200, new version), or changes nothing when it
    is the same (200, header `Edunode-Submission-Result: unchanged`). The body's
    `local_identifier` must match the path. `If-Match` is optional (412 when stale). Same
    validation as `POST /v1/quality/evaluations`."""
    if data.local_identifier != local_identifier:
        raise BadRequest(
            f"the body's local_identifier {data.local_identifier!r} is not the path's "
            f"{local_identifier!r}"
        )
    result, evaluation = await service.submit(
        principal, data, mode="upsert", expected_version=version
    )
    if result.result == "created":
        response.status_code = status.HTTP_201_CREATED
    response.headers[RESULT_HEADER] = result.result
    set_etag(response, evaluation.version)
    return EvaluationRead.model_validate(evaluation)


@router.get(
    "/evaluations/{evaluation_id}",
    summary="Get an evaluation",
    response_model=EvaluationRead,
    responses=problem_responses(404, examples={200: EXAMPLE}),
)
async def get_evaluation(
    evaluation_id: uuid.UUID,
    service: ServiceDep,
    principal: OptionalPrincipal,
    response: Response,
) -> EvaluationRead:
    """One evaluation; its `ETag` is its version. Public, except a high-flagged one not yet
    cleared (404 but for this node's admin and the agency itself)."""
    evaluation = await service.get(evaluation_id, principal)
    set_etag(response, evaluation.version)
    return EvaluationRead.model_validate(evaluation)


@router.post(
    "/evaluations/{evaluation_id}/withdrawal",
    summary="Withdraw an evaluation",
    response_model=EvaluationRead,
    responses=problem_responses(401, 403, 404, 409),
)
async def withdraw_evaluation(
    evaluation_id: uuid.UUID, principal: WriterDep, service: ServiceDep, response: Response
) -> EvaluationRead:
    """Withdraw an evaluation of the caller's agency (or, for the node admin, of this node):
    it stays readable with `withdrawn_at` (list with `include_withdrawn=true`) and stops
    counting for QA status. Publishes `quality.evaluation.withdrawn`."""
    evaluation = await service.withdraw(principal, evaluation_id)
    set_etag(response, evaluation.version)
    return EvaluationRead.model_validate(evaluation)


@router.post(
    "/evaluations/{evaluation_id}/flag-clearances",
    summary="Clear a high flag",
    status_code=status.HTTP_201_CREATED,
    response_model=FlagClearanceRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def clear_flag(
    evaluation_id: uuid.UUID,
    data: FlagClearanceCreate,
    principal: AdminDep,
    service: ServiceDep,
) -> FlagClearanceRead:
    """A node admin (scope `quality:admin`) clears the high flag of an evaluation after
    checking it: the evaluation becomes public and is published. The clearance (who, when,
    why, which flag messages) is logged."""
    clearance = await service.clear_flag(principal, evaluation_id, data.reason)
    return FlagClearanceRead.model_validate(clearance)


@router.get(
    "/evaluations/{evaluation_id}/flag-clearances",
    summary="The log of cleared flags",
    response_model=list[FlagClearanceRead],
    responses=problem_responses(401, 403, 404),
)
async def list_flag_clearances(
    evaluation_id: uuid.UUID, principal: AdminDep, service: ServiceDep
) -> list[FlagClearanceRead]:
    """Who cleared which flag of this evaluation, when and why. Node admin only."""
    return [
        FlagClearanceRead.model_validate(c)
        for c in await service.clearances(principal, evaluation_id)
    ]
