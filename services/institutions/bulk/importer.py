"""The bulk import: rows from a file become institutions, idempotently.

Each row resolves to one institution id — the id it carries (an edunode export), else the
record already holding one of its world-wide identifiers (ROR, ISNI, ...), else, for ROR
rows, the id derived from the ROR id (the same on every node), else the record with the same
country and display name — and is then created, updated or left unchanged by comparing
content hashes, so a second import of the same file changes nothing and publishes nothing.

Authority: rows of the node's own countries become its records (one `created`/`updated`
event each, written to the outbox in the same transaction as the rows; the running service's
relay publishes them). Rows of other countries are skipped, unless the import is a
*reference* load: then they are kept as reference copies (`is_reference = true`, origin
`ror` for ROR rows or the exporting node for edunode files, `reference_source` the file's),
read-only, never published, and superseded by the owner's record when the owning node
publishes it (docs/reference-records.md).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from contracts import published
from contracts.institutions import InstitutionState
from services.institutions.bulk.formats import SourceRow, id_from_ror
from services.institutions.registry.models import (
    UNIQUE_RESOURCES,
    Institution,
    InstitutionIdentifier,
)
from services.institutions.registry.records import column_values, state_of_values
from services.institutions.registry.repository import InstitutionRepository
from services.institutions.registry.schemas import InstitutionContent
from shared.audit import Actor, act_as, command_line_actor, note_write
from shared.db import Database, new_id, utcnow
from shared.events import CloudEvent
from shared.fields import CONTROL_CHARACTERS_MESSAGE, control_character_paths
from shared.publisher import Publisher

REFERENCE_ORIGIN_ROR = "ror"
REFERENCE_ORIGIN_OTHER = "reference"
_GLOBAL = frozenset(resource.value for resource in UNIQUE_RESOURCES)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    skip_reasons: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected + self.skipped


@dataclass
class _Existing:
    version: int
    content_hash: str
    origin_node: str
    is_reference: bool
    created_at: datetime
    superseded: bool = False


@dataclass
class _Write:
    values: dict[str, Any]
    state: dict[str, Any]
    insert: bool
    event: str | None  # "created" / "updated" / None (reference copies publish nothing)


def describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in item['loc']) or 'record'}: "
        f"{item['msg'].removeprefix('Value error, ')}"
        for item in error.errors()
    )


def _control_characters(row: SourceRow) -> str | None:
    """Why a row is refused for a control character in one of its texts (the API's rule,
    `shared.fields.CONTROL_CHARACTERS`: PostgreSQL cannot even store a NUL), else None."""
    record = {**row.content, "reference_source": row.reference_source}
    found = [path.removeprefix("row.") for path in control_character_paths(record, "row")]
    if not found:
        return None
    return "; ".join(f"{path}: {CONTROL_CHARACTERS_MESSAGE}" for path in found)


@dataclass
class InstitutionImporter:
    """Imports rows into one node's institutions database (see the module docstring)."""

    database: Database
    node_id: str
    countries: list[str]
    publisher: Publisher
    reference: bool = False
    # Where the reference copies come from (e.g. "ROR data dump v1.63, 2025-04-03").
    source: str | None = None
    batch_size: int = 1000
    progress: Callable[[int], None] | None = None
    actor: Actor = field(default_factory=command_line_actor)

    async def run(self, source: Iterable[SourceRow]) -> ImportSummary:
        summary = ImportSummary()
        rows = list(source)
        existing, holders, by_name = await self._load_existing()
        ror_ids: dict[str, uuid.UUID] = {
            value: key for (resource, value), key in holders.items() if resource == "ror"
        }
        resolved: list[tuple[SourceRow, uuid.UUID]] = []
        seen_ids: dict[uuid.UUID, int] = {}
        for row in rows:
            if row.error or row.skip_reason:
                self._count_bad(summary, row)
                continue
            if controlled := _control_characters(row):
                summary.rejected += 1
                summary.errors.append(RowError(row.line, controlled))
                self._tick()
                continue
            institution_id = self._resolve(row, holders, by_name)
            first = seen_ids.get(institution_id)
            if first is not None:
                summary.rejected += 1
                summary.errors.append(RowError(row.line, f"the same institution as line {first}"))
                self._tick()
                continue
            seen_ids[institution_id] = row.line
            if row.ror_id:
                ror_ids.setdefault(row.ror_id, institution_id)
            resolved.append((row, institution_id))
        batch: list[tuple[_Write, uuid.UUID]] = []
        for row, institution_id in resolved:
            write = self._decide(row, institution_id, existing, holders, ror_ids, summary)
            self._tick()
            if write is None:
                continue
            batch.append((write, institution_id))
            if len(batch) >= self.batch_size:
                await self._flush(batch)
                batch = []
        if batch:
            await self._flush(batch)
        return summary

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(1)

    def _count_bad(self, summary: ImportSummary, row: SourceRow) -> None:
        if row.error:
            summary.rejected += 1
            summary.errors.append(RowError(row.line, row.error))
        else:
            summary.skipped += 1
            summary.skip_reasons[row.skip_reason or "skipped"] += 1
        self._tick()

    async def _load_existing(
        self,
    ) -> tuple[
        dict[uuid.UUID, _Existing],
        dict[tuple[str, str], uuid.UUID],
        dict[tuple[str, str], uuid.UUID],
    ]:
        async with self.database.session() as session:
            rows = await session.execute(
                select(
                    Institution.id,
                    Institution.version,
                    Institution.content_hash,
                    Institution.origin_node,
                    Institution.is_reference,
                    Institution.created_at,
                    Institution.country,
                    Institution.name,
                    Institution.superseded_by,
                )
            )
            existing: dict[uuid.UUID, _Existing] = {}
            by_name: dict[tuple[str, str], uuid.UUID] = {}
            for row in rows:
                existing[row.id] = _Existing(
                    row.version,
                    row.content_hash,
                    row.origin_node,
                    row.is_reference,
                    row.created_at,
                    superseded=row.superseded_by is not None,
                )
                if row.superseded_by is None:
                    by_name.setdefault((row.country, row.name), row.id)
            identifier_rows = await session.execute(
                select(
                    InstitutionIdentifier.resource,
                    InstitutionIdentifier.value,
                    InstitutionIdentifier.institution_id,
                ).where(InstitutionIdentifier.resource.in_(sorted(_GLOBAL)))
            )
            holders: dict[tuple[str, str], uuid.UUID] = {}
            for resource, value, holder in identifier_rows:
                # An owner's record wins over a reference copy of the same institution.
                current = holders.get((resource, value))
                if current is None or existing[current].is_reference:
                    holders[(resource, value)] = holder
        return existing, holders, by_name

    def _resolve(
        self,
        row: SourceRow,
        holders: dict[tuple[str, str], uuid.UUID],
        by_name: dict[tuple[str, str], uuid.UUID],
    ) -> uuid.UUID:
        if row.id is not None:
            return row.id
        if row.ror_id:
            held = holders.get(("ror", row.ror_id))
            return held or id_from_ror(row.ror_id)
        for identifier in row.content.get("identifiers") or []:
            if isinstance(identifier, dict):
                key = (str(identifier.get("resource")), str(identifier.get("value")))
                if key in holders:
                    return holders[key]
        key = (str(row.content.get("country", "")).upper(), str(row.content.get("name", "")))
        return by_name.get(key) or new_id()

    def _decide(
        self,
        row: SourceRow,
        institution_id: uuid.UUID,
        existing: dict[uuid.UUID, _Existing],
        holders: dict[tuple[str, str], uuid.UUID],
        ror_ids: dict[str, uuid.UUID],
        summary: ImportSummary,
    ) -> _Write | None:
        raw = dict(row.content)
        if row.ror_relationships:
            raw["relationships"] = [
                {"type": kind, "institution_id": str(ror_ids[target])}
                for kind, target in row.ror_relationships
                if target in ror_ids and ror_ids[target] != institution_id
            ]
        try:
            content = InstitutionContent.model_validate(raw)
        except ValidationError as error:
            summary.rejected += 1
            summary.errors.append(RowError(row.line, describe(error)))
            return None
        for identifier in content.identifiers:
            key = (identifier.resource.value, identifier.value)
            holder = holders.get(key)
            if key[0] in _GLOBAL and holder is not None and holder != institution_id:
                summary.rejected += 1
                summary.errors.append(
                    RowError(
                        row.line,
                        f"the {key[0]} identifier {key[1]} already names institution {holder}",
                    )
                )
                return None
        own = content.country in self.countries
        if not own and not self.reference:
            summary.skipped += 1
            summary.skip_reasons[f"country {content.country} is not this node's"] += 1
            return None
        current = existing.get(institution_id)
        if current is not None and current.superseded:
            summary.skipped += 1
            summary.skip_reasons["superseded by the owner's record"] += 1
            return None
        if current is not None and not current.is_reference and current.origin_node != self.node_id:
            summary.skipped += 1
            summary.skip_reasons[f"owned by node {current.origin_node}"] += 1
            return None
        if own:
            origin, is_reference = self.node_id, False
        else:
            if current is not None and not current.is_reference:
                summary.skipped += 1
                summary.skip_reasons["this node's own record"] += 1
                return None
            origin = row.origin_node or (
                REFERENCE_ORIGIN_ROR if row.ror_id else REFERENCE_ORIGIN_OTHER
            )
            is_reference = True
        dumped = content.model_dump(mode="json")
        columns = column_values(content, dumped)
        if (
            current is not None
            and current.content_hash == columns["content_hash"]
            and current.origin_node == origin
            and current.is_reference == is_reference
        ):
            summary.unchanged += 1
            return None
        now = utcnow()
        values: dict[str, Any] = {
            "id": institution_id,
            "origin_node": origin,
            "is_reference": is_reference,
            "reference_source": (row.reference_source or self.source) if is_reference else None,
            "superseded_by": None,
            **columns,
            "version": 1 if current is None else current.version + 1,
            "created_at": now if current is None else current.created_at,
            "updated_at": now,
        }
        for identifier in content.identifiers:
            holders.setdefault((identifier.resource.value, identifier.value), institution_id)
        existing[institution_id] = _Existing(
            values["version"], columns["content_hash"], origin, is_reference, values["created_at"]
        )
        event: str | None
        if current is None:
            summary.created += 1
            event = "created"
        else:
            summary.updated += 1
            event = "created" if current.is_reference else "updated"
        return _Write(
            values=values,
            state=state_of_values(values, dumped),
            insert=current is None,
            event=None if is_reference else event,
        )

    async def _flush(self, batch: list[tuple[_Write, uuid.UUID]]) -> None:
        async with self.database.session() as session:
            repository = InstitutionRepository(session)
            await repository.insert_rows([write.values for write, _ in batch if write.insert])
            await repository.update_rows([write.values for write, _ in batch if not write.insert])
            await repository.write_derived_rows([write.values for write, _ in batch])
            act_as(session, self.actor)
            for write, _ in batch:  # Core writes: the audit trail hears of them from here
                version = write.values["version"]
                note_write(
                    session,
                    record_type=Institution.__audit_type__,
                    record_id=write.values["id"],
                    change="created" if write.insert else "updated",
                    version_before=None if write.insert else version - 1,
                    version_after=version,
                )
            events = [write for write, _ in batch if write.event is not None]
            if events:
                await self.publisher.publish_all(session, [self._event(w) for w in events])

    def _event(self, write: _Write) -> CloudEvent:
        assert write.event is not None
        return self.publisher.event(
            "institution",
            write.event,
            subject=str(write.values["id"]),
            data=published(InstitutionState, write.state),
            version=write.values["version"],
        )
