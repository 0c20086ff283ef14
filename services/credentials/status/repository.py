"""All SQL of status lists."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from contracts.credentials import StatusListState
from services.credentials.issuance.models import IssuedCredential
from services.credentials.status.models import SUSPENSION, StatusList
from shared.repository import Repository


def _write(row: StatusList, state: StatusListState) -> None:
    row.purpose = state.purpose
    row.size = state.size
    row.encoded_list = state.encoded_list
    row.updated_at = state.updated_at
    if row.allocated is None:
        row.allocated = 0


class StatusListRepository(Repository):
    async def status_list(self, list_id: uuid.UUID) -> StatusList | None:
        return await self.session.get(StatusList, list_id)

    async def open_list_of(self, node: str, purpose: str) -> StatusList | None:
        """This node's newest list of `purpose` with entries left."""
        return await self.session.scalar(
            select(StatusList)
            .where(
                StatusList.origin_node == node,
                StatusList.purpose == purpose,
                StatusList.allocated < StatusList.size,
            )
            .order_by(StatusList.updated_at.desc())
            .limit(1)
            .with_for_update()
        )

    async def index_taken(self, list_id: uuid.UUID, index: int, purpose: str) -> bool:
        """Whether a credential holds this entry of a list of `purpose` (each purpose has
        its own columns, each pair unique and so indexed)."""
        if purpose == SUSPENSION:
            where = (
                IssuedCredential.suspension_list_id == list_id,
                IssuedCredential.suspension_index == index,
            )
        else:
            where = (
                IssuedCredential.status_list_id == list_id,
                IssuedCredential.status_index == index,
            )
        found = await self.session.scalar(select(IssuedCredential.id).where(*where).limit(1))
        return found is not None

    async def apply(self, states: Sequence[tuple[StatusListState, int]]) -> int:
        return len(await self.upsert_by_version(StatusList, states, _write))
