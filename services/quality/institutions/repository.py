"""All SQL of this service's copy of the directory's institutions."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Select, select

from services.quality.db import plain_rows
from services.quality.institutions.models import InstitutionCopy, InstitutionCopyIdentifier
from shared.pagination import PageParams, paginate
from shared.repository import Repository


class InstitutionCopyRepository(Repository):
    async def get(self, institution_id: uuid.UUID) -> InstitutionCopy | None:
        return await self.session.get(InstitutionCopy, institution_id)

    async def get_many(
        self, institution_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, InstitutionCopy]:
        if not institution_ids:
            return {}
        rows = await self.session.scalars(
            select(InstitutionCopy).where(InstitutionCopy.id.in_(institution_ids))
        )
        return {row.id: row for row in rows}

    async def country_and_status(
        self, institution_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[str, str]]:
        """What validating an evaluation needs of each institution, without loading records."""
        if not institution_ids:
            return {}
        rows = await plain_rows(
            self.session,
            select(InstitutionCopy.id, InstitutionCopy.country, InstitutionCopy.status).where(
                InstitutionCopy.id.in_(institution_ids)
            ),
        )
        return {row.id: (row.country, row.status) for row in rows}

    async def find_by_identifiers(
        self, values: Collection[str]
    ) -> list[tuple[str, str, uuid.UUID]]:
        """(resource, value, institution id) of every identifier among `values`."""
        if not values:
            return []
        table = InstitutionCopyIdentifier
        rows = await plain_rows(
            self.session,
            select(table.resource, table.value, table.institution_id).where(
                table.value.in_(values)
            ),
        )
        return [(row.resource, row.value, row.institution_id) for row in rows]

    async def find_by_name(self, name: str, *, country: str) -> InstitutionCopy | None:
        statement = select(InstitutionCopy).where(
            InstitutionCopy.name == name, InstitutionCopy.country == country
        )
        return (await self.session.scalars(statement.limit(1))).first()

    async def list_page(
        self, params: PageParams, *, country: str | None
    ) -> tuple[list[InstitutionCopy], str | None]:
        statement = select(InstitutionCopy)
        if country:
            statement = statement.where(InstitutionCopy.country == country.upper())
        return await paginate(
            self.session, statement, params, order_by=[InstitutionCopy.id], key=lambda r: [r.id]
        )


def copy_versions() -> Select[uuid.UUID, int]:
    """(id, version) of its copy of the institutions: what the federation compares with
    the directory's records."""
    return select(InstitutionCopy.id, InstitutionCopy.version)
