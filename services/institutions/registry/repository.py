"""All SQL of the institutions domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, bindparam, delete, exists, insert, select, update

from services.institutions.registry.models import (
    Institution,
    InstitutionIdentifier,
    InstitutionQaStatus,
    InstitutionRelationship,
    InstitutionStatus,
    InstitutionType,
)
from shared.pagination import PageParams, paginate
from shared.repository import Repository

StatementT = TypeVar("StatementT", bound=Select[Any])
_TABLE = cast(Table, Institution.__table__)


def owned_institution_versions() -> Select[uuid.UUID, int]:
    """(id, version) of the institutions the federation compares: not the reference copies
    (e.g. loaded from ROR), which are this node's own business."""
    return select(Institution.id, Institution.version).where(Institution.is_reference.is_(False))


@dataclass(frozen=True)
class InstitutionFilters:
    """The filters every institution list (and the export) accepts."""

    country: str | None = None
    type: InstitutionType | None = None
    status: InstitutionStatus | None = None
    identifier_resource: str | None = None
    qa_status: str | None = None
    origin_node: str | None = None
    is_reference: bool | None = None

    def apply(self, statement: StatementT) -> StatementT:
        # A superseded reference record is read by id only: its owner's record stands for it.
        statement = statement.where(Institution.superseded_by.is_(None))
        if self.country:
            statement = statement.where(Institution.country == self.country.upper())
        if self.type:
            statement = statement.where(Institution.type == self.type)
        if self.status:
            statement = statement.where(Institution.status == self.status)
        if self.origin_node:
            statement = statement.where(Institution.origin_node == self.origin_node)
        if self.is_reference is not None:
            statement = statement.where(Institution.is_reference.is_(self.is_reference))
        if self.identifier_resource:
            statement = statement.where(
                exists().where(
                    InstitutionIdentifier.institution_id == Institution.id,
                    InstitutionIdentifier.resource == self.identifier_resource,
                )
            )
        if self.qa_status:
            statement = statement.where(
                exists().where(
                    InstitutionQaStatus.subject_id == Institution.id,
                    InstitutionQaStatus.status == self.qa_status,
                )
            )
        return statement


