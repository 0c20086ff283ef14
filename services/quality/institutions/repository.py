"""All SQL of the institution reference table."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Select, select

from services.quality.db import plain_rows
from services.quality.institutions.models import InstitutionRef, InstitutionRefIdentifier
from shared.pagination import PageParams, paginate
from shared.repository import Repository


class InstitutionRefRepository(Repository):
    async def get(self, institution_id: uuid.UUID) -> InstitutionRef | None:
        return await self.session.get(InstitutionRef, institution_id)

    async def get_many(
        self, institution_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, InstitutionRef]:
        if not institution_ids:
            return {}
        rows = await self.session.scalars(
            select(InstitutionRef).where(InstitutionRef.id.in_(institution_ids))
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
            select(InstitutionRef.id, InstitutionRef.country, InstitutionRef.status).where(
                InstitutionRef.id.in_(institution_ids)
            ),
        )
        return {row.id: (row.country, row.status) for row in rows}

    async def find_by_identifiers(
        self, values: Collection[str]
    ) -> list[tuple[str, str, uuid.UUID]]:
        """(resource, value, institution id) of every identifier among `values`."""
        if not values:
            return []
        table = InstitutionRefIdentifier
        rows = await plain_rows(
            self.session,
            select(table.resource, table.value, table.institution_id).where(
                table.value.in_(values)
            ),
        )
        return [(row.resource, row.value, row.institution_id) for row in rows]

    async def find_by_name(self, name: str, *, country: str) -> InstitutionRef | None:
        statement = select(InstitutionRef).where(
            InstitutionRef.name == name, InstitutionRef.country == country
        )
        return (await self.session.scalars(statement.limit(1))).first()

    async def list_page(
        self, params: PageParams, *, country: str | None
    ) -> tuple[list[InstitutionRef], str | None]:
        statement = select(InstitutionRef)
        if country:
            statement = statement.where(InstitutionRef.country == country.upper())
        return await paginate(
            self.session, statement, params, order_by=[InstitutionRef.id], key=lambda r: [r.id]
        )


def reference_versions() -> Select[uuid.UUID, int]:
    """(id, version) of the institution reference table: what the federation compares with
    the directory's records."""
    return select(InstitutionRef.id, InstitutionRef.version)
