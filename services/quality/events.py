"""The events the quality service applies, whatever their origin.

It publishes `quality.agency.created|updated`, `quality.evaluation.created|updated|withdrawn`
and `quality.status.changed` (from its services, through the outbox). It applies
`institutions.institution.*` into its reference table, and `quality.agency.*` /
`quality.evaluation.*` by version (upsert; stale versions ignored) — the federation routes the
peers' events to these same handlers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.agencies.models import Agency
from services.quality.agencies.schemas import AgencyRead
from services.quality.agencies.service import AgencyService
from services.quality.evaluations.models import Evaluation
from services.quality.evaluations.schemas import EvaluationRead
from services.quality.evaluations.service import EvaluationService
from services.quality.institutions.models import InstitutionRef
from services.quality.institutions.schemas import InstitutionState
from services.quality.institutions.service import InstitutionRefService
from services.quality.status.service import StatusService
from shared.authority import authority_country
from shared.events import CloudEvent
from shared.inbox import EventHandler, PermanentEventError, ensure_same_origin
from shared.outbox import Outbox
from shared.resync import AfterRemove, ReplicaTable
from shared.runtime import Subscription
from shared.settings import ServiceSettings


def _institution_state(event: CloudEvent) -> InstitutionState:
    try:
        state = InstitutionState.model_validate(event.data)
    except ValueError as error:
        raise PermanentEventError(f"institution event without a valid state: {error}") from error
    ensure_same_origin(event, state.origin_node, f"institution {state.id}")
    return state


async def apply_institution_event(session: AsyncSession, event: CloudEvent) -> None:
    """`institutions.institution.created|updated` → the institution reference table."""
    await InstitutionRefService(session).apply_institution_state(
        _institution_state(event), event.aggregateversion
    )


async def apply_institution_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_event` for a fetched batch."""
    await InstitutionRefService(session).apply_institution_states(
        [(_institution_state(event), event.aggregateversion) for event in events]
    )


def agency_event_handler(settings: ServiceSettings, outbox: Outbox) -> EventHandler:
    """`quality.agency.created|updated` of any origin → the agency table, by version."""

    async def apply_agency_event(session: AsyncSession, event: CloudEvent) -> None:
        try:
            state = AgencyRead.model_validate(event.data)
        except ValidationError as error:
            raise PermanentEventError(f"agency event without a valid state: {error}") from error
        ensure_same_origin(event, state.origin_node, f"agency {state.id}")
        try:
            await AgencyService(session, outbox, settings).apply_agency_state(
                state, event.aggregateversion
            )
        except ValueError as error:
            raise PermanentEventError(str(error)) from None

    return apply_agency_event


def evaluation_event_handler(settings: ServiceSettings, outbox: Outbox) -> EventHandler:
    """`quality.evaluation.created|updated|withdrawn` of any origin → the evaluation table, by
    version; the statuses it changes are published by this node as `quality.status.changed`."""

    async def apply_evaluation_event(session: AsyncSession, event: CloudEvent) -> None:
        try:
            state = EvaluationRead.model_validate(event.data)
        except ValidationError as error:
            raise PermanentEventError(f"evaluation event without a valid state: {error}") from error
        ensure_same_origin(event, state.origin_node, f"evaluation {state.id}")
        try:
            await EvaluationService(session, outbox, settings).apply_evaluation_state(
                state, event.aggregateversion
            )
        except ValueError as error:
            raise PermanentEventError(str(error)) from None

    return apply_evaluation_event


def authority_of(event: CloudEvent) -> str | None:
    """An agency's country, or an evaluation's agency's country: its origin must have
    authority over it (cross-border QA of a foreign institution stays with the agency's node).
    None for a reference record (see `authority_country`)."""
    if event.aggregate == "agency":
        return authority_country(event.data)
    return authority_country(event.data, "agency_country")


def country_of_institution(event: CloudEvent) -> str | None:
    """An institution's country: its origin must have authority over it (None for a reference
    record, see `authority_country`)."""
    return authority_country(event.data)


def subscriptions(node: str, settings: ServiceSettings, outbox: Outbox) -> list[Subscription]:
    """This node's institutions (the reference table), and, through the replica stream, the
    peers' institutions, agencies and evaluations, applied as read-only replicas. Every one
    is checked against the trust list first, this node's own events too."""
    return [
        Subscription(
            name="institutions",
            subjects=[f"evt.{node}.institutions.institution.*"],
            handler=apply_institution_event,
            batch_handler=apply_institution_events,
            authority=country_of_institution,
        ),
        Subscription(
            name="peer_institutions",
            subjects=["evt.*.institutions.institution.*"],
            handler=apply_institution_event,
            batch_handler=apply_institution_events,
            peers=True,
            authority=country_of_institution,
        ),
        Subscription(
            name="peer_agencies",
            subjects=["evt.*.quality.agency.*"],
            handler=agency_event_handler(settings, outbox),
            peers=True,
            authority=authority_of,
        ),
        Subscription(
            name="peer_evaluations",
            subjects=["evt.*.quality.evaluation.*"],
            handler=evaluation_event_handler(settings, outbox),
            peers=True,
            authority=authority_of,
        ),
    ]


# The copies of other nodes' records this service keeps: what a resync rebuilds.
REPLICA_TABLES = [
    ReplicaTable(
        name="institution",
        model=InstitutionRef,
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


def status_refresher(settings: ServiceSettings, outbox: Outbox) -> AfterRemove:
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
        await StatusService(session, outbox, settings).refresh(touched)

    return refresh