class InstitutionRepository(Repository):
    async def get(self, institution_id: uuid.UUID) -> Institution | None:
        return await self.session.get(Institution, institution_id)

    async def get_many(self, ids: Iterable[uuid.UUID]) -> list[Institution]:
        wanted = list(set(ids))
        if not wanted:
            return []
        rows = await self.session.scalars(select(Institution).where(Institution.id.in_(wanted)))
        return list(rows.all())

    async def existing_ids(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(set(ids))
        if not wanted:
            return set()
        rows = await self.session.scalars(select(Institution.id).where(Institution.id.in_(wanted)))
        return set(rows.all())

    async def delete(self, institution_id: uuid.UUID) -> None:
        await self.session.execute(delete(Institution).where(Institution.id == institution_id))

    async def write_derived(self, institution: Institution, *, new: bool = False) -> None:
        """Rewrite the lookup rows of one institution from its JSON state (`new`: a record
        just created, which has none to delete yet)."""
        if not new:
            await self.session.execute(
                delete(InstitutionIdentifier).where(
                    InstitutionIdentifier.institution_id == institution.id
                )
            )
            await self.session.execute(
                delete(InstitutionRelationship).where(
                    InstitutionRelationship.institution_id == institution.id
                )
            )
        if institution.superseded_by is not None:
            return  # a superseded reference record names nothing any more
        identifiers = {(i["resource"], i["value"]) for i in institution.identifiers}
        if identifiers:
            await self.session.execute(
                insert(InstitutionIdentifier),
                [
                    {"institution_id": institution.id, "resource": r, "value": v}
                    for r, v in identifiers
                ],
            )
        relationships = {(r["type"], r["institution_id"]) for r in institution.relationships}
        if relationships:
            await self.session.execute(
                insert(InstitutionRelationship),
                [
                    {"institution_id": institution.id, "type": t, "related_id": uuid.UUID(i)}
                    for t, i in relationships
                ],
            )

    async def insert_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert institutions given as column values (no ORM objects), in one statement."""
        if rows:
            await self.session.execute(insert(_TABLE), list(rows))

    async def update_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Overwrite institutions given as column values (all but `id` and `created_at`)."""
        if not rows:
            return
        columns = [c.name for c in _TABLE.columns if c.name not in ("id", "created_at")]
        statement = (
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in columns})
        )
        await self.session.execute(
            statement,
            [{"b_id": row["id"], **{f"b_{name}": row[name] for name in columns}} for row in rows],
        )

    async def write_derived_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """`write_derived` for many institutions given as column values."""
        ids = [row["id"] for row in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            await self.session.execute(
                delete(InstitutionIdentifier).where(InstitutionIdentifier.institution_id.in_(chunk))
            )
            await self.session.execute(
                delete(InstitutionRelationship).where(
                    InstitutionRelationship.institution_id.in_(chunk)
                )
            )
        identifiers = [
            {"institution_id": row["id"], "resource": r, "value": v}
            for row in rows
            for r, v in {(i["resource"], i["value"]) for i in row["identifiers"]}
        ]
        relationships = [
            {"institution_id": row["id"], "type": t, "related_id": uuid.UUID(i)}
            for row in rows
            for t, i in {(r["type"], r["institution_id"]) for r in row["relationships"]}
        ]
        if identifiers:
            await self.session.execute(
                insert(cast(Table, InstitutionIdentifier.__table__)), identifiers
            )
        if relationships:
            await self.session.execute(
                insert(cast(Table, InstitutionRelationship.__table__)), relationships
            )

    async def related_ids_of(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """The institutions the given ones declare relationships towards."""
        wanted = list(set(ids))
        if not wanted:
            return set()
        rows = await self.session.scalars(
            select(InstitutionRelationship.related_id).where(
                InstitutionRelationship.institution_id.in_(wanted)
            )
        )
        return set(rows.all())

    async def holders_of_values(
        self, identifiers: Iterable[tuple[str, str]]
    ) -> list[tuple[str, str, uuid.UUID]]:
        """`holders_of` for many identifiers in one query."""
        wanted = set(identifiers)
        if not wanted:
            return []
        rows = await self.session.execute(
            select(
                InstitutionIdentifier.resource,
                InstitutionIdentifier.value,
                InstitutionIdentifier.institution_id,
            ).where(InstitutionIdentifier.value.in_(sorted({value for _, value in wanted})))
        )
        return [
            (row.resource, row.value, row.institution_id)
            for row in rows
            if (row.resource, row.value) in wanted
        ]

    async def incoming_relationships(
        self, institution_id: uuid.UUID
    ) -> list[tuple[str, uuid.UUID]]:
        """(type, declaring institution) of the relationships others declare towards one."""
        rows = await self.session.execute(
            select(InstitutionRelationship.type, InstitutionRelationship.institution_id).where(
                InstitutionRelationship.related_id == institution_id
            )
        )
        return [(row.type, row.institution_id) for row in rows]

    async def incoming_relationships_of(
        self, ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[str, uuid.UUID]]]:
        """`incoming_relationships` of many institutions in one query."""
        wanted = list(set(ids))
        found: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = {key: [] for key in wanted}
        if not wanted:
            return found
        rows = await self.session.execute(
            select(
                InstitutionRelationship.related_id,
                InstitutionRelationship.type,
                InstitutionRelationship.institution_id,
            ).where(InstitutionRelationship.related_id.in_(wanted))
        )
        for row in rows:
            found[row.related_id].append((row.type, row.institution_id))
        return found

    async def declaring_ids(self, related_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(
            select(InstitutionRelationship.institution_id).where(
                InstitutionRelationship.related_id == related_id
            )
        )
        return list(set(rows.all()))

    async def find_by_identifier(self, resource: str, value: str) -> list[Institution]:
        rows = await self.session.scalars(
            select(Institution)
            .join(InstitutionIdentifier, InstitutionIdentifier.institution_id == Institution.id)
            .where(InstitutionIdentifier.resource == resource, InstitutionIdentifier.value == value)
            .order_by(Institution.is_reference, Institution.id)
        )
        return list(rows.all())

    async def holders_of(
        self, identifiers: Sequence[tuple[str, str]]
    ) -> list[tuple[str, str, uuid.UUID]]:
        """(resource, value, institution id) for each given identifier some record holds."""
        found: list[tuple[str, str, uuid.UUID]] = []
        for resource, value in identifiers:
            rows = await self.session.execute(
                select(InstitutionIdentifier.institution_id).where(
                    InstitutionIdentifier.resource == resource,
                    InstitutionIdentifier.value == value,
                )
            )
            found.extend((resource, value, row.institution_id) for row in rows)
        return found

    async def repoint_relationships(self, old_id: uuid.UUID, new_id: uuid.UUID) -> None:
        await self.session.execute(
            update(InstitutionRelationship)
            .where(InstitutionRelationship.related_id == old_id)
            .values(related_id=new_id)
        )

    async def qa_status(self, institution_id: uuid.UUID) -> str | None:
        return await self.session.scalar(
            select(InstitutionQaStatus.status).where(
                InstitutionQaStatus.subject_id == institution_id
            )
        )

    async def qa_statuses(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(InstitutionQaStatus.subject_id, InstitutionQaStatus.status).where(
                InstitutionQaStatus.subject_id.in_(wanted)
            )
        )
        return {row.subject_id: row.status for row in rows}

    async def list_page(
        self, params: PageParams, filters: InstitutionFilters
    ) -> tuple[list[Institution], str | None]:
        statement: Select[Institution] = filters.apply(select(Institution))
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[Institution.id],
            key=lambda row: [row.id],
        )
