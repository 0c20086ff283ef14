"""All SQL of decisions, appeals and published decisions."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select

from services.recognition.decisions.models import Appeal, Decision, PublishedDecision
from shared.pagination import PageParams, paginate
from shared.repository import Repository


class DecisionRepository(Repository):
    async def decision_of(self, case_id: uuid.UUID) -> Decision | None:
        return await self.session.scalar(select(Decision).where(Decision.case_id == case_id))

    async def appeal_of(self, case_id: uuid.UUID) -> Appeal | None:
        return await self.session.get(Appeal, case_id)

    async def published(self, decision_id: uuid.UUID) -> PublishedDecision | None:
        return await self.session.get(PublishedDecision, decision_id)

    async def precedents(
        self,
        *,
        institution_id: uuid.UUID | None,
        institution_name: str | None,
        level: str | None,
        limit: int = 50,
    ) -> list[PublishedDecision]:
        """Published decisions on the same institution (by id, else by name) and level."""
        if institution_id is None and not institution_name:
            return []
        statement = select(PublishedDecision)
        if institution_id is not None:
            statement = statement.where(PublishedDecision.institution_id == institution_id)
        else:
            statement = statement.where(PublishedDecision.institution_name == institution_name)
        if level:
            statement = statement.where(PublishedDecision.programme_level == level)
        statement = statement.order_by(
            PublishedDecision.decided_on.desc(), PublishedDecision.id.desc()
        ).limit(limit)
        return list(await self.session.scalars(statement))

    async def list_page(
        self,
        params: PageParams,
        *,
        institution_id: uuid.UUID | None,
        level: str | None,
        origin_country: str | None,
        host_country: str | None,
        outcome: str | None,
        origin_node: str | None,
    ) -> tuple[list[PublishedDecision], str | None]:
        statement: Select[PublishedDecision] = select(PublishedDecision)
        if institution_id is not None:
            statement = statement.where(PublishedDecision.institution_id == institution_id)
        if level:
            statement = statement.where(PublishedDecision.programme_level == level)
        if origin_country:
            statement = statement.where(PublishedDecision.origin_country == origin_country)
        if host_country:
            statement = statement.where(PublishedDecision.host_country == host_country)
        if outcome:
            statement = statement.where(PublishedDecision.outcome == outcome)
        if origin_node:
            statement = statement.where(PublishedDecision.origin_node == origin_node)
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[PublishedDecision.decided_on, PublishedDecision.id],
            key=lambda r: [r.decided_on, r.id],
            descending=True,
        )
