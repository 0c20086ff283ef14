"""All SQL of the evaluations domain."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, insert, or_, select, text
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from services.quality.db import plain_rows, table_of
from services.quality.evaluations.models import (
    Evaluation,
    EvaluationInstitution,
    EvaluationProgramme,
    FlagClearance,
)
from services.quality.status.models import PublishedStatus
from shared.audit import note_write
from shared.pagination import PageParams, paginate
from shared.repository import Repository


@dataclass(frozen=True)
class EvaluationFilter:
    """DEQAR's report search, plus what only the owner and the node admin may ask for."""

    agency_id: uuid.UUID | None = None
    institution_id: uuid.UUID | None = None
    country: str | None = None
    activity_type: str | None = None
    decision: str | None = None
    status: str | None = None
    active_on: date | None = None  # "active": valid on this date (today) and not withdrawn
    inactive_on: date | None = None
    valid_on: date | None = None
    year: int | None = None
    flag: str | None = None
    origin_node: str | None = None
    include_withdrawn: bool = False
    # Hidden (high-flagged, not cleared) evaluations: all of them, or one agency's own.
    include_hidden: bool = False
    hidden_of_agency: uuid.UUID | None = None


# How an evaluation is loaded to change its links (they are never loaded lazily).
WITH_LINKS = (selectinload(Evaluation.links), selectinload(Evaluation.programme_links))


def visible() -> ColumnElement[bool]:
    """Not hidden: no high flag, or a high flag a node admin cleared."""
    return or_(Evaluation.flag != "high", Evaluation.flag_cleared_at.is_not(None))


