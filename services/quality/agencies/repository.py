"""All SQL of the agencies domain."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import Select, select

from services.quality.agencies.models import Agency
from shared.pagination import PageParams, paginate
from shared.repository import Repository


class AgencyRepository(Repository):
    async def get(self, agency_id: uuid.UUID) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    async def get_many(self, agency_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Agency]:
        if not agency_ids:
            return {}
        rows = await self.session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))
        return {row.id: row for row in rows}

    async def find_by_acronym(self, acronym: str, *, origin_node: str) -> Agency | None:
        statement = select(Agency).where(
            Agency.acronym == acronym, Agency.origin_node == origin_node
        )
        return (await self.session.scalars(statement.limit(1))).first()

    async def live_of_country(self, country: str, *, other_than: uuid.UUID) -> list[Agency]:
        """The agencies of a country not superseded, but the one given."""
        statement = select(Agency).where(
            Agency.country == country.upper(),
            Agency.id != other_than,
            Agency.superseded_by.is_(None),
        )
        return list((await self.session.scalars(statement)).all())

    async def find_named(self, name: str, *, origin_node: str) -> Agency | None:
        """This node's agency a submission names, as DEQAR's files do: by acronym, or by its
        DEQAR id (digits)."""
        column = Agency.deqar_id if name.isdigit() else Agency.acronym
        statement = select(Agency).where(column == name, Agency.origin_node == origin_node)
        return (await self.session.scalars(statement.limit(1))).first()

    async def find_all_named(self, name: str) -> list[Agency]:
        """Every agency, of any node (replicas included), with this acronym or DEQAR id."""
        column = Agency.deqar_id if name.isdigit() else Agency.acronym
        return list(await self.session.scalars(select(Agency).where(column == name)))

    async def list_page(
        self, params: PageParams, *, country: str | None = None, origin_node: str | None = None
    ) -> tuple[list[Agency], str | None]:
        # A superseded reference record is read by id only: its owner's agency stands for it.
        statement: Select[Agency] = select(Agency).where(Agency.superseded_by.is_(None))
        if country:
            statement = statement.where(Agency.country == country.upper())
        if origin_node:
            statement = statement.where(Agency.origin_node == origin_node)
        return await paginate(
            self.session, statement, params, order_by=[Agency.id], key=lambda row: [row.id]
        )


def agency_versions() -> Select[uuid.UUID, int]:
    """(id, version) of every agency here: what the federation compares across nodes."""
    return select(Agency.id, Agency.version)
