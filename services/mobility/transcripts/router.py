"""HTTP for transcripts of records and their recognition at home (scope `mobility:transcripts`):
grade distribution tables per field, transcripts imported as JSON or ELMO XML and exported as
both, and the recognition the sending institution's coordinator confirms or overrides."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from contracts.mobility import IiaPartner
from rules.isced_f import is_isced_f
from services.mobility.dependencies import RuntimeDep
from services.mobility.transcripts.schemas import (
    GradeTableState,
    GradeTableUpload,
    RecognitionDecision,
    RecognitionRead,
    TranscriptImport,
    TranscriptRead,
)
from services.mobility.transcripts.service import TranscriptRepository, TranscriptService
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import IfMatchVersion, PublisherDep, SessionDep, set_etag
from shared.direct import DirectSender
from shared.errors import FieldError, ProblemError, Unprocessable, problem_responses
from shared.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/mobility", tags=["mobility transcripts"])

PartyDep = Annotated[Principal, require_scope(Scope.MOBILITY_TRANSCRIPTS)]
ELMO_MEDIA_TYPES = ("application/xml", "text/xml")


class UnsupportedMediaType(ProblemError):
    status, slug = 415, "unsupported-media-type"


async def transcript_service(
    session: SessionDep, runtime: RuntimeDep, publisher: PublisherDep
) -> TranscriptService:
    return TranscriptService(
        repository=TranscriptRepository(session),
        settings=runtime.settings,
        sender=DirectSender(publisher, runtime.trust),
        trust=runtime.trust,
    )


ServiceDep = Annotated[TranscriptService, Depends(transcript_service)]


def _field(isced_f: str) -> str:
    if not is_isced_f(isced_f):
        raise Unprocessable(
            f"{isced_f!r} is not an ISCED-F 2013 field code",
            errors=[FieldError(path="path.isced_f", message="not an ISCED-F 2013 field code")],
        )
    return isced_f


@router.put(
    "/grade-tables/{isced_f}",
    summary="Upload a grade distribution table",
    response_model=GradeTableState,
    responses=problem_responses(401, 403, 422),
)
async def put_grade_table(
    isced_f: str, data: GradeTableUpload, principal: PartyDep, service: ServiceDep
) -> GradeTableState:
    """The caller's institution's grade distribution table for one ISCED-F field (ECTS Users'
    Guide 2015): its passing grades, best first, with their counts over the reference years.
    Replaces the previous one; transcripts sent afterwards carry it."""
    return await service.put_table(principal, _field(isced_f), data)


@router.get(
    "/grade-tables",
    summary="An institution's grade distribution tables",
    response_model=Page[GradeTableState],
    responses=problem_responses(401, 403),
)
async def list_grade_tables(
    principal: PartyDep,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
    institution_id: Annotated[
        uuid.UUID | None,
        Query(description="One institution's tables; without it, every institution's here."),
    ] = None,
) -> Page[GradeTableState]:
    """The tables institutions of this node uploaded, by institution and field (they are not
    personal data: any university client of this node reads them)."""
    items, cursor = await service.list_tables(principal, institution_id, page)
    return Page(items=items, next_cursor=cursor, limit=page.limit)


@router.post(
    "/transcripts",
    summary="Import a transcript (JSON)",
    status_code=status.HTTP_201_CREATED,
    response_model=TranscriptRead,
    responses=problem_responses(401, 403, 422, 503),
)
async def import_transcript(
    data: TranscriptImport, principal: PartyDep, service: ServiceDep
) -> TranscriptRead:
    """The caller's (receiving) institution issues the transcript of a mobility; it is sent,
    with the institution's grade tables for its fields, to the sending institution's node
    only, where its recognition at home is computed."""
    return await service.import_transcript(
        principal,
        mobility_id=data.mobility_id,
        sending=data.sending,
        transcript=data.transcript,
        planned=data.planned,
    )


# `services.mobility.elmo` is imported by the ELMO routes when first called: it loads lxml, about
# 4 MB that every process of a node would otherwise hold (the supervisor imports each service's
# app before it forks them), for a route few nodes use (bench.memory).


async def _elmo_body(request: Request) -> bytes:
    from services.mobility.elmo import ELMO_MAX_BYTES, ContentTooLarge

    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in ELMO_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"an ELMO document is sent as application/xml, not {media_type!r}"
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > ELMO_MAX_BYTES:
            raise ContentTooLarge(f"an ELMO document of more than {ELMO_MAX_BYTES} bytes")
    return bytes(body)


@router.post(
    "/transcripts/elmo",
    summary="Import a transcript (EMREX ELMO XML)",
    status_code=status.HTTP_201_CREATED,
    response_model=TranscriptRead,
    responses=problem_responses(401, 403, 413, 415, 422, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def import_elmo_transcript(
    request: Request,
    principal: PartyDep,
    service: ServiceDep,
    mobility_id: Annotated[uuid.UUID, Query(description="The learning agreement's id.")],
    sending_institution_id: Annotated[uuid.UUID | None, Query()] = None,
    sending_node: Annotated[str | None, Query(pattern=r"^[a-z]{2}(-[a-z0-9]{1,8})?$")] = None,
) -> TranscriptRead:
    """The same as the JSON import, from an ELMO document (EMREX ELMO 1.x, validated against
    its schema; no DTD, no entities, at most 4 MiB). The sending institution is named only
    for a mobility whose learning agreement is not held here."""
    from services.mobility.elmo import import_elmo

    transcript = import_elmo(await _elmo_body(request))
    sending = None
    if sending_institution_id is not None or sending_node is not None:
        if sending_institution_id is None or sending_node is None:
            raise Unprocessable("name the sending institution with its node, or neither")
        sending = IiaPartner(institution_id=sending_institution_id, node=sending_node)
    return await service.import_transcript(
        principal,
        mobility_id=mobility_id,
        sending=sending,
        transcript=transcript,
        planned=None,
    )


@router.get(
    "/transcripts",
    summary="The caller's institution's transcripts",
    response_model=Page[TranscriptRead],
    responses=problem_responses(401, 403),
)
async def list_transcripts(
    principal: PartyDep,
    service: ServiceDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[TranscriptRead]:
    """Transcripts the caller's institution issued or received, newest first; the node's admin
    sees all held here."""
    items, cursor = await service.list_transcripts(principal, page)
    return Page(items=items, next_cursor=cursor, limit=page.limit)


@router.get(
    "/transcripts/{transcript_id}",
    summary="One transcript (JSON)",
    response_model=TranscriptRead,
    responses=problem_responses(401, 403, 404),
)
async def get_transcript(
    transcript_id: uuid.UUID, principal: PartyDep, service: ServiceDep
) -> TranscriptRead:
    """The transcript, to the two institutions' clients (404 to anybody else)."""
    return await service.get_transcript(principal, transcript_id)


