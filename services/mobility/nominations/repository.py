"""All SQL of nominations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, func, or_, select

from contracts.mobility import IiaPartner, NominatedStudent, NominationState, NominationStatus
from services.mobility.nominations.models import Nomination
from shared.pagination import PageParams, paginate
from shared.repository import Repository

# The nominations that hold one of an agreement's places.
HOLDING_A_PLACE = (NominationStatus.NOMINATED.value, NominationStatus.ACCEPTED.value)


def to_state(record: Nomination) -> NominationState:
    return NominationState(
        id=record.id,
        agreement_id=record.agreement_id,
        sending=IiaPartner(institution_id=record.sending_institution_id, node=record.sending_node),
        receiving=IiaPartner(
            institution_id=record.receiving_institution_id, node=record.receiving_node
        ),
        mobility_type=record.mobility_type,
        academic_year=record.academic_year,
        term=record.term,
        isced_f=record.isced_f,
        eqf_level=record.eqf_level,
        student=NominatedStudent.model_validate(record.student) if record.student else None,
        student_erased_at=record.student_erased_at,
        status=NominationStatus(record.status),
        reason=record.reason,
        nominated_at=record.nominated_at,
        nominated_by=record.nominated_by,
        respond_by=record.respond_by,
        answered_at=record.answered_at,
        answered_by=record.answered_by,
        version=record.version,
        updated_at=record.updated_at,
    )


def write_state(record: Nomination, state: NominationState) -> None:
    """Copy a nomination's state onto its row (not the version). An erased student stays
    erased, whatever a state written before the erasure still carries."""
    record.agreement_id = state.agreement_id
    record.sending_institution_id = state.sending.institution_id
    record.sending_node = state.sending.node
    record.receiving_institution_id = state.receiving.institution_id
    record.receiving_node = state.receiving.node
    record.mobility_type = state.mobility_type.value
    record.academic_year = state.academic_year
    record.term = state.term
    record.isced_f = state.isced_f
    record.eqf_level = state.eqf_level
    erased_at = record.student_erased_at or state.student_erased_at
    record.student = (
        state.student.model_dump(mode="json") if state.student and not erased_at else None
    )
    record.student_erased_at = erased_at
    record.status = state.status.value
    record.reason = state.reason
    record.nominated_at = state.nominated_at
    record.nominated_by = state.nominated_by
    record.respond_by = state.respond_by
    record.answered_at = state.answered_at
    record.answered_by = state.answered_by
    record.updated_at = state.updated_at


class NominationRepository(Repository):
    async def get(self, nomination_id: uuid.UUID, *, for_update: bool = False) -> Nomination | None:
        statement = select(Nomination).where(Nomination.id == nomination_id)
        if for_update:
            statement = statement.with_for_update()
        return await self.session.scalar(statement)

    async def places_taken(
        self,
        agreement_id: uuid.UUID,
        *,
        mobility_type: str,
        sending: uuid.UUID,
        receiving: uuid.UUID,
        academic_year: str,
    ) -> int:
        """The nominations holding one of a cooperation condition's places in a year."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(Nomination)
            .where(
                Nomination.agreement_id == agreement_id,
                Nomination.mobility_type == mobility_type,
                Nomination.sending_institution_id == sending,
                Nomination.receiving_institution_id == receiving,
                Nomination.academic_year == academic_year,
                Nomination.status.in_(HOLDING_A_PLACE),
            )
        )
        return int(count or 0)

    async def page(
        self,
        params: PageParams,
        *,
        institutions: Sequence[uuid.UUID] | None,
        status: str | None,
        overdue_on: date | None,
    ) -> tuple[list[Nomination], str | None]:
        """Newest change first; only those of `institutions` (either side) unless None;
        with `overdue_on`, only those still unanswered after their day to answer."""
        statement: Select[Nomination] = select(Nomination)
        if institutions is not None:
            statement = statement.where(
                or_(
                    Nomination.sending_institution_id.in_(institutions),
                    Nomination.receiving_institution_id.in_(institutions),
                )
            )
        if status:
            statement = statement.where(Nomination.status == status)
        if overdue_on is not None:
            statement = statement.where(
                Nomination.status == NominationStatus.NOMINATED.value,
                Nomination.respond_by < overdue_on,
            )
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[Nomination.updated_at, Nomination.id],
            key=lambda r: [r.updated_at, r.id],
            descending=True,
        )

    async def apply(self, state: NominationState, version: int) -> list[Nomination]:
        """A partner's state of the nomination: a newer version replaces the stored one."""
        return await self.upsert_by_version(
            Nomination, [(state, version)], write_state, by_origin=False
        )
