"""Applying the directory's and quality's events to the replicas: by version, whatever the
origin (docs/events.md). A version not newer than the stored one changes nothing, so applying
is idempotent and tolerant of order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from services.recognition.replicas.repository import ReplicaRepository
from services.recognition.replicas.schemas import (
    AgencyState,
    EvaluationState,
    InstitutionState,
    ProgrammeState,
)
from shared.inbox import newest_per_record


@dataclass
class ReplicaService:
    session: AsyncSession

    @property
    def repository(self) -> ReplicaRepository:
        return ReplicaRepository(self.session)

    async def apply_institution(self, state: InstitutionState, version: int) -> bool:
        """Upsert an institution; returns whether it changed."""
        return bool(await self.apply_institutions([(state, version)]))

    async def apply_institutions(self, states: Sequence[tuple[InstitutionState, int]]) -> int:
        """`apply_institution` for a batch: one query loads the stored records, and the rest
        is flushed together. Returns how many applied."""
        latest = newest_per_record(states)
        stored = await self.repository.institutions(list(latest))
        applied = 0
        for state, version in latest.values():
            record = stored.get(state.id)
            if record is not None and record.version >= version:
                continue
            if record is None:
                record = InstitutionReplica(id=state.id)
                self.repository.add(record)
            record.origin_node = state.origin_node
            record.country = state.country.upper()
            record.name = state.name
            record.names = [name.model_dump(mode="json") for name in state.names]
            record.identifiers = [i.model_dump(mode="json") for i in state.identifiers]
            record.city = state.city
            record.type = state.type
            record.status = state.status
            record.founded_on = state.founded_on
            record.closed_on = state.closed_on
            record.version = version
            record.updated_at = state.updated_at
            applied += 1
        await self.repository.flush()
        return applied

    async def apply_programme(self, state: ProgrammeState, version: int) -> bool:
        record = await self.repository.programme(state.id)
        if record is not None and record.version >= version:
            return False
        if record is None:
            record = ProgrammeReplica(id=state.id)
            self.repository.add(record)
        record.origin_node = state.origin_node
        record.institution_id = state.institution_id
        record.name = state.names[0].value if state.names else None
        record.qualification = state.qualification
        record.levels = list(state.levels)
        record.field = state.field
        record.credits = state.credits
        record.credit_system = state.credit_system
        record.duration_years = state.duration_years
        record.mode = state.mode
        record.status = state.status
        record.version = version
        record.updated_at = state.updated_at
        return True

    async def apply_agency(self, state: AgencyState, version: int) -> bool:
        record = await self.repository.agency(state.id)
        if record is not None and record.version >= version:
            return False
        if record is None:
            record = AgencyReplica(id=state.id)
            self.repository.add(record)
        record.origin_node = state.origin_node
        record.name = state.name
        record.acronym = state.acronym
        record.country = state.country.upper()
        record.registrations = [
            r.model_dump(mode="json", by_alias=True) for r in state.registrations
        ]
        record.version = version
        record.updated_at = state.updated_at
        return True

    async def apply_evaluation(self, state: EvaluationState, version: int) -> bool:
        record = await self.repository.evaluation(state.id)
        if record is not None and record.version >= version:
            return False
        if record is None:
            record = EvaluationReplica(id=state.id)
            self.repository.add(record)
        record.origin_node = state.origin_node
        record.agency_id = state.agency_id
        record.local_identifier = state.local_identifier
        record.activity_type = state.activity_type
        record.status = state.status
        record.decision = state.decision
        record.valid_from = state.valid_from
        record.valid_to = state.valid_to
        record.institution_ids = [str(i) for i in state.institution_ids]
        record.programmes = [p.model_dump(mode="json") for p in state.programmes]
        record.flag = state.flag
        record.flag_cleared_at = state.flag_cleared_at
        record.withdrawn_at = state.withdrawn_at
        record.version = version
        record.updated_at = state.updated_at
        await self.repository.flush()
        await self.repository.replace_evaluation_links(state.id, state.institution_ids)
        return True
