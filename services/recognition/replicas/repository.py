"""All SQL of the replicas: upserts by version on the way in, the assessment's lookups on
the way out."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select

from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationInstitutionReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from shared.repository import Repository


class ReplicaRepository(Repository):
    async def institution(self, institution_id: uuid.UUID) -> InstitutionReplica | None:
        return await self.session.get(InstitutionReplica, institution_id)

    async def programme(self, programme_id: uuid.UUID) -> ProgrammeReplica | None:
        return await self.session.get(ProgrammeReplica, programme_id)

    async def agency(self, agency_id: uuid.UUID) -> AgencyReplica | None:
        return await self.session.get(AgencyReplica, agency_id)

    async def agencies(self, agency_ids: Sequence[uuid.UUID]) -> list[AgencyReplica]:
        if not agency_ids:
            return []
        rows = await self.session.scalars(
            select(AgencyReplica).where(AgencyReplica.id.in_(list(agency_ids)))
        )
        return list(rows)

    async def evaluation(self, evaluation_id: uuid.UUID) -> EvaluationReplica | None:
        return await self.session.get(EvaluationReplica, evaluation_id)

    async def institutions(
        self, institution_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, InstitutionReplica]:
        if not institution_ids:
            return {}
        rows = await self.session.scalars(
            select(InstitutionReplica).where(InstitutionReplica.id.in_(list(institution_ids)))
        )
        return {row.id: row for row in rows}

    async def live_institutions_of(
        self, countries: Sequence[str], *, references_only: bool
    ) -> list[InstitutionReplica]:
        """The institutions of these countries not superseded (only the reference records
        among them, if `references_only`)."""
        if not countries:
            return []
        statement = select(InstitutionReplica).where(
            InstitutionReplica.country.in_(list(countries)),
            InstitutionReplica.superseded_by.is_(None),
        )
        if references_only:
            statement = statement.where(InstitutionReplica.reference_source.is_not(None))
        return list(await self.session.scalars(statement))

    async def replace_evaluation_links(
        self, evaluation_id: uuid.UUID, institution_ids: Sequence[uuid.UUID]
    ) -> None:
        await self.session.execute(
            delete(EvaluationInstitutionReplica).where(
                EvaluationInstitutionReplica.evaluation_id == evaluation_id
            )
        )
        for institution_id in dict.fromkeys(institution_ids):
            self.session.add(
                EvaluationInstitutionReplica(
                    evaluation_id=evaluation_id, institution_id=institution_id
                )
            )

    async def evaluations_of(self, institution_id: uuid.UUID) -> list[EvaluationReplica]:
        rows = await self.session.scalars(
            select(EvaluationReplica)
            .join(
                EvaluationInstitutionReplica,
                EvaluationInstitutionReplica.evaluation_id == EvaluationReplica.id,
            )
            .where(EvaluationInstitutionReplica.institution_id == institution_id)
            .order_by(EvaluationReplica.valid_from, EvaluationReplica.id)
        )
        return list(rows)

    async def evaluations(self, evaluation_ids: Sequence[uuid.UUID]) -> list[EvaluationReplica]:
        if not evaluation_ids:
            return []
        rows = await self.session.scalars(
            select(EvaluationReplica)
            .where(EvaluationReplica.id.in_(list(evaluation_ids)))
            .order_by(EvaluationReplica.id)
        )
        return list(rows)
