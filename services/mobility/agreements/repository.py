"""All SQL of agreements."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, or_, select

from contracts.mobility import IiaState
from services.mobility.agreements.models import Agreement
from shared.pagination import PageParams, paginate
from shared.repository import Repository


def write_state(record: Agreement, state: IiaState) -> None:
    """Copy an agreement's state onto its row (not the version: `upsert_by_version` sets it)."""
    record.proposer_institution_id = state.proposer.institution_id
    record.proposer_node = state.proposer.node
    record.partner_institution_id = state.partner.institution_id
    record.partner_node = state.partner.node
    record.revision = state.revision
    record.conditions = state.conditions.model_dump(mode="json")
    record.digest = state.digest
    record.status = state.status.value
    record.approvals = [approval.model_dump(mode="json") for approval in state.approvals]
    record.terminated_reason = state.terminated_reason
    record.updated_at = state.updated_at


class AgreementRepository(Repository):
    async def get(self, agreement_id: uuid.UUID, *, for_update: bool = False) -> Agreement | None:
        statement = select(Agreement).where(Agreement.id == agreement_id)
        if for_update:
            statement = statement.with_for_update()
        return await self.session.scalar(statement)

    async def page(
        self, params: PageParams, *, institutions: Sequence[uuid.UUID] | None, status: str | None
    ) -> tuple[list[Agreement], str | None]:
        """Newest change first; only those of `institutions` (either side) unless None."""
        statement: Select[Agreement] = select(Agreement)
        if institutions is not None:
            statement = statement.where(
                or_(
                    Agreement.proposer_institution_id.in_(institutions),
                    Agreement.partner_institution_id.in_(institutions),
                )
            )
        if status:
            statement = statement.where(Agreement.status == status)
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[Agreement.updated_at, Agreement.id],
            key=lambda r: [r.updated_at, r.id],
            descending=True,
        )

    async def apply(self, state: IiaState, version: int) -> list[Agreement]:
        """A partner's state of the agreement: a newer version replaces the stored one."""
        return await self.upsert_by_version(
            Agreement, [(state, version)], write_state, by_origin=False
        )
