"""HTTP for "ask the issuer" (scope `credentials:inquire`: recognition officers and
universities' admissions offices, and node admins): an inquiry is created at once and
answered asynchronously by the issuing node; its answer is read by polling."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from contracts.credential_inquiries import Answer, InquiryQuestion
from services.credentials.ask.models import Inquiry
from services.credentials.ask.schemas import InquiryRead, InquiryStatus
from services.credentials.ask.service import InquiryService
from services.credentials.dependencies import RuntimeDep, SettingsDep
from shared.auth import Principal, Scope, require_scope
from shared.dependencies import PublisherDep, SessionDep
from shared.errors import problem_responses

router = APIRouter(prefix="/v1/credentials/inquiries", tags=["credentials"])

InquirerDep = Annotated[Principal, require_scope(Scope.CREDENTIALS_INQUIRE)]


async def inquiry_service(
    session: SessionDep, settings: SettingsDep, publisher: PublisherDep, runtime: RuntimeDep
) -> InquiryService:
    return InquiryService(
        session=session, settings=settings, publisher=publisher, trust=runtime.trust
    )


ServiceDep = Annotated[InquiryService, Depends(inquiry_service)]


def _read(row: Inquiry) -> InquiryRead:
    return InquiryRead(
        id=row.id,
        institution_id=row.institution_id,
        target_node=row.target_node,
        status=InquiryStatus(row.status),
        question=InquiryQuestion.model_validate(row.question),
        question_digest=row.question_digest,
        answer=Answer(row.answer) if row.answer else None,
        statement=row.statement,
        signature=row.signature,
        asked_at=row.asked_at,
        answered_at=row.answered_at,
    )


@router.post(
    "",
    summary="Ask the issuing node about a qualification",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=InquiryRead,
    responses=problem_responses(401, 403, 422, 503),
)
async def create_inquiry(
    data: InquiryQuestion, principal: InquirerDep, service: ServiceDep
) -> InquiryRead:
    """ "Did institution X award qualification Y to a person with these details?" — for a
    qualification never issued digitally. The question goes, sealed and signed, to the node
    with authority over the institution's country only (the direct channel); its answer —
    yes or no, signed by that node, with no personal data — arrives later: read it with `GET
    /v1/credentials/inquiries/{id}`. Answered at once when this node is that node."""
    return _read(await service.ask(principal, data))


@router.get(
    "/{inquiry_id}",
    summary="One of the caller's inquiries, with its answer once it arrived",
    response_model=InquiryRead,
    responses=problem_responses(401, 403, 404),
)
async def get_inquiry(
    inquiry_id: uuid.UUID, principal: InquirerDep, service: ServiceDep
) -> InquiryRead:
    """The inquiry (the caller's own; any, for a node admin), `pending` until the issuing
    node's answer arrived, then `answered` with its signed statement."""
    return _read(await service.get(principal, inquiry_id))
