"""The events this service publishes (`publish.py` builds them) and how it applies events.

The apply handlers take any origin — this node's own events and, routed by the federation,
the peers' — and upsert by version: an event whose `aggregateversion` is not newer than the
stored record's is ignored, so applying is idempotent and order-tolerant (docs/events.md).
A replica applied here stays read-only through the API (its `origin_node` is not this node).

Today the service subscribes only to its node's `quality.status.changed`, to keep each
institution's QA status for search filters; the institution and programme handlers are what
the federation's consumers call with peers' events.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from services.institutions.directory import Directory
from services.institutions.institutions.models import InstitutionQaStatus
from services.institutions.institutions.repository import InstitutionRepository
from services.institutions.institutions.schemas import InstitutionState
from services.institutions.institutions.service import InstitutionService
from services.institutions.programmes.schemas import ProgrammeState
from services.institutions.programmes.service import ProgrammeService
from services.institutions.publish import SERVICE, institution_event, programme_event
from shared.authority import authority_country
from shared.db import utcnow
from shared.events import CloudEvent
from shared.inbox import PermanentEventError
from shared.resync import ReplicaTable
from shared.runtime import Subscription
from shared.settings import ServiceSettings

__all__ = [
    "REPLICA_TABLES",
    "SERVICE",
    "DirectoryEventHandlers",
    "QualityStatusChanged",
    "institution_event",
    "programme_event",
    "subscriptions",
]


class QualityStatusChanged(BaseModel):
    """The part of `quality.status.changed` this service keeps."""

    model_config = ConfigDict(extra="ignore")

    institution_id: uuid.UUID
    programme_id: uuid.UUID | None = None
    status: str
    as_of: date | None = None


def institution_state(event: CloudEvent) -> InstitutionState:
    """The state an institution event carries, checked against the event's origin."""
    try:
        state = InstitutionState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"institution event with an invalid state: {error}") from None
    if state.origin_node != event.originnode:
        raise PermanentEventError(
            f"event from {event.originnode!r} carries a record of {state.origin_node!r}"
        )
    return state


@dataclass
class DirectoryEventHandlers:
    """The handlers, bound to this service's settings and in-memory directory."""

    settings: ServiceSettings
    directory: Directory | None = None

    async def apply_institution_event(self, session: AsyncSession, event: CloudEvent) -> None:
        """`institutions.institution.created|updated` from any node → upsert by version."""
        state = institution_state(event)
        service = InstitutionService(
            session=session, outbox=None, settings=self.settings, directory=self.directory
        )
        try:
            await service.apply_state(state, event.aggregateversion)
        except ValueError as error:
            raise PermanentEventError(str(error)) from None

    async def apply_institution_events(
        self, session: AsyncSession, events: Sequence[CloudEvent]
    ) -> None:
        """`apply_institution_event` for a batch, in a few statements (peers' bulk changes)."""
        states = [(institution_state(event), event.aggregateversion) for event in events]
        service = InstitutionService(
            session=session, outbox=None, settings=self.settings, directory=self.directory
        )
        await service.apply_states(states)

    async def apply_programme_event(self, session: AsyncSession, event: CloudEvent) -> None:
        """`institutions.programme.created|updated` from any node → upsert by version."""
        try:
            state = ProgrammeState.model_validate(event.data)
        except ValidationError as error:
            raise PermanentEventError(f"programme event with an invalid state: {error}") from None
        if state.origin_node != event.originnode:
            raise PermanentEventError(
                f"event from {event.originnode!r} carries a record of {state.origin_node!r}"
            )
        service = ProgrammeService(session=session, outbox=None, settings=self.settings)
        try:
            await service.apply_state(state, event.aggregateversion)
        except ValueError as error:
            raise PermanentEventError(str(error)) from None

    async def apply_quality_status_changed(self, session: AsyncSession, event: CloudEvent) -> None:
        """`quality.status.changed` → the institution's (or programme's) `qa_status`, by
        version; kept even when the institution has not arrived yet."""
        try:
            change = QualityStatusChanged.model_validate(event.data)
        except ValidationError as error:
            raise PermanentEventError(f"status event with an invalid payload: {error}") from None
        subject = change.programme_id or change.institution_id
        repository = InstitutionRepository(session)
        entry = await repository.get_qa_status(subject)
        if entry is not None and entry.version >= event.aggregateversion:
            return
        if entry is None:
            entry = InstitutionQaStatus(subject_id=subject)
            repository.add_qa_status(entry)
        entry.institution_id = change.institution_id
        entry.programme_id = change.programme_id
        entry.status = change.status
        entry.as_of = change.as_of
        entry.version = event.aggregateversion
        entry.updated_at = utcnow()
        if change.programme_id is None and self.directory is not None:
            self.directory.track_qa_status(session, change.institution_id, change.status)


def country_of_record(event: CloudEvent) -> str | None:
    """The country an institution or programme falls under: its origin must have authority
    (none for a reference record: see `authority_country`)."""
    return authority_country(event.data)


def subscriptions(node: str, handlers: DirectoryEventHandlers) -> list[Subscription]:
    """What the service consumes: its own node's QA status changes, and the peers'
    institutions and programmes (through the replica stream), applied as read-only replicas.
    Every event, of either stream, is checked against the trust list first."""
    return [
        Subscription(
            name="quality_status",
            subjects=[f"evt.{node}.quality.status.changed"],
            handler=handlers.apply_quality_status_changed,
            # A status this node derived: signed by this node, whatever the country.
            authority=None,
        ),
        Subscription(
            name="peer_institutions",
            subjects=["evt.*.institutions.institution.*"],
            handler=handlers.apply_institution_event,
            batch_handler=handlers.apply_institution_events,
            peers=True,
            authority=country_of_record,
        ),
        Subscription(
            name="peer_programmes",
            subjects=["evt.*.institutions.programme.*"],
            handler=handlers.apply_programme_event,
            peers=True,
            authority=country_of_record,
        ),
    ]


# The copy this service keeps of what another service derives: what a resync rebuilds (from
# the node's own stream; its institutions and programmes are the directory's own records or
# replicas applied only after the trust list's check, compared across nodes by checksum).
REPLICA_TABLES = [
    ReplicaTable(
        name="qa_status",
        model=InstitutionQaStatus,
        event_types=("quality.status.",),
        id_column="subject_id",
        origin_column=None,
    )
]
