"""The directory one service process holds in memory: the search index and the read cache, and
what it knows of each institution (the version indexed, its QA status).

Writes and applied events tell it what they changed (`track`, `track_qa_status`); it applies
those changes once their session commits (`changes.py`). Changes other processes make reach it
through the follower (`follower.py`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.directory.cache import ReadCache
from services.institutions.directory.changes import DirectoryChanges, pending_changes
from services.institutions.directory.index import DirectoryIndex
from services.institutions.directory.records import IndexedName, IndexRecord
from services.institutions.registry.models import Institution

_HIERARCHICAL_UP = frozenset({"part_of", "faculty_of", "campus_of", "branch_campus_of"})


def index_record(
    row: Institution, qa_status: str | None, *, today: date | None = None
) -> IndexRecord:
    """What the search engine knows of an institution."""
    today = today or date.today()
    names = []
    for entry in row.names:
        valid_to = entry.get("valid_to")
        names.append(
            IndexedName(
                value=entry["value"],
                lang=entry.get("lang"),
                kind=entry.get("kind", "official"),
                historical=bool(valid_to) and date.fromisoformat(str(valid_to)) < today,
            )
        )
    return IndexRecord(
        id=row.id,
        country=row.country,
        status=str(row.status),
        type=str(row.type),
        city=row.city,
        names=tuple(names),
        identifiers=tuple((i["resource"], i["value"]) for i in row.identifiers),
        qa_status=qa_status,
        parent_ids=tuple(
            uuid.UUID(r["institution_id"])
            for r in row.relationships
            if r["type"] in _HIERARCHICAL_UP
        ),
    )


def related_ids(rows: Iterable[Institution]) -> set[uuid.UUID]:
    """The institutions `rows` hold a relationship to (whose reads show its inverse)."""
    return {uuid.UUID(r["institution_id"]) for row in rows for r in row.relationships}


class Directory:
    """The index and the read cache of one service process."""

    def __init__(self, *, cache_size: int = 50_000) -> None:
        self.index = DirectoryIndex()
        self.cache = ReadCache(cache_size)
        self.qa_status: dict[uuid.UUID, str] = {}
        self.versions: dict[uuid.UUID, int] = {}
        # Set once the follower has indexed the whole database (search waits for it).
        self.loaded = asyncio.Event()

    # -- changes this process makes -------------------------------------------------------------

    def track(
        self,
        session: AsyncSession,
        *,
        upserted: Iterable[Institution] = (),
        removed: Iterable[uuid.UUID] = (),
        touched: Iterable[uuid.UUID] = (),
    ) -> None:
        """Note changes made in `session`; they reach the index and cache when it commits."""
        changes = pending_changes(session, self.apply)
        for row in upserted:
            changes.upserted[row.id] = index_record(row, self.qa_status.get(row.id))
            changes.versions[row.id] = row.version
            changes.touched.add(row.id)
            changes.removed.discard(row.id)
        for key in removed:
            changes.removed.add(key)
            changes.upserted.pop(key, None)
        changes.touched.update(touched)

    def track_qa_status(
        self, session: AsyncSession, institution_id: uuid.UUID, status: str
    ) -> None:
        """Note an institution's new QA status, stored in `session`."""
        changes = pending_changes(session, self.apply)
        changes.qa[institution_id] = status
        changes.touched.add(institution_id)

    def apply(self, changes: DirectoryChanges) -> None:
        """Bring the index and the cache up to committed `changes`."""
        for key, status in changes.qa.items():
            self.qa_status[key] = status
            record = self.index.get(key)
            if record is not None and key not in changes.upserted:
                self.index.upsert(replace(record, qa_status=status))
        for key, record in changes.upserted.items():
            if key in changes.qa:
                record = replace(record, qa_status=changes.qa[key])
            self.index.upsert(record)
            self.versions[key] = changes.versions[key]
        for key in changes.removed:
            self.index.remove(key)
            self.versions.pop(key, None)
        self.cache.invalidate(changes.touched | changes.removed)

    # -- changes read from the database ---------------------------------------------------------

    def index_row(self, row: Institution) -> bool:
        """Index a row read from the database, unless this version is indexed already; True
        if it was."""
        known = self.versions.get(row.id)
        if known is not None and known >= row.version:
            return False
        if row.superseded_by is not None:  # its owner's record is the one to find
            self.index.remove(row.id)
        else:
            self.index.upsert(index_record(row, self.qa_status.get(row.id)))
        self.versions[row.id] = row.version
        return True

    def apply_qa_statuses(self, statuses: Mapping[uuid.UUID, str | None]) -> None:
        """QA statuses read from the database (None: no status any more)."""
        for key, status in statuses.items():
            if status is None:
                self.qa_status.pop(key, None)
            else:
                self.qa_status[key] = status
            record = self.index.get(key)
            if record is not None:
                self.index.upsert(replace(record, qa_status=status))
        self.cache.invalidate(set(statuses))
