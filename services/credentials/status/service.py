"""Status lists: this node's own (entries handed out at random, bits flipped on revocation or
suspension, each change published whole) and its peers' copies. The list is public and
anonymous. Two purposes (W3C Bitstring Status List 1.0): `revocation`, final, and
`suspension`, reversible — each credential has an entry in one list of each."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.credentials import StatusListState
from services.credentials.status import bitstring
from services.credentials.status.models import REVOCATION, StatusList
from services.credentials.status.repository import StatusListRepository
from shared.publisher import Publisher
from shared.timestamps import utcnow

# How many random indexes to try before taking the first free one in order.
_RANDOM_TRIES = 16


def status_list_state(row: StatusList) -> StatusListState:
    return StatusListState(
        id=row.id,
        origin_node=row.origin_node,
        purpose=row.purpose,
        size=row.size,
        encoded_list=row.encoded_list,
        updated_at=row.updated_at,
    )


class StatusListService:
    def __init__(self, session: AsyncSession, publisher: Publisher | None = None) -> None:
        self.session = session
        self.publisher = publisher
        self.repository = StatusListRepository(session)

    async def get(self, list_id: uuid.UUID) -> StatusList | None:
        return await self.repository.status_list(list_id)

    async def allocate(
        self, node: str, size: int, purpose: str = REVOCATION
    ) -> tuple[StatusList, int]:
        """An unused entry of one of this node's lists of `purpose` (a new list when all are
        full). The index is random, as the spec recommends, so that neighbouring entries say
        nothing about the order of issue."""
        row = await self.repository.open_list_of(node, purpose)
        if row is None:
            row = StatusList(
                id=uuid.uuid4(),
                origin_node=node,
                purpose=purpose,
                size=size,
                encoded_list=bitstring.encode(bitstring.empty(size)),
                allocated=0,
                version=1,
                updated_at=utcnow(),
            )
            self.repository.add(row)
            await self.repository.flush()
            await self._publish(row)
        index = await self._free_index(row)
        row.allocated += 1
        return row, index

    async def _free_index(self, row: StatusList) -> int:
        for _ in range(_RANDOM_TRIES):
            index = secrets.randbelow(row.size)
            if not await self.repository.index_taken(row.id, index, row.purpose):
                return index
        for index in range(row.size):  # a nearly full list: the first free entry
            if not await self.repository.index_taken(row.id, index, row.purpose):
                return index
        raise RuntimeError(f"status list {row.id} has no free entry")  # allocated < size

    async def set_bit(
        self, list_id: uuid.UUID, index: int, at: datetime, value: bool = True
    ) -> None:
        """Set (revoked, suspended) or clear (suspension lifted) an entry of one of this
        node's lists, and publish the list."""
        row = await self.repository.status_list(list_id)
        if row is None:
            raise LookupError(f"status list {list_id}")
        bits = bitstring.decode(row.encoded_list)
        bitstring.put(bits, index, value)
        row.encoded_list = bitstring.encode(bits)
        row.version += 1
        row.updated_at = at
        await self.repository.flush()
        await self._publish(row)

    async def _publish(self, row: StatusList) -> None:
        if self.publisher is None:
            raise RuntimeError("a status list changes only with a publisher")
        data: dict[str, Any] = status_list_state(row).model_dump(mode="json")
        await self.publisher.publish(
            self.session,
            "status_list",
            "updated",
            subject=str(row.id),
            data=data,
            version=row.version,
        )

    async def apply(self, state: StatusListState, version: int) -> bool:
        """A status list of any node (this node's own come back and are ignored by version)."""
        return bool(await self.repository.apply([(state, version)]))
