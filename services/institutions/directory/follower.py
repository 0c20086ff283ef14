"""Following the database: at start the follower indexes every institution, then it picks up,
every `poll_interval`, the rows and QA statuses another process changed (`edunode import`
and `edunode federation resync` write straight into the database)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import datetime, timedelta

import structlog

from services.institutions.directory.memory import Directory, related_ids
from services.institutions.directory.repository import DirectoryRepository
from shared.db import Database, utcnow
from shared.runtime import freeze_heap

log = structlog.get_logger("edunode.institutions.directory")

# Successive windows overlap by this much: a row committed with a slightly earlier timestamp
# than the last look is not missed.
WINDOW_OVERLAP = timedelta(seconds=5)


class DirectoryFollower:
    """Keeps one process's `Directory` in step with the database."""

    # Every process serving reads holds its own directory, so each one follows the database.
    in_every_process = True
    # A process is not ready until its index is loaded: until then its search answers "warming
    # up" (400), and a balancer or `edunode up --workers N` would send it searches.
    readiness_name = "directory"

    def __init__(
        self,
        directory: Directory,
        database: Database,
        *,
        poll_interval: float = 2.0,
        batch_size: int = 2000,
    ) -> None:
        self.directory = directory
        self.database = database
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self._task: asyncio.Task[None] | None = None

    async def check_ready(self) -> None:
        if not self.directory.loaded.is_set():
            raise RuntimeError("the search index is loading")

    def start(self) -> None:
        """Load, then follow, in the background."""

        async def run() -> None:
            await self.load_until_loaded()
            await self.follow()

        self._task = asyncio.create_task(run(), name="directory")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def load_until_loaded(self, max_backoff: float = 15.0) -> int:
        """`load`, tried again with backoff while it fails (the database briefly unavailable or
        locked by a bulk write at start): a failed load must not leave the process serving 503
        for ever, its index never loaded."""
        backoff = 0.25
        while True:
            try:
                return await self.load()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("directory_load_failed", error=str(error), retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, max_backoff)

    async def load(self) -> int:
        """Index every institution in the database (at start); returns how many."""
        directory = self.directory
        async with self.database.session() as session:
            directory.qa_status.update(await DirectoryRepository(session).qa_statuses())
        last: uuid.UUID | None = None
        count = 0
        while True:
            async with self.database.session() as session:
                rows = await DirectoryRepository(session).institutions_after(last, self.batch_size)
            if not rows:
                break
            for row in rows:
                directory.index_row(row)
            count += len(rows)
            last = rows[-1].id
            await asyncio.sleep(0)  # let requests through while a large directory loads
        directory.index.warm_up()
        # The index lives as long as the process: out of the collector's full passes, which
        # otherwise walk its millions of objects (bench.directory: search p99 372 ms at 16
        # connections, with the start-up heap alone frozen).
        freeze_heap()
        directory.loaded.set()
        log.info("directory_loaded", institutions=count)
        return count

    async def follow(self) -> None:
        """Catch up every `poll_interval`, for ever."""
        since: datetime = utcnow() - WINDOW_OVERLAP
        while True:
            await asyncio.sleep(self.poll_interval)
            try:
                since = await self.catch_up(since)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database may be briefly unavailable
                log.warning("directory_follow_failed", error=str(error))

    async def catch_up(self, since: datetime) -> datetime:
        """Index the rows and QA statuses changed at or after `since` that the directory does
        not know yet; returns where the next look starts."""
        started = utcnow()
        directory = self.directory
        async with self.database.session() as session:
            repository = DirectoryRepository(session)
            changed = await repository.versions_changed_since(since)
            stale = [
                key for key, version in changed.items() if directory.versions.get(key, 0) < version
            ]
            rows = await repository.institutions(stale)
            qa_changes = await self._qa_changes(repository, since)
        for row in rows:
            directory.index_row(row)
        if rows:
            directory.cache.invalidate({row.id for row in rows} | related_ids(rows))
            log.info("directory_caught_up", institutions=len(rows))
        if qa_changes:
            directory.apply_qa_statuses(qa_changes)
            log.info("directory_qa_caught_up", statuses=len(qa_changes))
        return started - WINDOW_OVERLAP

    async def _qa_changes(
        self, repository: DirectoryRepository, since: datetime
    ) -> dict[uuid.UUID, str | None]:
        """QA statuses another process changed: those updated since `since`, and, when rows
        were removed, every difference (None: removed)."""
        known = self.directory.qa_status
        changed: dict[uuid.UUID, str | None] = dict(
            await repository.qa_statuses(changed_since=since)
        )
        if await repository.count_qa_statuses() < len(known):
            current = await repository.qa_statuses()
            changed = {**current, **dict.fromkeys(set(known) - set(current))}
        return {key: status for key, status in changed.items() if known.get(key) != status}
