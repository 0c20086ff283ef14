"""Applying the directory's and quality's events to the replicas: by version, whatever the
origin (docs/events.md), through the repositories' one `upsert_by_version`: a version not
newer than the stored one changes nothing, so applying is idempotent and tolerant of order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.institutions import InstitutionState, ProgrammeState
from contracts.quality import AgencyState, EvaluationState
from rules.reference_records import same_institution
from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from services.recognition.replicas.repository import ReplicaRepository


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
        applied = await self.repository.upsert_by_version(
            InstitutionReplica, states, _write_institution
        )
        await self._supersede(applied)
        return len(applied)

    async def _supersede(self, applied: list[InstitutionReplica]) -> list[InstitutionReplica]:
        """The rule of rules/reference_records.py, as the directory applies it: an owner's
        record supersedes the reference records of the same institution; a reference record
        arriving after another record of the same institution is superseded by it (an owner's
        first). Returns the records superseded now."""
        owners = [r for r in applied if r.reference_source is None]
        references = [r for r in applied if r.reference_source is not None]
        retired: list[InstitutionReplica] = []
        candidates = await self.repository.live_institutions_of(
            sorted({r.country for r in owners}), references_only=True
        )
        for owner in owners:
            for copy in candidates:
                if copy.superseded_by is None and copy.id != owner.id and _same(copy, owner):
                    copy.superseded_by = owner.id
                    retired.append(copy)
        if references:
            present = await self.repository.live_institutions_of(
                sorted({r.country for r in references}), references_only=False
            )
            for reference in references:
                holders = [
                    other
                    for other in present
                    if other.id != reference.id
                    and other.superseded_by is None
                    and _same(reference, other)
                ]
                if holders:
                    holder = min(holders, key=lambda h: h.reference_source is not None)
                    reference.superseded_by = holder.id
                    retired.append(reference)
        await self.repository.flush()
        return retired

    async def apply_programme(self, state: ProgrammeState, version: int) -> bool:
        return bool(
            await self.repository.upsert_by_version(
                ProgrammeReplica, [(state, version)], _write_programme
            )
        )

    async def apply_agency(self, state: AgencyState, version: int) -> bool:
        return bool(
            await self.repository.upsert_by_version(
                AgencyReplica, [(state, version)], _write_agency
            )
        )

    async def apply_evaluation(self, state: EvaluationState, version: int) -> bool:
        """Upsert an evaluation, and the links from its institutions to it."""
        if not await self.repository.upsert_by_version(
            EvaluationReplica, [(state, version)], _write_evaluation
        ):
            return False
        await self.repository.replace_evaluation_links(state.id, state.institution_ids)
        return True


def _write_institution(record: InstitutionReplica, state: InstitutionState) -> None:
    record.country = state.country.upper()
    record.name = state.name
    record.names = [name.model_dump(mode="json") for name in state.names]
    record.identifiers = [
        i.model_dump(mode="json", include={"resource", "value"}) for i in state.identifiers
    ]
    record.city = state.city
    record.type = state.type
    record.status = state.status
    record.founded_on = state.founded_on
    record.closed_on = state.closed_on
    record.reference_source = state.reference_source
    record.updated_at = state.updated_at


def _write_programme(record: ProgrammeReplica, state: ProgrammeState) -> None:
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
    record.updated_at = state.updated_at


def _write_agency(record: AgencyReplica, state: AgencyState) -> None:
    record.name = state.name
    record.acronym = state.acronym
    record.country = state.country.upper()
    record.registrations = [r.model_dump(mode="json", by_alias=True) for r in state.registrations]
    record.reference_source = state.reference_source
    record.updated_at = state.updated_at


def _write_evaluation(record: EvaluationReplica, state: EvaluationState) -> None:
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
    record.reference_source = state.reference_source
    record.updated_at = state.updated_at


def _same(one: InstitutionReplica, other: InstitutionReplica) -> bool:
    return same_institution(
        one.country,
        [(i["resource"], i["value"]) for i in one.identifiers],
        other.country,
        [(i["resource"], i["value"]) for i in other.identifiers],
    )
