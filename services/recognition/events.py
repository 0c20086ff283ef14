"""What the recognition service applies: the directory's, quality's and recognition's events,
by version and whatever their origin (the federation routes peers' events to these same
handlers). What it publishes is built in `publishing.py`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from services.recognition.decisions.models import PublishedDecision
from services.recognition.decisions.schemas import PublishedDecisionState
from services.recognition.decisions.service import DecisionService
from services.recognition.reference.models import AgreementRecord, FrameworkLevelRecord
from services.recognition.reference.schemas import Agreement, FrameworkLevel
from services.recognition.reference.service import ReferenceService
from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from services.recognition.replicas.schemas import (
    AgencyState,
    EvaluationState,
    InstitutionState,
    ProgrammeState,
)
from services.recognition.replicas.service import ReplicaService
from services.recognition.settings import RecognitionSettings
from shared.authority import authority_country
from shared.events import CloudEvent
from shared.inbox import (
    BatchEventHandler,
    EventHandler,
    PermanentEventError,
    ensure_same_origin,
)
from shared.resync import ReplicaTable
from shared.runtime import Subscription

StateT = TypeVar("StateT", bound=BaseModel)
ReplicaStateT = TypeVar(
    "ReplicaStateT", InstitutionState, ProgrammeState, AgencyState, EvaluationState
)


def _state(model: type[StateT], event: CloudEvent) -> StateT:
    try:
        return model.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error


def _replica_state(model: type[ReplicaStateT], event: CloudEvent) -> ReplicaStateT:
    """The state of a replicated record, which must be of the event's (verified) origin."""
    state = _state(model, event)
    ensure_same_origin(event, state.origin_node, f"{event.aggregate} {event.subject}")
    return state


async def apply_institution_event(session: AsyncSession, event: CloudEvent) -> None:
    """`institutions.institution.*` and `institutions.programme.*` → the replicas."""
    replicas = ReplicaService(session)
    if event.aggregate == "institution":
        await replicas.apply_institution(
            _replica_state(InstitutionState, event), event.aggregateversion
        )
    elif event.aggregate == "programme":
        await replicas.apply_programme(
            _replica_state(ProgrammeState, event), event.aggregateversion
        )


