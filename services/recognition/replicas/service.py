"""Applying the directory's and quality's events to the replicas: by version, whatever the
origin (docs/events.md). A version not newer than the stored one changes nothing, so applying
is idempotent and tolerant of order."""

from __future__ import annotations

import hashlib
import math
import time
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.replicas.matching import NameCandidate, NameIndex, name_keys
from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from services.recognition.replicas.repository import ReplicaRepository
from services.recognition.replicas.schemas import (
    AgencyState,
    EvaluationState,
    InstitutionState,
    ProgrammeState,
)
from shared.inbox import newest_per_record, replaces_stored


@dataclass
class ReplicaService:
    session: AsyncSession

    @property
    def repository(self) -> ReplicaRepository:
        return ReplicaRepository(self.session)

    async def apply_institution(self, state: InstitutionState, version: int) -> bool:
        """Upsert an institution and its searchable names; returns whether it changed."""
        return bool(await self.apply_institutions([(state, version)]))

    async def apply_institutions(self, states: Sequence[tuple[InstitutionState, int]]) -> int:
        """`apply_institution` for a batch: one query loads the stored records, one statement
        drops the old names, and the rest is flushed together. Returns how many applied."""
        latest = newest_per_record(states)
        stored = await self.repository.institutions(list(latest))
        names: dict[uuid.UUID, tuple[str, list[tuple[str, str, str]]]] = {}
        for state, version in latest.values():
            record = stored.get(state.id)
            if not replaces_stored(_stored(record), state.origin_node, version):
                continue
            if record is None:
                record = InstitutionReplica(id=state.id)
                self.repository.add(record)
            record.origin_node = state.origin_node
            record.country = state.country.upper()
            record.name = state.name
            record.names = [name.model_dump(mode="json") for name in state.names]
            record.identifiers = [i.model_dump(mode="json") for i in state.identifiers]
            record.city = state.city
            record.type = state.type
            record.status = state.status
            record.founded_on = state.founded_on
            record.closed_on = state.closed_on
            record.version = version
            record.updated_at = state.updated_at
            kinds = {name.value: name.kind for name in state.names}
            values = [state.name, *(name.value for name in state.names)]
            names[state.id] = (
                record.country,
                [(value, key, kinds.get(value, "official")) for value, key in name_keys(values)],
            )
        await self.repository.flush()
        await self.repository.replace_names_of(names)
        # Rebuild the changed countries' name indexes now, off the request path, so that the
        # next free-text assessment finds them ready (other processes rebuild on a version poll).
        await refresh_name_indexes(self.session, {country for country, _ in names.values()})
        return len(names)

    async def apply_programme(self, state: ProgrammeState, version: int) -> bool:
        record = await self.repository.programme(state.id)
        if not replaces_stored(_stored(record), state.origin_node, version):
            return False
        if record is None:
            record = ProgrammeReplica(id=state.id)
            self.repository.add(record)
        record.origin_node = state.origin_node
        record.institution_id = state.institution_id
        record.name = state.names[0].value if state.names else None
        record.qualification = state.qualification
        record.levels = list(state.levels)
        record.field = state.field
        record.credits = state.credits
        record.credit_system = state.credit_system
        record.duration_years = state.duration_years
        record.mode = state.mode
        record.status = state.status
        record.version = version
        record.updated_at = state.updated_at
        return True

    async def apply_agency(self, state: AgencyState, version: int) -> bool:
        record = await self.repository.agency(state.id)
        if not replaces_stored(_stored(record), state.origin_node, version):
            return False
        if record is None:
            record = AgencyReplica(id=state.id)
            self.repository.add(record)
        record.origin_node = state.origin_node
        record.name = state.name
        record.acronym = state.acronym
        record.country = state.country.upper()
        record.registrations = [
            r.model_dump(mode="json", by_alias=True) for r in state.registrations
        ]
        record.version = version
        record.updated_at = state.updated_at
        return True

    async def apply_evaluation(self, state: EvaluationState, version: int) -> bool:
        record = await self.repository.evaluation(state.id)
        if not replaces_stored(_stored(record), state.origin_node, version):
            return False
        if record is None:
            record = EvaluationReplica(id=state.id)
            self.repository.add(record)
        record.origin_node = state.origin_node
        record.agency_id = state.agency_id
        record.activity_type = state.activity_type
        record.status = state.status
        record.decision = state.decision
        record.valid_from = state.valid_from
        record.valid_to = state.valid_to
        record.institution_ids = [str(i) for i in state.institution_ids]
        record.programmes = [p.model_dump(mode="json") for p in state.programmes]
        record.flag = state.flag
        record.withdrawn_at = state.withdrawn_at
        record.version = version
        record.updated_at = state.updated_at
        await self.repository.flush()
        await self.repository.replace_evaluation_links(state.id, state.institution_ids)
        return True


class _Versioned(Protocol):
    origin_node: str
    version: int


def _stored(record: _Versioned | None) -> tuple[str, int] | None:
    return (record.origin_node, record.version) if record is not None else None


# One name index per (database, country) for this process, with the version of the names it
# was built from: (count, highest row id), which changes whenever a name is added or replaced.
_NAME_INDEXES: dict[tuple[str, str], tuple[tuple[int, int], NameIndex, str]] = {}
# When each index was last rebuilt by `refresh_name_indexes`.
_REFRESHED_AT: dict[tuple[str, str], float] = {}
# Applying events rebuilds a country's index at most this often: a catch-up of thousands of
# events for one country would otherwise rebuild it for every fetched batch (seconds each for
# the largest countries). An index left behind is rebuilt by the next assessment that needs it.
REFRESH_INTERVAL_SECONDS = 5.0


def _database(session: AsyncSession) -> str:
    return str(session.get_bind().engine.url)


async def _rebuild(session: AsyncSession, countries: Sequence[str]) -> None:
    """Build the name indexes of `countries` from the replica as this session sees it."""
    database = _database(session)
    found = await ReplicaRepository(session).names_of_countries(countries)
    for country, rows in found.items():
        digest = hashlib.sha256(orjson.dumps([[str(r[0]), r[2]] for r in rows])).hexdigest()
        index = NameIndex([NameCandidate(str(r[0]), r[1], r[2]) for r in rows])
        # The same (count, highest row id) as `names_version` reads.
        version = (len(rows), max((row[3] for row in rows), default=0))
        _NAME_INDEXES[(database, country)] = (version, index, digest)


async def name_index(session: AsyncSession, country: str) -> tuple[NameIndex, str]:
    """The country's name index and the digest of its names, rebuilt only when the replica's
    names changed since it was built (by this process or any other)."""
    version = await ReplicaRepository(session).names_version(country)
    key = (_database(session), country)
    cached = _NAME_INDEXES.get(key)
    if cached is None or cached[0] != version:
        await _rebuild(session, [country])
        cached = _NAME_INDEXES[key]
    return cached[1], cached[2]


async def refresh_name_indexes(session: AsyncSession, countries: Collection[str]) -> None:
    """Rebuild the name indexes of `countries` (those not rebuilt in the last
    `REFRESH_INTERVAL_SECONDS`) from the replica as this session sees it."""
    database = _database(session)
    now = time.monotonic()
    due = sorted(
        country
        for country in countries
        if now - _REFRESHED_AT.get((database, country), -math.inf) >= REFRESH_INTERVAL_SECONDS
    )
    if due:
        await _rebuild(session, due)
        _REFRESHED_AT.update({(database, country): now for country in due})
