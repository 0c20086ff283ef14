"""All SQL of the institutions' copy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from contracts.institutions import InstitutionState
from services.mobility.institutions.models import InstitutionCopy
from shared.repository import Repository


def _write(row: InstitutionCopy, state: InstitutionState) -> None:
    row.country = state.country.upper()
    row.name = state.name
    row.status = state.status
    row.updated_at = state.updated_at


class InstitutionRepository(Repository):
    async def institution(self, institution_id: uuid.UUID) -> InstitutionCopy | None:
        return await self.session.get(InstitutionCopy, institution_id)

    async def apply(self, states: Sequence[tuple[InstitutionState, int]]) -> int:
        return len(await self.upsert_by_version(InstitutionCopy, states, _write))
