"""All SQL behind QA status: the evidence of institutions and programmes, the published
statuses, and the evaluations whose validity ended."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import RowMapping, Select, bindparam, insert, or_, select, update

from rules.qa_status import INSTITUTIONAL_ACTIVITIES, Evidence, is_hidden
from services.quality.db import plain_rows, table_of
from services.quality.evaluations.models import (
    Evaluation,
    EvaluationInstitution,
    EvaluationProgramme,
)
from services.quality.status.models import PublishedStatus
from services.quality.vocabulary import ActivityType
from shared.db import utcnow
from shared.repository import Repository

_PROGRAMME_ACTIVITIES = tuple(a.value for a in ActivityType if a not in INSTITUTIONAL_ACTIVITIES)
_EVIDENCE_COLUMNS = (
    Evaluation.id,
    Evaluation.agency_id,
    Evaluation.local_identifier,
    Evaluation.activity_type,
    Evaluation.decision,
    Evaluation.valid_from,
    Evaluation.valid_to,
    Evaluation.withdrawn_at,
    Evaluation.flag,
    Evaluation.flag_cleared_at,
)


def _evidence(row: RowMapping) -> Evidence:
    """One evaluation as the QA status rule reads it: whether a withdrawn or hidden one counts
    is the rule's to say (`rules.qa_status.counts`), not this query's."""
    return Evidence(
        id=row["id"],
        agency_id=row["agency_id"],
        local_identifier=row["local_identifier"],
        activity_type=row["activity_type"],
        decision=row["decision"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        withdrawn=row["withdrawn_at"] is not None,
        hidden=is_hidden(row["flag"], row["flag_cleared_at"] is not None),
    )


@dataclass
class Published:
    """The status this node last published for an institution (a `qa_status` row)."""

    institution_id: uuid.UUID
    status: str
    evaluation_ids: list[str]
    as_of: date
    version: int


class StatusRepository(Repository):
    async def institutional_evidence(
        self, institution_ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, list[Evidence]]:
        """The institutional evaluations of each institution."""
        if not institution_ids:
            return {}
        statement = (
            select(EvaluationInstitution.institution_id, *_EVIDENCE_COLUMNS)
            .join_from(EvaluationInstitution, Evaluation)
            .where(
                EvaluationInstitution.institution_id.in_(institution_ids),
                # Not `IN (the institutional ones)`: SQLite would drive the join from the
                # (activity_type, id) index then, and read most of the table.
                Evaluation.activity_type.not_in(_PROGRAMME_ACTIVITIES),
            )
        )
        found: dict[uuid.UUID, list[Evidence]] = defaultdict(list)
        for row in await plain_rows(self.session, statement):
            found[row.institution_id].append(_evidence(row._mapping))
        return found

    async def programme_evidence(self, programme_id: uuid.UUID) -> list[Evidence]:
        """The evaluations that name the programme."""
        statement = (
            select(*_EVIDENCE_COLUMNS)
            .join(EvaluationProgramme, Evaluation.id == EvaluationProgramme.evaluation_id)
            .where(EvaluationProgramme.programme_id == programme_id)
        )
        return [_evidence(row) for row in (await self.session.execute(statement)).mappings()]

    async def published(self, institution_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Published]:
        """The status last published for each of these institutions that has one."""
        if not institution_ids:
            return {}
        table = table_of(PublishedStatus)
        rows = await plain_rows(
            self.session,
            select(
                table.c.institution_id,
                table.c.status,
                table.c.evaluation_ids,
                table.c.as_of,
                table.c.version,
            ).where(table.c.institution_id.in_(institution_ids)),
        )
        return {row.institution_id: Published(**row._mapping) for row in rows}

    async def save_published(
        self, inserted: Collection[Published], updated: Collection[Published]
    ) -> None:
        """Write new and changed published statuses with one statement each (a refresh after
        a batch writes hundreds)."""
        table = table_of(PublishedStatus)
        now = utcnow()

        def columns(record: Published) -> dict[str, Any]:
            return {
                "institution_id": record.institution_id,
                "status": record.status,
                "evaluation_ids": record.evaluation_ids,
                "as_of": record.as_of,
                "version": record.version,
                "updated_at": now,
            }

        if inserted:
            await self.session.execute(insert(table), [columns(r) for r in inserted])
        if updated:
            await self.session.execute(
                update(table).where(table.c.institution_id == bindparam("key")),
                [{"key": r.institution_id} | columns(r) for r in updated],
            )

    async def ended_unhandled(self, today: date, limit: int) -> list[tuple[uuid.UUID, date]]:
        """Evaluations whose validity ended before `today` and that the expiry pass has not
        handled for their current `valid_to`."""
        statement = (
            select(Evaluation.id, Evaluation.valid_to)
            .where(
                Evaluation.valid_to < today,
                or_(
                    Evaluation.expiry_handled_for.is_(None),
                    Evaluation.expiry_handled_for != Evaluation.valid_to,
                ),
            )
            .order_by(Evaluation.id)
            .limit(limit)
        )
        return [(row.id, row.valid_to) for row in await self.session.execute(statement)]

    async def institutions_of(self, evaluation_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        if not evaluation_ids:
            return set()
        rows = await self.session.scalars(
            select(EvaluationInstitution.institution_id).where(
                EvaluationInstitution.evaluation_id.in_(evaluation_ids)
            )
        )
        return set(rows)

    async def mark_expiry_handled(self, evaluation_ids: Collection[uuid.UUID]) -> None:
        """Record that the pass handled these evaluations for their current `valid_to`."""
        await self.session.execute(
            update(Evaluation)
            .where(Evaluation.id.in_(evaluation_ids))
            .values(expiry_handled_for=Evaluation.valid_to, updated_at=Evaluation.updated_at)
            .execution_options(synchronize_session=False)
        )


def status_versions() -> Select[uuid.UUID, int]:
    """(institution id, version) of the QA statuses this node published (node-local
    versions: compared only with the directory's copy, which search filters on)."""
    return select(PublishedStatus.institution_id, PublishedStatus.version)