async def apply_institution_events(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_event` for a fetched batch: institutions together, programmes one
    by one."""
    replicas = ReplicaService(session)
    await replicas.apply_institutions(
        [
            (_replica_state(InstitutionState, event), event.aggregateversion)
            for event in events
            if event.aggregate == "institution"
        ]
    )
    for event in events:
        if event.aggregate == "programme":
            await replicas.apply_programme(
                _replica_state(ProgrammeState, event), event.aggregateversion
            )


async def apply_quality_event(session: AsyncSession, event: CloudEvent) -> None:
    """`quality.agency.*` and `quality.evaluation.*` → the replicas (QA status is derived
    here from the evaluations, so `quality.status.changed` is not needed)."""
    replicas = ReplicaService(session)
    if event.aggregate == "agency":
        await replicas.apply_agency(_replica_state(AgencyState, event), event.aggregateversion)
    elif event.aggregate == "evaluation":
        await replicas.apply_evaluation(
            _replica_state(EvaluationState, event), event.aggregateversion
        )


def recognition_handler(settings: RecognitionSettings) -> EventHandler:
    """`recognition.decision.published`, `recognition.framework_level.*`,
    `recognition.agreement.*` → published decisions and the added reference records. This
    node's own events come back here too and are ignored by version."""

    async def apply_recognition_event(session: AsyncSession, event: CloudEvent) -> None:
        if event.aggregate == "decision":
            state = _state(PublishedDecisionState, event)
            ensure_same_origin(event, state.origin_node, f"decision {state.id}")
            await DecisionService(session, settings).apply_published(state, event.aggregateversion)
        elif event.aggregate == "framework_level":
            level = _state(FrameworkLevel, event)
            ensure_same_origin(event, level.origin_node or event.originnode, f"level {level.code}")
            await ReferenceService(session, settings).apply_level(level, event.aggregateversion)
        elif event.aggregate == "agreement":
            agreement = _state(Agreement, event)
            ensure_same_origin(
                event, agreement.origin_node or event.originnode, f"agreement {agreement.id}"
            )
            await ReferenceService(session, settings).apply_agreement(
                agreement, event.aggregateversion
            )

    return apply_recognition_event


HANDLERS: dict[str, Callable[[RecognitionSettings], EventHandler]] = {
    "institutions": lambda _settings: apply_institution_event,
    "quality": lambda _settings: apply_quality_event,
    "recognition": recognition_handler,
}


BATCH_HANDLERS: dict[str, BatchEventHandler] = {"institutions": apply_institution_events}


def handler_for(service: str, settings: RecognitionSettings) -> EventHandler:
    """The handler for events of `service` (the federation uses it for peers' events)."""
    return HANDLERS[service](settings)


async def apply_event(
    session: AsyncSession, event: CloudEvent, settings: RecognitionSettings
) -> None:
    """Apply one event of any service this one consumes (tests and bulk loads use it)."""
    handler = HANDLERS.get(event.service)
    if handler is not None:
        await handler(settings)(session, event)


def authority_of(event: CloudEvent) -> str | None:
    """The country a replicated record falls under, which its origin must have authority
    over: an institution's or programme's country, an agency's country, an evaluation's
    agency's country. Decisions, framework levels, agreements and reference records belong to
    the node that made them (None: the signer must only be their origin)."""
    if event.service == "institutions" or event.type.startswith("quality.agency."):
        return authority_country(event.data)
    if event.type.startswith("quality.evaluation."):
        return authority_country(event.data, "agency_country")
    # Anything else — decisions, framework levels, agreements, and the QA status a node derives
    # for itself (seen in its own stream, never replicated) — the signer must only be the origin.
    return None


def subscriptions(settings: RecognitionSettings) -> list[Subscription]:
    """This node's own events, and (through the replica stream) the peers' institutions, QA
    results, decisions, framework levels and agreements; every one checked against the trust
    list first, this node's own too (signed by this node, with authority over the record)."""
    node = settings.node_id
    own = [
        Subscription(
            name=service,
            subjects=subjects,
            handler=handler_for(service, settings),
            batch_handler=BATCH_HANDLERS.get(service),
            authority=authority_of,
        )
        for service, subjects in (
            ("institutions", [f"evt.{node}.institutions.>"]),
            ("quality", [f"evt.{node}.quality.>"]),
            ("recognition", [f"evt.{node}.recognition.>"]),
        )
    ]
    peers = [
        Subscription(
            name=f"peer_{service}",
            subjects=subjects,
            handler=handler_for(service, settings),
            batch_handler=BATCH_HANDLERS.get(service),
            peers=True,
            authority=authority_of,
        )
        for service, subjects in (
            ("institutions", ["evt.*.institutions.>"]),
            ("quality", ["evt.*.quality.agency.*", "evt.*.quality.evaluation.*"]),
            ("recognition", ["evt.*.recognition.>"]),
        )
    ]
    return own + peers


# The copies of other nodes' records this service keeps: what a resync rebuilds.
REPLICA_TABLES = [
    ReplicaTable(
        name="institution",
        model=InstitutionReplica,
        event_types=("institutions.institution.",),
        country_column="country",
    ),
    ReplicaTable(
        name="programme", model=ProgrammeReplica, event_types=("institutions.programme.",)
    ),
    ReplicaTable(
        name="agency",
        model=AgencyReplica,
        event_types=("quality.agency.",),
        country_column="country",
    ),
    ReplicaTable(name="evaluation", model=EvaluationReplica, event_types=("quality.evaluation.",)),
    # The node's own decisions, framework levels and agreements are written here directly
    # (their events coming back are ignored by version): the source, not a copy.
    ReplicaTable(
        name="decision",
        model=PublishedDecision,
        event_types=("recognition.decision.",),
        holds_own_records=True,
    ),
    ReplicaTable(
        name="framework_level",
        model=FrameworkLevelRecord,
        event_types=("recognition.framework_level.",),
        holds_own_records=True,
        id_column="code",
    ),
    ReplicaTable(
        name="agreement",
        model=AgreementRecord,
        event_types=("recognition.agreement.",),
        holds_own_records=True,
    ),
]
