"""Keeping this service's copy of the directory's institutions current from its events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.institutions.models import InstitutionCopy, InstitutionCopyIdentifier
from services.quality.institutions.repository import InstitutionCopyRepository
from services.quality.institutions.schemas import InstitutionState
from shared.errors import NotFound
from shared.pagination import PageParams


@dataclass
class InstitutionCopyService:
    session: AsyncSession

    @property
    def repository(self) -> InstitutionCopyRepository:
        return InstitutionCopyRepository(self.session)

    async def get(self, institution_id: uuid.UUID) -> InstitutionCopy:
        ref = await self.repository.get(institution_id)
        if ref is None:
            raise NotFound(f"institution {institution_id} is not known to this node")
        return ref

    async def list_page(
        self, params: PageParams, *, country: str | None
    ) -> tuple[list[InstitutionCopy], str | None]:
        return await self.repository.list_page(params, country=country)

    async def apply_institution_state(self, state: InstitutionState, version: int) -> bool:
        """Upsert the reference copy; a version not newer than the stored one of the same
        origin is ignored, so applying is idempotent and tolerant of order
        (`Repository.upsert_by_version`). Returns whether anything changed."""
        return await self.apply_institution_states([(state, version)]) == 1

    async def apply_institution_states(self, states: Sequence[tuple[InstitutionState, int]]) -> int:
        """`apply_institution_state` for a batch: one query loads what is stored, and the
        changes are flushed together. Returns how many applied."""
        written = await self.repository.upsert_by_version(InstitutionCopy, states, _write)
        return len(written)


def _write(ref: InstitutionCopy, state: InstitutionState) -> None:
    """The reference copy of an institution's state (its origin and version are the
    upsert's)."""
    ref.country = state.country
    ref.name = state.name
    ref.status = state.status
    ref.updated_at = state.updated_at
    wanted = {(i.resource, identifier_lookup_key(i.value)) for i in state.identifiers}
    # Diffed rather than replaced: deleting and re-inserting a key in one flush collides.
    kept = [i for i in ref.identifiers if (i.resource, i.value) in wanted]
    have = {(i.resource, i.value) for i in kept}
    ref.identifiers = kept + [
        InstitutionCopyIdentifier(resource=resource, value=value)
        for resource, value in sorted(wanted - have)
    ]


ROR_PREFIX = "https://ror.org/"


def identifier_lookup_key(value: str) -> str:
    """The spelling an identifier of any registry is stored and looked up by: ROR ids (bare,
    `ror.org/…` or a URL) as their full URL, the rest trimmed. Lenient, as the registry is not
    known where a reference names one; the institutions service validates the shape of each."""
    value = value.strip()
    bare = value.removeprefix("http://").removeprefix("https://").removeprefix("ror.org/")
    if value.startswith(("https://ror.org/", "http://ror.org/", "ror.org/")) or (
        len(bare) == 9 and bare.startswith("0") and bare.isalnum()
    ):
        return ROR_PREFIX + bare
    return value
