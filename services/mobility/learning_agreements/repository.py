"""All SQL of learning agreements and students' tokens."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, or_, select

from contracts.mobility import (
    IiaPartner,
    LaParty,
    LaVersion,
    LaVersionStatus,
    LearningAgreementState,
)
from services.mobility.learning_agreements.models import LearningAgreement, StudentToken
from shared.pagination import PageParams, paginate
from shared.repository import Repository


def to_state(record: LearningAgreement) -> LearningAgreementState:
    return LearningAgreementState(
        id=record.id,
        nomination_id=record.nomination_id,
        sending=IiaPartner(institution_id=record.sending_institution_id, node=record.sending_node),
        receiving=IiaPartner(
            institution_id=record.receiving_institution_id, node=record.receiving_node
        ),
        current=LaVersion.model_validate(record.current),
        history=[LaVersion.model_validate(v) for v in record.history],
        version=record.version,
        updated_at=record.updated_at,
    )


def receiving_answered(version: LaVersion) -> bool:
    """The receiving coordinator approved or rejected this version."""
    return version.rejection is not None or any(
        a.party is LaParty.RECEIVING and a.digest == version.digest for a in version.approvals
    )


def write_state(record: LearningAgreement, state: LearningAgreementState) -> None:
    """Copy a learning agreement's state onto its row (not the version)."""
    record.nomination_id = state.nomination_id
    record.sending_institution_id = state.sending.institution_id
    record.sending_node = state.sending.node
    record.receiving_institution_id = state.receiving.institution_id
    record.receiving_node = state.receiving.node
    record.revision = state.current.revision
    record.status = state.current.status.value
    record.respond_by = state.current.respond_by
    record.receiving_answered = receiving_answered(state.current)
    record.current = state.current.model_dump(mode="json")
    record.history = [v.model_dump(mode="json") for v in state.history]
    record.updated_at = state.updated_at


class LearningAgreementRepository(Repository):
    async def get(
        self, learning_agreement_id: uuid.UUID, *, for_update: bool = False
    ) -> LearningAgreement | None:
        statement = select(LearningAgreement).where(LearningAgreement.id == learning_agreement_id)
        if for_update:
            statement = statement.with_for_update()
        return await self.session.scalar(statement)

    async def of_nomination(self, nomination_id: uuid.UUID) -> LearningAgreement | None:
        return await self.session.scalar(
            select(LearningAgreement).where(LearningAgreement.nomination_id == nomination_id)
        )

    async def page(
        self,
        params: PageParams,
        *,
        institutions: Sequence[uuid.UUID] | None,
        status: str | None,
        overdue_on: date | None,
    ) -> tuple[list[LearningAgreement], str | None]:
        """Newest change first; only those of `institutions` (either side) unless None;
        with `overdue_on`, only those whose receiving coordinator has not answered the current
        version after its day to answer."""
        statement: Select[LearningAgreement] = select(LearningAgreement)
        if institutions is not None:
            statement = statement.where(
                or_(
                    LearningAgreement.sending_institution_id.in_(institutions),
                    LearningAgreement.receiving_institution_id.in_(institutions),
                )
            )
        if status:
            statement = statement.where(LearningAgreement.status == status)
        if overdue_on is not None:
            statement = statement.where(
                LearningAgreement.status == LaVersionStatus.PROPOSED.value,
                LearningAgreement.receiving_answered.is_(False),
                LearningAgreement.respond_by < overdue_on,
            )
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[LearningAgreement.updated_at, LearningAgreement.id],
            key=lambda r: [r.updated_at, r.id],
            descending=True,
        )

    async def apply(self, state: LearningAgreementState, version: int) -> list[LearningAgreement]:
        """A partner's state: a newer version replaces the stored one."""
        return await self.upsert_by_version(
            LearningAgreement, [(state, version)], write_state, by_origin=False
        )

    async def token(self, token_sha256: str) -> StudentToken | None:
        return await self.session.scalar(
            select(StudentToken).where(StudentToken.token_sha256 == token_sha256).with_for_update()
        )
