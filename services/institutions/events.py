"""How this service applies events (what it publishes leaves through the kernel's
`Publisher`, from its services).

The apply handlers take any origin — this node's own events and, routed by the federation,
the peers' — and upsert by version: an event whose `aggregateversion` is not newer than the
stored record's is ignored, so applying is idempotent and order-tolerant (docs/events.md).
A replica applied here stays read-only through the API (its `origin_node` is not this node).

Today the service subscribes only to its node's `quality.status.changed`, to keep each
institution's QA status for search filters; the institution and programme handlers are what
the federation's consumers call with peers' events.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from contracts.institutions import InstitutionState, ProgrammeState
from contracts.quality import StatusChanged
from services.institutions.directory import Directory
from services.institutions.programmes.service import ProgrammeService
from services.institutions.registry.models import InstitutionQaStatus
from services.institutions.registry.service import InstitutionService
from shared.authority import country_of_record
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent
from shared.inbox import PermanentEventError, ensure_same_origin
from shared.resync import ReplicaTable
from shared.settings import ServiceSettings


def institution_state(event: CloudEvent) -> InstitutionState:
    """The state an institution event carries, checked against the event's origin."""
    try:
        state = InstitutionState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"institution event with an invalid state: {error}") from None
    ensure_same_origin(event, state.origin_node, f"institution {state.id}")
    return state


# The handlers' context is the process's in-memory directory (None where none runs, e.g. a
# resync from the command line): what they change, it indexes once committed.
Institutions = Applying[ServiceSettings, Directory | None]
routes = EventRoutes[ServiceSettings, Directory | None]()


def _institutions(applying: Institutions) -> InstitutionService:
    return InstitutionService(
        session=applying.session,
        publisher=None,
        settings=applying.settings,
        directory=applying.context,
    )


@routes.applies("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_state(applying: Institutions, event: CloudEvent) -> None:
    """An institution from any node → upsert by version."""
    try:
        await _institutions(applying).apply_state(institution_state(event), event.aggregateversion)
    except ValueError as error:
        raise PermanentEventError(str(error)) from None


@routes.applies_batch("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_states(applying: Institutions, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_state` for a batch, in a few statements (peers' bulk changes)."""
    states = [(institution_state(event), event.aggregateversion) for event in events]
    await _institutions(applying).apply_states(states)


@routes.applies("institutions.programme.created", "institutions.programme.updated")
async def apply_programme_state(applying: Institutions, event: CloudEvent) -> None:
    """A programme from any node → upsert by version."""
    try:
        state = ProgrammeState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"programme event with an invalid state: {error}") from None
    ensure_same_origin(event, state.origin_node, f"programme {state.id}")
    service = ProgrammeService(session=applying.session, publisher=None, settings=applying.settings)
    try:
        await service.apply_state(state, event.aggregateversion)
    except ValueError as error:
        raise PermanentEventError(str(error)) from None


@routes.applies("quality.status.changed")
async def apply_status_changed(applying: Institutions, event: CloudEvent) -> None:
    """`quality.status.changed` → the institution's (or programme's) `qa_status`, by
    version; kept even when the institution has not arrived yet."""
    try:
        change = StatusChanged.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"status event with an invalid payload: {error}") from None
    await _institutions(applying).apply_qa_status(change, event.aggregateversion)


# What the service consumes: its own node's QA status changes, and the peers' institutions
# and programmes (through the replica stream), applied as read-only replicas. Every event, of
# either stream, is checked against the trust list first.
SUBSCRIPTIONS = [
    # A status this node derived: signed by this node, whatever the country.
    Subscription(name="quality_status", subjects=["evt.{node}.quality.status.changed"]),
    Subscription(
        name="peer_institutions",
        subjects=["evt.*.institutions.institution.*"],
        peers=True,
        authority=country_of_record,
    ),
    Subscription(
        name="peer_programmes",
        subjects=["evt.*.institutions.programme.*"],
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