class EvaluationRepository(Repository):
    async def get(self, evaluation_id: uuid.UUID, *, with_links: bool = False) -> Evaluation | None:
        if not with_links:
            return await self.session.get(Evaluation, evaluation_id)
        statement = select(Evaluation).where(Evaluation.id == evaluation_id).options(*WITH_LINKS)
        return (await self.session.scalars(statement)).first()

    async def find_by_local_identifier(
        self, agency_id: uuid.UUID, local_identifier: str
    ) -> Evaluation | None:
        statement = (
            select(Evaluation)
            .where(
                Evaluation.agency_id == agency_id,
                Evaluation.local_identifier == local_identifier,
            )
            .options(*WITH_LINKS)
        )
        return (await self.session.scalars(statement)).first()

    async def find_many_by_local_identifier(
        self, keys: Collection[tuple[uuid.UUID, str]]
    ) -> dict[tuple[uuid.UUID, str], Evaluation]:
        """The evaluations with these (agency id, local identifier) keys, with their links."""
        if not keys:
            return {}
        # The ids first, one agency at a time, so that both databases look the identifiers
        # up in the unique index: with `agency_id IN (…) AND local_identifier IN (…)`,
        # PostgreSQL read every evaluation of an import's few agencies for each chunk (a
        # row-value IN makes SQLite scan the table; an OR per pair costs more to compile than
        # to run). Records are loaded only for what exists: on a first import, nothing.
        by_agency: dict[uuid.UUID, list[str]] = defaultdict(list)
        for agency, local in keys:
            by_agency[agency].append(local)
        ids = []
        for agency, locals_ in by_agency.items():
            rows = await plain_rows(
                self.session,
                select(Evaluation.id).where(
                    Evaluation.agency_id == agency, Evaluation.local_identifier.in_(locals_)
                ),
            )
            ids += [row.id for row in rows]
        if not ids:
            return {}
        statement = select(Evaluation).where(Evaluation.id.in_(ids)).options(*WITH_LINKS)
        evaluations = await self.session.scalars(statement)
        return {(e.agency_id, e.local_identifier): e for e in evaluations}

    async def insert_new(
        self,
        evaluations: Sequence[dict[str, Any]],
        links: Sequence[dict[str, Any]],
        programme_links: Sequence[dict[str, Any]],
    ) -> None:
        """Insert new evaluations and their institution and programme links, given as column
        values, with one statement per table; the audit trail hears of each evaluation as of
        an insert by the ORM."""
        if not evaluations:
            return
        # Core statements on the tables: the ORM's bulk insert checks every row against the
        # mapping again, which costs as much as the insert.
        await self.session.execute(insert(table_of(Evaluation)), evaluations)
        if links:
            await self.session.execute(insert(table_of(EvaluationInstitution)), links)
        if programme_links:
            await self.session.execute(insert(table_of(EvaluationProgramme)), programme_links)
        for evaluation in evaluations:
            note_write(
                self.session,
                record_type=Evaluation.__audit_type__,
                record_id=evaluation["id"],
                change="created",
                version_before=None,
                version_after=evaluation["version"],
            )

    async def refresh_statistics(self) -> list[str]:
        """Refresh PostgreSQL's planner statistics of the evaluations and what derives from
        them (SQLite plans without them). Returns the tables refreshed."""
        if self.session.get_bind().dialect.name != "postgresql":
            return []
        tables = [
            table_of(model).name
            for model in (Evaluation, EvaluationInstitution, EvaluationProgramme, PublishedStatus)
        ]
        await self.session.execute(text(f"ANALYZE {', '.join(tables)}"))
        return tables

    async def clearances(self, evaluation_id: uuid.UUID) -> list[FlagClearance]:
        rows = await self.session.scalars(
            select(FlagClearance)
            .where(FlagClearance.evaluation_id == evaluation_id)
            .order_by(FlagClearance.cleared_at, FlagClearance.id)
        )
        return list(rows)

    async def list_page(
        self, params: PageParams, where: EvaluationFilter
    ) -> tuple[list[Evaluation], str | None]:
        statement: Select[Evaluation] = select(Evaluation)
        links = EvaluationInstitution
        if not where.include_hidden:
            if where.hidden_of_agency is not None:
                statement = statement.where(
                    or_(visible(), Evaluation.agency_id == where.hidden_of_agency)
                )
            else:
                statement = statement.where(visible())
        if not where.include_withdrawn:
            statement = statement.where(Evaluation.withdrawn_at.is_(None))
        if where.agency_id:
            statement = statement.where(Evaluation.agency_id == where.agency_id)
        if where.institution_id:
            statement = statement.where(
                Evaluation.id.in_(
                    select(links.evaluation_id).where(links.institution_id == where.institution_id)
                )
            )
        if where.country:
            statement = statement.where(
                Evaluation.id.in_(
                    select(links.evaluation_id).where(links.country == where.country.upper())
                )
            )
        for column, value in (
            (Evaluation.activity_type, where.activity_type),
            (Evaluation.decision, where.decision),
            (Evaluation.status, where.status),
            (Evaluation.flag, where.flag),
            (Evaluation.origin_node, where.origin_node),
        ):
            if value is not None:
                statement = statement.where(column == value)
        if where.active_on is not None:
            statement = statement.where(
                Evaluation.valid_from <= where.active_on,
                Evaluation.valid_to >= where.active_on,
                Evaluation.withdrawn_at.is_(None),
            )
        if where.inactive_on is not None:
            statement = statement.where(
                or_(
                    Evaluation.valid_from > where.inactive_on,
                    Evaluation.valid_to < where.inactive_on,
                    Evaluation.withdrawn_at.is_not(None),
                )
            )
        if where.valid_on is not None:
            statement = statement.where(
                Evaluation.valid_from <= where.valid_on, Evaluation.valid_to >= where.valid_on
            )
        if where.year is not None:
            statement = statement.where(
                Evaluation.valid_from <= date(where.year, 12, 31),
                Evaluation.valid_to >= date(where.year, 1, 1),
            )
        return await paginate(
            self.session, statement, params, order_by=[Evaluation.id], key=lambda row: [row.id]
        )


def evaluation_versions(node: str) -> Select[uuid.UUID, int]:
    """(id, version) of the evaluations the federation sees: `node`'s published ones (a
    hidden one is not, until cleared) and the replicas."""
    return select(Evaluation.id, Evaluation.version).where(
        or_(Evaluation.published.is_(True), Evaluation.origin_node != node)
    )
