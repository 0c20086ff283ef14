"""The service's in-memory view of the directory: the search index and a cache of serialized
reads, both kept in step with the database.

Every write and every applied event *tracks* the institutions it changed on its session; once
that session commits, the index is updated from the committed rows and the cached reads of
those institutions (and of the institutions whose inverse relationships changed) are dropped.
Writes made by another process — `edunode import` writes straight into the database — are
picked up by a poller that compares the versions it knows with the rows changed recently.

A cached read is stored only if no invalidation happened while it was being read, so a slow
reader can never put back a version older than one a writer has just committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import structlog
from pydantic import ValidationError
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from services.institutions.bulk.formats import id_from_ror, ror_row
from services.institutions.institutions.models import Institution, InstitutionQaStatus
from services.institutions.institutions.records import apply_content
from services.institutions.institutions.schemas import InstitutionContent
from services.institutions.search import DirectoryIndex, IndexedName, IndexRecord
from shared.db import Database, utcnow

log = structlog.get_logger("edunode.institutions.directory")

_TRACKED = "edunode.directory.changes"
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


def ror_index_records(ror_records: Iterable[Mapping[str, Any]]) -> Iterator[IndexRecord]:
    """What a node's directory indexes once `edunode import institutions FILE --format ror`
    has loaded these ROR v2 records: the import's own mapping of names, types, statuses and
    relationships, so that tests and benchmarks built from the ROR file see what a node
    sees. Records the import skips or rejects are left out, and so are relationships to
    them."""
    rows = [ror_row(number, dict(record)) for number, record in enumerate(ror_records, start=1)]
    rows = [row for row in rows if not (row.skip_reason or row.error) and row.ror_id]
    imported = {row.ror_id for row in rows}
    for source in rows:
        assert source.ror_id is not None
        institution_id = id_from_ror(source.ror_id)
        raw = dict(source.content)
        raw["relationships"] = [
            {"type": kind, "institution_id": str(id_from_ror(target))}
            for kind, target in source.ror_relationships
            if target in imported and target != source.ror_id
        ]
        try:
            content = InstitutionContent.model_validate(raw)
        except ValidationError:
            continue
        row = Institution(id=institution_id)
        apply_content(row, content)
        yield index_record(row, None)


@dataclass
class _Changes:
    directory: Directory
    upserted: dict[uuid.UUID, IndexRecord] = field(default_factory=dict)
    removed: set[uuid.UUID] = field(default_factory=set)
    touched: set[uuid.UUID] = field(default_factory=set)
    qa: dict[uuid.UUID, str] = field(default_factory=dict)
    versions: dict[uuid.UUID, int] = field(default_factory=dict)


def _after_commit(session: Session) -> None:
    changes: _Changes | None = session.info.pop(_TRACKED, None)
    if changes is not None:
        changes.directory.committed(changes)


def _after_rollback(session: Session) -> None:
    session.info.pop(_TRACKED, None)


_listening = False


def _listen() -> None:
    global _listening
    if not _listening:
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))
        _listening = True


class ReadCache:
    """Serialized reads by id, least recently used first out."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[uuid.UUID, tuple[int, bytes]] = OrderedDict()
        self.generation = 0

    def get(self, key: uuid.UUID) -> tuple[int, bytes] | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: uuid.UUID, version: int, body: bytes, generation: int) -> None:
        if generation != self.generation:
            return  # something changed while this was being read: do not keep it
        self._items[key] = (version, body)
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def invalidate(self, keys: Iterable[uuid.UUID]) -> None:
        self.generation += 1
        for key in keys:
            self._items.pop(key, None)

    def version_of(self, key: uuid.UUID) -> int | None:
        item = self._items.get(key)
        return item[0] if item else None