@router.get(
    "/transcripts/{transcript_id}/elmo",
    summary="One transcript (EMREX ELMO XML)",
    response_class=Response,
    responses={
        200: {"content": {"application/xml": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 404),
    },
)
async def get_transcript_elmo(
    transcript_id: uuid.UUID, principal: PartyDep, service: ServiceDep
) -> Response:
    """The transcript as an ELMO document, valid against the ELMO schema."""
    from services.mobility.elmo import export_elmo

    found = await service.get_transcript(principal, transcript_id)
    body = export_elmo(found.transcript, generated_at=datetime.now(UTC))
    return Response(content=body, media_type="application/xml")


@router.delete(
    "/transcripts/{transcript_id}/learner",
    summary="Erase the learner's personal data",
    response_model=TranscriptRead,
    responses=problem_responses(401, 403, 404, 503),
)
async def erase_learner(
    transcript_id: uuid.UUID, principal: PartyDep, service: ServiceDep
) -> TranscriptRead:
    """Erase the learner's personal data on request, here and at the other institution's
    node; the results and their recognition at home stay."""
    return await service.erase_learner(principal, transcript_id)


@router.get(
    "/recognitions/{transcript_id}",
    summary="What a transcript counts for at home",
    response_model=RecognitionRead,
    responses=problem_responses(401, 403, 404),
)
async def get_recognition(
    transcript_id: uuid.UUID, principal: PartyDep, service: ServiceDep, response: Response
) -> RecognitionRead:
    """At the sending node: each component's credits and grade converted, with the rule, the
    method and the sources; failed and missing components flagged."""
    found = await service.get_recognition(principal, transcript_id)
    set_etag(response, found.version)
    return found


@router.post(
    "/recognitions/{transcript_id}/decision",
    summary="Confirm or override a recognition",
    response_model=RecognitionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
)
async def decide_recognition(
    transcript_id: uuid.UUID,
    data: RecognitionDecision,
    version: IfMatchVersion,
    principal: PartyDep,
    service: ServiceDep,
    response: Response,
) -> RecognitionRead:
    """The sending institution's coordinator confirms the computed recognition, or overrides
    it with a reason (`If-Match` required)."""
    found = await service.decide(principal, transcript_id, data, version)
    set_etag(response, found.version)
    return found
