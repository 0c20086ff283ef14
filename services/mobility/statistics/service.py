"""Public, anonymous mobility statistics (issue 19, item 6).

The sending node counts its institutions' students **accepted** for a stay (cancelled ones
leave the count), per academic year, sending and receiving country, ISCED-F broad field and
EQF level; flows of fewer than 5 students are left out, so no count points at a person. The
countries are the two nodes' (their trust list entries'; null for a node covering several).
Each time a nomination of the node changes status, the year's statistics are counted again
and, if they changed, published on the node's public stream as `mobility.statistics.updated`
(one record per node and year, by version), replicated to every node like any public record
and served at each, to anybody."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.mobility import (
    SUPPRESSED_UNDER,
    MobilityFlow,
    MobilityStatisticsState,
    NominationStatus,
)
from services.mobility.nominations.models import Nomination
from services.mobility.statistics.models import MobilityStatistics
from shared.db import utcnow
from shared.inbox import PermanentEventError
from shared.pagination import PageParams, paginate
from shared.publisher import Publisher
from shared.repository import Repository
from shared.trust import TrustList

STATISTICS = uuid.UUID("5f0e8d1c-64b1-4b8e-9a36-2f4c7d0b9e11")  # names the records' ids


def statistics_id(node: str, academic_year: str) -> uuid.UUID:
    return uuid.uuid5(STATISTICS, f"{node}:{academic_year}")


def _write(row: MobilityStatistics, state: MobilityStatisticsState) -> None:
    row.origin_node = state.origin_node
    row.academic_year = state.academic_year
    row.flows = [flow.model_dump(mode="json") for flow in state.flows]
    row.updated_at = state.updated_at


def to_state(row: MobilityStatistics) -> MobilityStatisticsState:
    return MobilityStatisticsState(
        id=row.id,
        origin_node=row.origin_node,
        academic_year=row.academic_year,
        flows=[MobilityFlow.model_validate(flow) for flow in row.flows],
        updated_at=row.updated_at,
    )


class StatisticsRepository(Repository):
    async def get(self, statistics: uuid.UUID) -> MobilityStatistics | None:
        return await self.session.get(MobilityStatistics, statistics, with_for_update=True)

    async def accepted(self, node: str, academic_year: str) -> list[tuple[str, str, int, int]]:
        """(receiving node, broad field, level, students) of this node's accepted ones."""
        field = func.substr(Nomination.isced_f, 1, 2)
        rows = await self.session.execute(
            select(Nomination.receiving_node, field, Nomination.eqf_level, func.count())
            .where(
                Nomination.sending_node == node,
                Nomination.academic_year == academic_year,
                Nomination.status == NominationStatus.ACCEPTED.value,
            )
            .group_by(Nomination.receiving_node, field, Nomination.eqf_level)
        )
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]

    async def page(
        self, params: PageParams, academic_year: str | None
    ) -> tuple[list[MobilityStatistics], str | None]:
        statement: Select[MobilityStatistics] = select(MobilityStatistics)
        if academic_year:
            statement = statement.where(MobilityStatistics.academic_year == academic_year)
        return await paginate(
            self.session,
            statement,
            params,
            order_by=[MobilityStatistics.academic_year, MobilityStatistics.id],
            key=lambda r: [r.academic_year, r.id],
            descending=True,
        )

    async def apply(self, state: MobilityStatisticsState, version: int) -> None:
        await self.upsert_by_version(MobilityStatistics, [(state, version)], _write)


def _country(trust: TrustList | None, node: str) -> str | None:
    entry = trust.node(node) if trust is not None else None
    return entry.countries[0] if entry is not None and len(entry.countries) == 1 else None


@dataclass
class StatisticsService:
    session: AsyncSession
    node: str
    trust: TrustList | None

    async def recount(self, academic_year: str, publisher: Publisher | None) -> None:
        """Count this node's accepted students of `academic_year` again; publish if changed."""
        repository = StatisticsRepository(self.session)
        counts: Counter[tuple[str | None, str, int]] = Counter()
        for receiving, field, level, students in await repository.accepted(
            self.node, academic_year
        ):
            counts[(_country(self.trust, receiving), field, level)] += students
        sending = _country(self.trust, self.node)
        flows = sorted(
            (
                MobilityFlow(
                    sending_country=sending,
                    receiving_country=receiving,
                    isced_f=field,
                    eqf_level=level,
                    students=students,
                )
                for (receiving, field, level), students in counts.items()
                if students >= SUPPRESSED_UNDER
            ),
            key=lambda f: (f.receiving_country or "", f.isced_f, f.eqf_level),
        )
        record_id = statistics_id(self.node, academic_year)
        row = await repository.get(record_id)
        if row is not None and [MobilityFlow.model_validate(f) for f in row.flows] == flows:
            return
        state = MobilityStatisticsState(
            id=record_id,
            origin_node=self.node,
            academic_year=academic_year,
            flows=flows,
            updated_at=utcnow(),
        )
        version = (row.version if row is not None else 0) + 1
        if row is None:
            row = MobilityStatistics(id=record_id)
            repository.add(row)
        _write(row, state)
        row.version = version
        await repository.flush()
        if publisher is not None:
            await publisher.publish(
                self.session,
                "statistics",
                "updated",
                subject=str(record_id),
                data=state.model_dump(mode="json"),
                version=version,
            )

    async def apply(self, state: MobilityStatisticsState, origin: str, version: int) -> None:
        """A node's statistics, as its public event carries them: only its own."""
        if state.origin_node != origin or state.id != statistics_id(origin, state.academic_year):
            raise PermanentEventError(f"statistics {state.id} not of node {origin!r}")
        await StatisticsRepository(self.session).apply(state, version)
