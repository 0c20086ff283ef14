"""QA status: asked at any date, and published as `quality.status.changed` whenever the
status of an institution at this node changes — after a write, after applying a peer's
evaluation, or when a validity ends (the expiry pass). No SQL, no HTTP; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from rules.qa_status import Resolution, resolve_status
from services.quality.institutions.repository import InstitutionCopyRepository
from services.quality.institutions.service import identifier_lookup_key
from services.quality.status.repository import Published, StatusRepository
from services.quality.status.schemas import StatusChanged
from services.quality.vocabulary import QAStatus
from shared.errors import NotFound
from shared.events import CloudEvent
from shared.publisher import Publisher
from shared.settings import ServiceSettings

EXPIRY_BATCH = 500


def today() -> date:
    """The current date in UTC: the date statuses are published "as of"."""
    return datetime.now(UTC).date()


@dataclass
class StatusService:
    session: AsyncSession
    publisher: Publisher
    settings: ServiceSettings

    @property
    def repository(self) -> StatusRepository:
        return StatusRepository(self.session)

    async def qa_status_at(
        self, institution_id: uuid.UUID | None, programme_id: uuid.UUID | None, at: date
    ) -> Resolution:
        """The status of an institution, or of a programme (whose institution's institutional
        evaluations cover it too), at the date `at`."""
        evidence = []
        if institution_id is not None:
            found = await self.repository.institutional_evidence([institution_id])
            evidence += found.get(institution_id, [])
        if programme_id is not None:
            evidence += await self.repository.programme_evidence(programme_id)
        return resolve_status(evidence, at)

    async def institution_id_for(self, value: str) -> uuid.UUID:
        """An institution named by its id or by one of its identifiers (404 if none or
        several have it)."""
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
        found = await InstitutionCopyRepository(self.session).find_by_identifiers(
            [identifier_lookup_key(value)]
        )
        ids = {institution_id for _, _, institution_id in found}
        if len(ids) != 1:
            raise NotFound(f"no single institution has the identifier {value!r}")
        return ids.pop()

    async def refresh(
        self, institution_ids: Collection[uuid.UUID], as_of: date | None = None
    ) -> int:
        """Recompute the current status of each institution and publish the ones that changed
        since this node last published them. Returns the number of events written."""
        if not institution_ids:
            return 0
        day = as_of or today()
        evidence = await self.repository.institutional_evidence(institution_ids)
        published = await self.repository.published(institution_ids)
        inserted: list[Published] = []
        updated: list[Published] = []
        changed: list[Published] = []
        for institution_id in sorted(institution_ids):
            resolution = resolve_status(evidence.get(institution_id, []), day)
            record = published.get(institution_id)
            if record is None:
                if resolution.status is QAStatus.NONE:
                    continue
                record = Published(
                    institution_id=institution_id,
                    status=resolution.status.value,
                    evaluation_ids=resolution.evaluation_ids,
                    as_of=day,
                    version=1,
                )
                inserted.append(record)
            elif record.status == resolution.status.value:
                if record.evaluation_ids != resolution.evaluation_ids:
                    record.evaluation_ids = resolution.evaluation_ids
                    updated.append(record)
                continue
            else:
                record.status = resolution.status.value
                record.evaluation_ids = resolution.evaluation_ids
                record.as_of = day
                record.version += 1
                updated.append(record)
            changed.append(record)
        await self.repository.save_published(inserted, updated)
        await self.publisher.publish_all(self.session, [self._event(record) for record in changed])
        return len(changed)

    async def expiry_pass(self, as_of: date | None = None) -> int:
        """Find the evaluations whose validity ended and publish the status of the institutions
        they covered where it changed. Idempotent: what was handled is recorded, and a status
        already published is not published again. Returns the number of events written."""
        day = as_of or today()
        emitted = 0
        while True:
            ended = await self.repository.ended_unhandled(day, EXPIRY_BATCH)
            if not ended:
                return emitted
            institutions = await self.repository.institutions_of([e for e, _ in ended])
            emitted += await self.refresh(institutions, day)
            await self.repository.mark_expiry_handled([e for e, _ in ended])
            await self.repository.flush()

    def _event(self, record: Published) -> CloudEvent:
        state = StatusChanged(
            institution_id=record.institution_id,
            status=QAStatus(record.status),
            as_of=record.as_of,
            evaluation_ids=[uuid.UUID(i) for i in record.evaluation_ids],
        )
        return self.publisher.event(
            "status",
            "changed",
            subject=str(record.institution_id),
            data=state.model_dump(mode="json"),
            version=record.version,
        )
