"""The scheduled expiry pass, run by the service's own process: no request is needed for an
ended validity to become a published `quality.status.changed`."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import structlog

from services.quality.status.service import StatusService
from shared.db import Database
from shared.publisher import Publisher
from shared.settings import ServiceSettings

log = structlog.get_logger("edunode.quality.expiry")


async def run_expiry_pass(
    database: Database, publisher: Publisher, settings: ServiceSettings
) -> int:
    """One pass in its own transaction; returns the number of status events written."""
    async with database.session() as session:
        return await StatusService(session, publisher, settings).expiry_pass()


@dataclass
class ExpiryWorker:
    """Runs the expiry pass at start and then every `interval` seconds, in the process that
    runs the background workers (the runtime's `Work`)."""

    database: Database
    publisher: Publisher
    settings: ServiceSettings
    interval: float
    in_every_process = False
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="quality-expiry")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run(self) -> None:
        while True:
            try:
                emitted = await run_expiry_pass(self.database, self.publisher, self.settings)
                if emitted:
                    log.info("expiry_pass", status_events=emitted)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the next pass retries; the service keeps serving
                log.exception("expiry_pass_failed", error=str(error))
            await asyncio.sleep(self.interval)
