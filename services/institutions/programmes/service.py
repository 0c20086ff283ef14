"""The rules of programmes: who may change which (a university only its own institution's),
versions, an event for every change, and applying other nodes' programme events by version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import published
from contracts.institutions import ProgrammeState
from services.institutions.programmes.models import Programme
from services.institutions.programmes.repository import ProgrammeFilters, ProgrammeRepository
from services.institutions.programmes.schemas import (
    ProgrammeContent,
    ProgrammeCreate,
    ProgrammeUpdate,
    programme_content_of,
)
from services.institutions.registry.repository import InstitutionRepository
from services.institutions.registry.service import unprocessable
from shared.auth import Principal, Role
from shared.authority import (
    ensure_country_authority,
    ensure_owned_here,
    ensure_role,
    ensure_this_node,
)
from shared.db import new_id, utcnow
from shared.errors import FieldError, Forbidden, NotFound, PreconditionFailed, Unprocessable
from shared.pagination import PageParams
from shared.publisher import Publisher
from shared.settings import ServiceSettings

PROGRAMME_WRITER_ROLES = (Role.NODE_ADMIN, Role.REGISTRAR, Role.UNIVERSITY)


def apply_programme_content(row: Programme, content: ProgrammeContent) -> None:
    dumped = content.model_dump(mode="json")
    for key in ProgrammeContent.model_fields:
        if key == "institution_id":
            row.institution_id = content.institution_id
        elif key in ("mode", "status"):
            setattr(row, key, getattr(content, key))
        else:
            setattr(row, key, dumped[key])


def programme_content_dict(row: Programme) -> dict[str, Any]:
    return {
        "institution_id": str(row.institution_id),
        "name": row.name,
        "names": row.names,
        "qualification": row.qualification,
        "levels": row.levels,
        "field": row.field,
        "credits": row.credits,
        "credit_system": row.credit_system,
        "duration_years": row.duration_years,
        "mode": str(row.mode) if row.mode else None,
        "languages": row.languages,
        "joint_partners": row.joint_partners,
        "status": str(row.status),
    }


def programme_state(row: Programme) -> dict[str, Any]:
    """The whole state an event carries, and the read model."""
    return {
        "id": str(row.id),
        "origin_node": row.origin_node,
        "country": row.country,
        **programme_content_dict(row),
        "version": row.version,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


@dataclass
class ProgrammeService:
    session: AsyncSession
    # None where the service only reads or applies events (it then publishes nothing).
    publisher: Publisher | None
    settings: ServiceSettings

    @property
    def repository(self) -> ProgrammeRepository:
        return ProgrammeRepository(self.session)

    @property
    def institutions(self) -> InstitutionRepository:
        return InstitutionRepository(self.session)

    async def get(self, programme_id: uuid.UUID) -> Programme:
        programme = await self.repository.get(programme_id)
        if programme is None:
            raise NotFound(f"programme {programme_id} does not exist")
        return programme

    async def list_page(
        self, params: PageParams, filters: ProgrammeFilters
    ) -> tuple[list[Programme], str | None]:
        return await self.repository.list_page(params, filters)

    def _ensure_writer(self, principal: Principal, institution_id: uuid.UUID) -> None:
        ensure_role(principal, PROGRAMME_WRITER_ROLES)
        ensure_this_node(principal, self.settings)
        if principal.role is Role.UNIVERSITY and principal.institution_id != institution_id:
            raise Forbidden("a university may change only its own institution's programmes")

    async def _offering_institution(self, institution_id: uuid.UUID) -> str:
        """The country of the institution that offers a programme, which must be owned here."""
        institution = await self.institutions.get(institution_id)
        if institution is None:
            raise Unprocessable(
                "the institution does not exist",
                errors=[
                    FieldError(
                        path="body.institution_id",
                        message=f"institution {institution_id} does not exist",
                    )
                ],
            )
        ensure_owned_here(self.settings, institution.origin_node, f"institution {institution.id}")
        ensure_country_authority(self.settings, institution.country)
        return institution.country

    async def _check_partners(self, content: ProgrammeContent) -> None:
        partners = set(content.joint_partners)
        missing = partners - await self.institutions.existing_ids(partners)
        if missing:
            raise Unprocessable(
                "joint partners name unknown institutions",
                errors=[
                    FieldError(
                        path="body.joint_partners", message=f"institution {m} does not exist"
                    )
                    for m in sorted(missing)
                ],
            )

    async def create(self, principal: Principal, data: ProgrammeCreate) -> Programme:
        self._ensure_writer(principal, data.institution_id)
        country = await self._offering_institution(data.institution_id)
        content = ProgrammeContent.model_validate(data.model_dump())
        await self._check_partners(content)
        programme = Programme(id=new_id(), origin_node=self.settings.node_id, country=country)
        apply_programme_content(programme, content)
        programme.version = 1
        programme.created_at = programme.updated_at = utcnow()
        self.repository.add(programme)
        await self.repository.flush()
        await self._publish(programme, "created")
        return programme

    async def update(
        self,
        principal: Principal,
        programme_id: uuid.UUID,
        data: ProgrammeUpdate,
        *,
        expected_version: int,
    ) -> Programme:
        ensure_role(principal, PROGRAMME_WRITER_ROLES)
        programme = await self.get(programme_id)
        self._ensure_writer(principal, programme.institution_id)
        ensure_owned_here(self.settings, programme.origin_node, f"programme {programme.id}")
        ensure_country_authority(self.settings, programme.country)
        if programme.version != expected_version:
            raise PreconditionFailed(
                f"programme {programme.id} is at version {programme.version}, "
                f"not {expected_version}: read it again and reapply your change"
            )
        current = programme_content_dict(programme)
        merged = current | data.model_dump(mode="json", exclude_unset=True)
        try:
            content = ProgrammeContent.model_validate(merged)
        except ValidationError as error:
            raise unprocessable(error) from None
        if content.model_dump(mode="json") == ProgrammeContent.model_validate(current).model_dump(
            mode="json"
        ):
            return programme
        await self._check_partners(content)
        apply_programme_content(programme, content)
        programme.version += 1
        programme.updated_at = utcnow()
        await self.repository.flush()
        await self._publish(programme, "updated")
        return programme

    async def _publish(self, programme: Programme, action: str) -> None:
        if self.publisher is None:
            raise RuntimeError("this service instance cannot publish (no publisher)")
        await self.publisher.publish(
            self.session,
            "programme",
            action,
            subject=str(programme.id),
            data=published(ProgrammeState, programme_state(programme)),
            version=programme.version,
        )

    async def apply_state(self, state: ProgrammeState, version: int) -> bool:
        """Upsert a programme from its event state by version (stale ones of the same origin
        ignored; another origin's stored state, written without authority, replaced)."""

        def write(row: Programme, state: ProgrammeState) -> None:
            content = programme_content_of(state.model_dump(exclude_unset=True))
            apply_programme_content(row, content)
            row.country = state.country
            row.created_at = state.created_at or row.created_at or state.updated_at
            row.updated_at = state.updated_at

        written = await self.repository.upsert_by_version(
            Programme, [(state, version)], write, this_node=self.settings.node_id
        )
        return bool(written)
