"""The rules of the institutions domain: authority, versions, and an event for every change.
No SQL (the repository) and no HTTP (the router); never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.events import institution_event
from services.institutions.institutions.models import Institution, InstitutionStatus
from services.institutions.institutions.repository import InstitutionRepository
from services.institutions.institutions.schemas import (
    InstitutionCreate,
    InstitutionRead,
    InstitutionUpdate,
)
from shared.auth import Principal, Role
from shared.authority import (
    ensure_country_authority,
    ensure_owned_here,
    ensure_role,
    ensure_this_node,
)
from shared.errors import NotFound, PreconditionFailed
from shared.outbox import Outbox
from shared.pagination import PageParams
from shared.settings import ServiceSettings

WRITER_ROLES = (Role.NODE_ADMIN, Role.REGISTRAR)


@dataclass
class InstitutionService:
    session: AsyncSession
    outbox: Outbox
    settings: ServiceSettings
    traceparent: str | None = None

    @property
    def repository(self) -> InstitutionRepository:
        return InstitutionRepository(self.session)

    async def get(self, institution_id: uuid.UUID) -> Institution:
        institution = await self.repository.get(institution_id)
        if institution is None:
            raise NotFound(f"institution {institution_id} does not exist")
        return institution

    async def list_page(
        self, params: PageParams, *, country: str | None, status: InstitutionStatus | None
    ) -> tuple[list[Institution], str | None]:
        return await self.repository.list_page(params, country=country, status=status)

    async def create(self, principal: Principal, data: InstitutionCreate) -> Institution:
        ensure_role(principal, WRITER_ROLES)
        ensure_this_node(principal, self.settings)
        ensure_country_authority(self.settings, data.country)
        institution = Institution(
            origin_node=self.settings.node_id,
            country=data.country,
            name=data.name,
            city=data.city,
            website=str(data.website) if data.website else None,
            status=InstitutionStatus.ACTIVE,
            version=1,
        )
        self.repository.add(institution)
        await self.repository.flush()
        await self._publish(institution, "created")
        return institution

    async def update(
        self,
        principal: Principal,
        institution_id: uuid.UUID,
        data: InstitutionUpdate,
        *,
        expected_version: int,
    ) -> Institution:
        ensure_role(principal, WRITER_ROLES)
        ensure_this_node(principal, self.settings)
        institution = await self.get(institution_id)
        ensure_owned_here(self.settings, institution.origin_node, f"institution {institution.id}")
        ensure_country_authority(self.settings, institution.country)
        if institution.version != expected_version:
            raise PreconditionFailed(
                f"institution {institution.id} is at version {institution.version}, "
                f"not {expected_version}: reload it and try again"
            )
        changes: dict[str, Any] = data.model_dump(exclude_unset=True)
        if "website" in changes and changes["website"] is not None:
            changes["website"] = str(changes["website"])
        changed = False
        for field, value in changes.items():
            if getattr(institution, field) != value:
                setattr(institution, field, value)
                changed = True
        if not changed:
            return institution
        institution.version += 1
        await self.repository.flush()
        await self._publish(institution, "updated")
        return institution

    async def _publish(self, institution: Institution, action: str) -> None:
        state = InstitutionRead.model_validate(institution).model_dump(mode="json")
        event = institution_event(
            node=self.settings.node_id,
            action=action,
            state=state,
            version=institution.version,
            traceparent=self.traceparent,
        )
        await self.outbox.add(self.session, event)
