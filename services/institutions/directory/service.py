"""The directory's reads: search, affiliation matching and institutions by id, served from
memory (the index and the read cache) and from the database for what memory lacks.

Reads are answered as JSON bytes: each institution's read is serialized once, kept in the
read cache, and joined as it is into lists and match results (bench/directory.py measures
what that saves). A read served from memory opens no database session at all; a miss opens
one of its own, read-only.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.bulk.export import export_stream
from services.institutions.bulk.ror import RorExport, export_ror, ror_dump_chunks
from services.institutions.directory.cache import CachedRead
from services.institutions.directory.index import InvalidCursor
from services.institutions.directory.matcher import match_affiliation
from services.institutions.directory.memory import Directory
from services.institutions.registry.models import IdentifierResource
from services.institutions.registry.repository import InstitutionFilters
from services.institutions.registry.service import InstitutionService
from shared.db import Database
from shared.errors import BadRequest, NotFound, ServiceUnavailable
from shared.pagination import PageParams
from shared.settings import ServiceSettings

ExportFormat = Literal["ndjson", "csv", "ror"]


@dataclass(frozen=True)
class Export:
    """An export ready to stream: its chunks, media type and file name."""

    chunks: AsyncIterator[bytes]
    media_type: str
    filename: str


@dataclass
class DirectoryService:
    directory: Directory
    database: Database
    settings: ServiceSettings

    def _institutions(self, session: AsyncSession) -> InstitutionService:
        """The institutions' own service, to read through (it publishes nothing)."""
        return InstitutionService(session=session, publisher=None, settings=self.settings)

    async def read(self, institution_id: uuid.UUID) -> CachedRead | None:
        """The serialized read of one institution and its version, from the cache or the
        database (then cached); None if there is no such institution."""
        cache = self.directory.cache
        cached = cache.get(institution_id)
        if cached is not None:
            return cached
        generation = cache.generation
        async with self.database.session() as session:
            institutions = self._institutions(session)
            row = await institutions.repository.get(institution_id)
            if row is None:
                return None
            read = CachedRead(row.version, orjson.dumps(await institutions.read_row(row)))
        cache.put(institution_id, read, generation)
        return read

    async def read_many(self, ids: list[uuid.UUID]) -> list[bytes]:
        """Serialized reads of many institutions in order: cached ones from memory, the others
        loaded together (and cached)."""
        cache = self.directory.cache
        found: dict[uuid.UUID, bytes] = {}
        missing = []
        for institution_id in ids:
            cached = cache.get(institution_id)
            if cached is None:
                missing.append(institution_id)
            else:
                found[institution_id] = cached.body
        if missing:
            generation = cache.generation
            async with self.database.session() as session:
                institutions = self._institutions(session)
                rows = await institutions.repository.get_many(missing)
                for row, read in zip(rows, await institutions.read_rows(rows), strict=True):
                    body = orjson.dumps(read)
                    found[row.id] = body
                    cache.put(row.id, CachedRead(row.version, body), generation)
        return [found[key] for key in ids if key in found]

    async def read_by_identifier(self, resource: IdentifierResource, value: str) -> CachedRead:
        """The read of the institution holding an identifier (404 if none does)."""
        async with self.database.session() as session:
            institutions = self._institutions(session)
            institution_id = (await institutions.by_identifier(resource, value)).id
        read = await self.read(institution_id)
        if read is None:  # removed in between
            raise NotFound(f"no institution has the {resource.value} identifier {value!r}")
        return read

    async def search(self, q: str | None, filters: InstitutionFilters, page: PageParams) -> bytes:
        """One page of institutions as an `InstitutionPage`: ranked by relevance to `q`,
        filtered, with facets. While the index is still loading (just after start): a plain
        filtered list from the database, without ranking or facets."""
        directory = self.directory
        if not directory.loaded.is_set():
            if q:
                raise BadRequest("search is warming up; retry in a few seconds")
            return await self._list_from_database(filters, page)
        try:
            result = directory.index.search(
                q,
                countries=[filters.country] if filters.country else None,
                types=[filters.type.value] if filters.type else None,
                statuses=[filters.status.value] if filters.status else None,
                qa_statuses=[filters.qa_status] if filters.qa_status else None,
                identifier_resource=filters.identifier_resource,
                limit=page.limit,
                cursor=page.cursor,
            )
        except InvalidCursor:
            raise BadRequest("the cursor is not valid for this list") from None
        bodies = await self.read_many([hit.id for hit in result.hits])
        head = orjson.dumps(
            {
                "next_cursor": result.next_cursor,
                "limit": page.limit,
                "total": result.total,
                "facets": result.facets,
            }
        )
        return b'{"items":[' + b",".join(bodies) + b"]," + head[1:]

    async def _list_from_database(self, filters: InstitutionFilters, page: PageParams) -> bytes:
        async with self.database.session() as session:
            institutions = self._institutions(session)
            rows, next_cursor = await institutions.list_page(page, filters)
            items = await institutions.read_rows(rows)
        return orjson.dumps({"items": items, "next_cursor": next_cursor, "limit": page.limit})

    async def match(self, affiliation: str, limit: int) -> bytes:
        """The institutions named in `affiliation`, ranked, as a `MatchResult` (503 while the
        index is still loading)."""
        directory = self.directory
        if not directory.loaded.is_set():
            raise ServiceUnavailable("the directory index is still loading; retry shortly")
        items = []
        for candidate in match_affiliation(directory.index, affiliation, limit=limit):
            found = await self.read(candidate.id)
            if found is None:
                continue
            evidence = orjson.dumps(
                {
                    "score": round(candidate.score, 4),
                    "chosen": candidate.chosen,
                    "matching_type": candidate.matching_type,
                }
            )
            items.append(b'{"institution":' + found.body + b"," + evidence[1:])
        return b'{"items":[' + b",".join(items) + b"]}"

    def export(self, filters: InstitutionFilters, format_: ExportFormat) -> Export:
        """Every institution matching `filters`, read from the database in batches, as NDJSON,
        CSV or a ROR data dump."""
        if format_ == "ror":
            return Export(
                ror_dump_chunks(export_ror(self.database, filters), RorExport()),
                "application/json",
                "ror-data.json",
            )
        return Export(
            export_stream(self.database, filters, format_),
            "application/x-ndjson" if format_ == "ndjson" else "text/csv; charset=utf-8",
            f"institutions.{format_}",
        )