class Directory:
    """The index and the read cache of one service process."""

    def __init__(self, *, cache_size: int = 50_000, poll_interval: float = 2.0) -> None:
        self.index = DirectoryIndex()
        self.cache = ReadCache(cache_size)
        self.qa_status: dict[uuid.UUID, str] = {}
        self.versions: dict[uuid.UUID, int] = {}
        self.poll_interval = poll_interval
        self.loaded = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        _listen()

    # -- tracking changes -----------------------------------------------------------------------

    def track(
        self,
        session: AsyncSession,
        *,
        upserted: Iterable[Institution] = (),
        removed: Iterable[uuid.UUID] = (),
        touched: Iterable[uuid.UUID] = (),
    ) -> None:
        """Note changes made in `session`; they reach the index and cache when it commits."""
        changes = self._changes(session)
        for row in upserted:
            record = index_record(row, self.qa_status.get(row.id))
            changes.upserted[row.id] = record
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
        changes = self._changes(session)
        changes.qa[institution_id] = status
        changes.touched.add(institution_id)

    def _changes(self, session: AsyncSession) -> _Changes:
        info = session.sync_session.info
        changes: _Changes | None = info.get(_TRACKED)
        if changes is None:
            changes = info[_TRACKED] = _Changes(self)
        return changes

    def committed(self, changes: _Changes) -> None:
        for key, status in changes.qa.items():
            self.qa_status[key] = status
            record = self.index.get(key)
            if record is not None and key not in changes.upserted:
                self.index.upsert(_with_qa(record, status))
        for key, record in changes.upserted.items():
            if key in changes.qa:
                record = _with_qa(record, changes.qa[key])
            self.index.upsert(record)
            self.versions[key] = changes.versions[key]
        for key in changes.removed:
            self.index.remove(key)
            self.versions.pop(key, None)
        self.cache.invalidate(changes.touched | changes.removed)

    # -- loading and following the database -----------------------------------------------------

    async def load(self, database: Database, batch_size: int = 2000) -> int:
        """Index every institution in the database (at start)."""
        async with database.session() as session:
            qa_rows = await session.execute(
                select(InstitutionQaStatus.subject_id, InstitutionQaStatus.status).where(
                    InstitutionQaStatus.programme_id.is_(None)
                )
            )
            self.qa_status.update({row.subject_id: row.status for row in qa_rows})
        last: uuid.UUID | None = None
        count = 0
        while True:
            async with database.session() as session:
                statement = select(Institution).order_by(Institution.id).limit(batch_size)
                if last is not None:
                    statement = statement.where(Institution.id > last)
                rows = list((await session.scalars(statement)).all())
            if not rows:
                break
            for row in rows:
                self._index_row(row)
            count += len(rows)
            last = rows[-1].id
            await asyncio.sleep(0)  # let requests through while a large directory loads
        self.index.warm_up()
        self.loaded.set()
        log.info("directory_loaded", institutions=count)
        return count

    def _index_row(self, row: Institution) -> None:
        known = self.versions.get(row.id)
        if known is not None and known >= row.version:
            return
        if row.superseded_by is not None:  # its owner's record is the one to find
            self.index.remove(row.id)
        else:
            self.index.upsert(index_record(row, self.qa_status.get(row.id)))
        self.versions[row.id] = row.version

    async def follow(self, database: Database) -> None:
        """Pick up rows another process changed (e.g. a bulk import), every `poll_interval`."""
        since: datetime = utcnow() - timedelta(seconds=5)
        while True:
            await asyncio.sleep(self.poll_interval)
            try:
                since = await self._catch_up(database, since)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database may be briefly unavailable
                log.warning("directory_follow_failed", error=str(error))

    async def refresh(self, database: Database, window: timedelta = timedelta(hours=1)) -> None:
        """Catch up now with rows changed in the last `window` (instead of at the next poll)."""
        await self.loaded.wait()
        await self._catch_up(database, utcnow() - window)

    async def _catch_up(self, database: Database, since: datetime) -> datetime:
        started = utcnow()
        async with database.session() as session:
            changed = (
                await session.execute(
                    select(Institution.id, Institution.version).where(
                        Institution.updated_at >= since
                    )
                )
            ).all()
            stale = [row.id for row in changed if self.versions.get(row.id, 0) < row.version]
            rows: list[Institution] = []
            for start in range(0, len(stale), 500):
                chunk = stale[start : start + 500]
                rows.extend(
                    (
                        await session.scalars(select(Institution).where(Institution.id.in_(chunk)))
                    ).all()
                )
            qa_changes = await self._qa_changes(session, since)
        for row in rows:
            self._index_row(row)
        if rows:
            self.cache.invalidate({row.id for row in rows} | self._related(rows))
            log.info("directory_caught_up", institutions=len(rows))
        if qa_changes:
            self._apply_qa(qa_changes)
            log.info("directory_qa_caught_up", statuses=len(qa_changes))
        # Overlap the windows: a row committed with a slightly earlier timestamp is not missed.
        return started - timedelta(seconds=5)

    async def _qa_changes(
        self, session: AsyncSession, since: datetime
    ) -> dict[uuid.UUID, str | None]:
        """QA statuses another process changed (`edunode federation resync`): those updated
        since `since`, and, when rows were removed, every difference (None: removed)."""
        institution_level = InstitutionQaStatus.programme_id.is_(None)
        changed = {
            row.subject_id: row.status
            for row in await session.execute(
                select(InstitutionQaStatus.subject_id, InstitutionQaStatus.status).where(
                    institution_level, InstitutionQaStatus.updated_at >= since
                )
            )
        }
        count = await session.scalar(
            select(func.count()).select_from(InstitutionQaStatus).where(institution_level)
        )
        if int(count or 0) < len(self.qa_status):
            current = {
                row.subject_id: row.status
                for row in await session.execute(
                    select(InstitutionQaStatus.subject_id, InstitutionQaStatus.status).where(
                        institution_level
                    )
                )
            }
            changed = {**current, **dict.fromkeys(set(self.qa_status) - set(current))}
        return {key: status for key, status in changed.items() if self.qa_status.get(key) != status}

    def _apply_qa(self, changes: Mapping[uuid.UUID, str | None]) -> None:
        for key, status in changes.items():
            if status is None:
                self.qa_status.pop(key, None)
            else:
                self.qa_status[key] = status
            record = self.index.get(key)
            if record is not None:
                self.index.upsert(replace(record, qa_status=status))
        self.cache.invalidate(set(changes))

    @staticmethod
    def _related(rows: Iterable[Institution]) -> set[uuid.UUID]:
        return {uuid.UUID(r["institution_id"]) for row in rows for r in row.relationships}

    def start(self, database: Database) -> None:
        async def run() -> None:
            await self.load(database)
            await self.follow(database)

        self._task = asyncio.create_task(run(), name="directory")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def _with_qa(record: IndexRecord, status: str) -> IndexRecord:
    return replace(record, qa_status=status)
