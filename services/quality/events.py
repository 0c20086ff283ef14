"""The events the quality service applies, whatever their origin.

It publishes `quality.agency.created|updated`, `quality.evaluation.created|updated|withdrawn`
and `quality.status.changed` (from its services, through the outbox). It applies
`institutions.institution.*` into its copy of the institutions, and `quality.agency.*` /
`quality.evaluation.*` by version (upsert; stale versions ignored) — the federation routes the
peers' events to these same handlers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.agencies.models import Agency
from services.quality.agencies.schemas import AgencyRead
from services.quality.agencies.service import AgencyService
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.schemas import EvaluationRead
from services.quality.evaluations.service import EvaluationService
from services.quality.institutions.models import InstitutionCopy
from services.quality.institutions.schemas import InstitutionState
from services.quality.institutions.service import InstitutionCopyService
from services.quality.settings import QualitySettings
from services.quality.status.service import StatusService
from shared.authority import authority_country, country_of_record
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent
from shared.inbox import PermanentEventError, ensure_same_origin
from shared.publisher import Publisher
from shared.resync import AfterRemove, ReplicaTable

StateT = TypeVar("StateT", InstitutionState, AgencyRead, EvaluationRead)

Quality = Applying[QualitySettings, None]
routes = EventRoutes[QualitySettings, None]()


def _state(model: type[StateT], event: CloudEvent) -> StateT:
    """The record's state the event carries, of the event's (verified) origin."""
    try:
        state = model.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from None
    ensure_same_origin(event, state.origin_node, f"{event.aggregate} {event.subject}")
    return state


@routes.applies("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_state(applying: Quality, event: CloudEvent) -> None:
    """An institution of any node → its copy of the institutions."""
    await InstitutionCopyService(applying.session).apply_institution_state(
        _state(InstitutionState, event), event.aggregateversion
    )


@routes.applies_batch("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_states(applying: Quality, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_state` for a fetched batch."""
    await InstitutionCopyService(applying.session).apply_institution_states(
        [(_state(InstitutionState, event), event.aggregateversion) for event in events]
    )


@routes.applies("quality.agency.created", "quality.agency.updated")
async def apply_agency_state(applying: Quality, event: CloudEvent) -> None:
    """An agency of any origin → the agency table, by version."""
    service = AgencyService(applying.session, applying.publisher, applying.settings)
    try:
        await service.apply_agency_state(_state(AgencyRead, event), event.aggregateversion)
    except ValueError as error:
        raise PermanentEventError(str(error)) from None


@routes.applies(
    "quality.evaluation.created", "quality.evaluation.updated", "quality.evaluation.withdrawn"
)
async def apply_evaluation_state(applying: Quality, event: CloudEvent) -> None:
    """An evaluation of any origin → the evaluation table, by version; the statuses it
    changes are published by this node as `quality.status.changed`."""
    service = EvaluationService(applying.session, applying.publisher, applying.settings)
    try:
        await service.apply_evaluation_state(_state(EvaluationRead, event), event.aggregateversion)
    except ValueError as error:
        raise PermanentEventError(str(error)) from None


def authority_of(event: CloudEvent) -> str | None:
    """An agency's country, or an evaluation's agency's country: its origin must have
    authority over it (cross-border QA of a foreign institution stays with the agency's node).
    None for a reference record (see `authority_country`)."""
    if event.aggregate == "agency":
        return authority_country(event.data)
    return authority_country(event.data, "agency_country")


# This node's institutions (its copy of them), and, through the replica stream, the
# peers' institutions, agencies and evaluations, applied as read-only replicas. Every one is
# checked against the trust list first, this node's own events too.
SUBSCRIPTIONS = [
    Subscription(
        name="institutions",
        subjects=["evt.{node}.institutions.institution.*"],
        authority=country_of_record,
    ),
    Subscription(
        name="peer_institutions",
        subjects=["evt.*.institutions.institution.*"],
        peers=True,
        authority=country_of_record,
    ),
    Subscription(
        name="peer_agencies",
        subjects=["evt.*.quality.agency.*"],
        peers=True,
        authority=authority_of,
    ),
    Subscription(
        name="peer_evaluations",
        subjects=["evt.*.quality.evaluation.*"],
        peers=True,
        authority=authority_of,
    ),
]


# The copies of other nodes' records this service keeps: what a resync rebuilds.
REPLICA_TABLES = [
    ReplicaTable(
        name="institution",
        model=InstitutionCopy,
        event_types=("institutions.institution.",),
        country_column="country",
    ),
    ReplicaTable(
        name="agency",
        model=Agency,
        event_types=("quality.agency.",),
        country_column="country",
        holds_own_records=True,
    ),
    ReplicaTable(
        name="evaluation",
        model=Evaluation,
        event_types=("quality.evaluation.",),
        holds_own_records=True,
    ),
]


def status_refresher(settings: QualitySettings, publisher: Publisher) -> AfterRemove:
    """After a resync removed evaluations no one signed: recompute (and publish) the QA status
    of the institutions they were about."""

    async def refresh(session: AsyncSession, spec: ReplicaTable, rows: Sequence[Row[Any]]) -> None:
        if spec.name != "evaluation":
            return
        touched = {
            uuid.UUID(str(institution))
            for row in rows
            for institution in row._mapping["institution_ids"] or []
        }
        await StatusService(session, publisher, settings).refresh(touched)

    return refresh
