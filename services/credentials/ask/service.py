"""Ask the issuer: for a qualification never issued digitally, a verifying node asks the node
with authority over the institution's country whether the institution awarded it to a person
with the details given. The question travels sealed over the direct channel (shared/direct.py)
to that node only; the answer comes back the same way, yes or no, bound to the question by its
digest and signed with the answering node's federation key — and carries nothing personal.

Where this node itself has authority over the institution's country, it answers at once from
its own issued diplomas, signed the same way."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.credential_inquiries import (
    Answer,
    AnswerStatement,
    InquiryAnswered,
    InquiryAsked,
    InquiryQuestion,
)
from services.credentials.ask.matching import matches
from services.credentials.ask.models import Inquiry
from services.credentials.ask.repository import InquiryRepository
from services.credentials.ask.schemas import InquiryStatus
from services.credentials.institutions.repository import InstitutionRepository
from services.credentials.settings import CredentialsSettings
from shared.auth import Principal, Role
from shared.direct import DirectSender
from shared.errors import NotFound, ServiceUnavailable, Unprocessable
from shared.inbox import PermanentEventError
from shared.publisher import Publisher
from shared.signing import (
    NodeSigner,
    load_node_signer,
    node_of_key_id,
    signature_key_id,
    verify_detached,
)
from shared.timestamps import utcnow
from shared.trust import TrustList

ASKED = "inquiry.asked"
ANSWERED = "inquiry.answered"


def _signer(settings: CredentialsSettings) -> NodeSigner | None:
    keys = settings.federation_keys_dir
    return load_node_signer(keys, settings.node_id) if keys is not None else None


def authority_node(trust: TrustList, country: str) -> str | None:
    """The node the trust list gives authority over `country`."""
    return next((node.id for node in trust.nodes if country.upper() in node.countries), None)


@dataclass
class InquiryService:
    session: AsyncSession
    settings: CredentialsSettings
    publisher: Publisher
    trust: TrustList | None

    def __post_init__(self) -> None:
        self.repository = InquiryRepository(self.session)

    # -- at the verifying node ----------------------------------------------------------------

    async def ask(self, principal: Principal, question: InquiryQuestion) -> Inquiry:
        institution = await InstitutionRepository(self.session).institution(question.institution_id)
        if institution is None:
            raise Unprocessable(
                f"institution {question.institution_id} is not in the federation's directory"
            )
        if self.trust is None:
            raise ServiceUnavailable("this node has no trust list: it cannot ask another node")
        target = authority_node(self.trust, institution.country)
        if target is None:
            raise Unprocessable(
                f"no node of the federation has authority over {institution.country}, "
                "the institution's country: there is no issuer to ask"
            )
        now = utcnow()
        row = Inquiry(
            id=uuid.uuid4(),
            asked_by=principal.client_id,
            institution_id=institution.id,
            target_node=target,
            question=question.model_dump(mode="json"),
            question_digest=question.digest(),
            status=InquiryStatus.PENDING,
            asked_at=now,
            version=1,
        )
        self.repository.add(row)
        if target == self.settings.node_id:
            answered = await self.answer(self.settings.node_id, row.id, question)
            self._record(row, answered)
        else:
            await DirectSender(self.publisher, self.trust).send(
                self.session,
                to=target,
                type=ASKED,
                subject=str(row.id),
                data=InquiryAsked(inquiry_id=row.id, question=question).model_dump(mode="json"),
            )
        await self.repository.flush()
        return row

    async def get(self, principal: Principal, inquiry_id: uuid.UUID) -> Inquiry:
        row = await self.repository.inquiry(inquiry_id)
        if row is None or not (
            principal.role is Role.NODE_ADMIN or principal.client_id == row.asked_by
        ):
            raise NotFound(f"no inquiry {inquiry_id} of yours")
        return row

    async def receive(self, origin: str, answered: InquiryAnswered) -> None:
        """An answer from `origin`: kept only if it answers a pending inquiry of this node sent
        to that node, about that question, and is signed by that node's key."""
        statement = answered.statement
        row = await self.repository.inquiry(statement.inquiry_id)
        if row is None:
            raise PermanentEventError(f"an answer to an unknown inquiry {statement.inquiry_id}")
        if origin != row.target_node or statement.answerer_node != origin:
            raise PermanentEventError(
                f"an answer from node {origin!r} to an inquiry sent to {row.target_node!r}"
            )
        if statement.asker_node != self.settings.node_id:
            raise PermanentEventError("an answer to an inquiry of another node")
        if statement.question_digest != row.question_digest:
            raise PermanentEventError("an answer to another question (its digest differs)")
        if statement.institution_id != row.institution_id:
            raise PermanentEventError("an answer about another institution")
        if not _signed_by(self.trust, origin, answered):
            raise PermanentEventError(f"the answer is not signed by a key of node {origin!r}")
        if row.status == InquiryStatus.ANSWERED:
            return  # a redelivery
        self._record(row, answered)

    def _record(self, row: Inquiry, answered: InquiryAnswered) -> None:
        row.status = InquiryStatus.ANSWERED
        row.answer = answered.statement.answer.value
        row.statement = answered.statement.model_dump(mode="json")
        row.signature = answered.signature
        row.answered_at = answered.statement.answered_at
        row.version += 1

    # -- at the issuing node ------------------------------------------------------------------

    async def answer(
        self, asker: str, inquiry_id: uuid.UUID, question: InquiryQuestion
    ) -> InquiryAnswered:
        """Yes if one of this node's standing diplomas of the institution matches every detail
        given; signed with this node's key."""
        institution = await InstitutionRepository(self.session).institution(question.institution_id)
        if institution is None or institution.country not in self.settings.countries:
            raise PermanentEventError(
                f"an inquiry about institution {question.institution_id}, which is not of a "
                f"country node {self.settings.node_id} has authority over"
            )
        signer = _signer(self.settings)
        if signer is None:
            raise PermanentEventError("this node has no federation key to sign an answer with")
        diplomas = await self.repository.standing_diplomas(question.institution_id)
        found = any(matches(row.document, question) for row in diplomas)
        statement = AnswerStatement(
            inquiry_id=inquiry_id,
            asker_node=asker,
            answerer_node=self.settings.node_id,
            institution_id=question.institution_id,
            question_digest=question.digest(),
            answer=Answer.YES if found else Answer.NO,
            answered_at=utcnow().replace(microsecond=0),
        )
        return InquiryAnswered(statement=statement, signature=signer.sign(statement.canonical()))

    async def answer_message(self, origin: str, asked: InquiryAsked) -> None:
        """An inquiry from node `origin`: answered to it over the direct channel."""
        answered = await self.answer(origin, asked.inquiry_id, asked.question)
        await DirectSender(self.publisher, self.trust).send(
            self.session,
            to=origin,
            type=ANSWERED,
            subject=str(asked.inquiry_id),
            data=answered.model_dump(mode="json"),
        )


def _signed_by(trust: TrustList | None, node_id: str, answered: InquiryAnswered) -> bool:
    kid = signature_key_id(answered.signature)
    node = trust.node(node_id) if trust is not None else None
    if kid is None or node is None or node_of_key_id(kid) != node_id:
        return False
    key = next((k for k in node.keys if k.kid == kid), None)
    return (
        key is not None
        and key.valid_at(answered.statement.answered_at)
        and verify_detached(
            answered.signature, answered.statement.canonical(), key.public_key.encode()
        )
    )
