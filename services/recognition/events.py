"""What the recognition service applies: the directory's, quality's and recognition's events,
by version and whatever their origin (the federation routes peers' events to these same
handlers). What it publishes leaves through the kernel's `Publisher`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from contracts.institutions import InstitutionState, ProgrammeState
from contracts.quality import AgencyState, EvaluationState
from contracts.recognition import PublishedDecisionState
from services.recognition.catalogue.models import AgreementRecord, FrameworkLevelRecord
from services.recognition.catalogue.schemas import Agreement, FrameworkLevel
from services.recognition.catalogue.service import CatalogueService
from services.recognition.decisions.models import PublishedDecision
from services.recognition.decisions.service import DecisionService
from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)
from services.recognition.replicas.service import ReplicaService
from services.recognition.settings import RecognitionSettings
from shared.authority import authority_country
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent
from shared.inbox import PermanentEventError, ensure_same_origin
from shared.resync import ReplicaTable

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


Recognition = Applying[RecognitionSettings, None]
routes = EventRoutes[RecognitionSettings, None]()


@routes.applies("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_state(applying: Recognition, event: CloudEvent) -> None:
    """An institution of any node → its replica."""
    await ReplicaService(applying.session).apply_institution(
        _replica_state(InstitutionState, event), event.aggregateversion
    )


@routes.applies_batch("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_states(applying: Recognition, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_state` for a fetched batch, in a few statements."""
    await ReplicaService(applying.session).apply_institutions(
        [(_replica_state(InstitutionState, event), event.aggregateversion) for event in events]
    )


@routes.applies("institutions.programme.created", "institutions.programme.updated")
async def apply_programme_state(applying: Recognition, event: CloudEvent) -> None:
    """A programme of any node → its replica."""
    await ReplicaService(applying.session).apply_programme(
        _replica_state(ProgrammeState, event), event.aggregateversion
    )


@routes.applies("quality.agency.created", "quality.agency.updated")
async def apply_agency_state(applying: Recognition, event: CloudEvent) -> None:
    """A QA agency of any node → its replica."""
    await ReplicaService(applying.session).apply_agency(
        _replica_state(AgencyState, event), event.aggregateversion
    )


@routes.applies(
    "quality.evaluation.created", "quality.evaluation.updated", "quality.evaluation.withdrawn"
)
async def apply_evaluation_state(applying: Recognition, event: CloudEvent) -> None:
    """An evaluation of any node → its replica (the QA status is derived here from the
    evaluations by rules/qa_status.py, so `quality.status.changed` is not applied)."""
    await ReplicaService(applying.session).apply_evaluation(
        _replica_state(EvaluationState, event), event.aggregateversion
    )


@routes.applies("recognition.decision.published")
async def apply_decision_published(applying: Recognition, event: CloudEvent) -> None:
    """A published, anonymised decision of any node → the precedents (this node's own come
    back here too and are ignored by version)."""
    state = _state(PublishedDecisionState, event)
    ensure_same_origin(event, state.origin_node, f"decision {state.id}")
    await DecisionService(applying.session, applying.settings).apply_published(
        state, event.aggregateversion
    )


@routes.applies("recognition.framework_level.created", "recognition.framework_level.updated")
async def apply_framework_level_state(applying: Recognition, event: CloudEvent) -> None:
    """A framework level a node added → the reference records."""
    level = _state(FrameworkLevel, event)
    ensure_same_origin(event, level.origin_node or event.originnode, f"level {level.code}")
    await CatalogueService(applying.session, applying.settings).apply_level(
        level, event.aggregateversion
    )


@routes.applies("recognition.agreement.created", "recognition.agreement.updated")
async def apply_agreement_state(applying: Recognition, event: CloudEvent) -> None:
    """An agreement a node added → the reference records."""
    agreement = _state(Agreement, event)
    ensure_same_origin(
        event, agreement.origin_node or event.originnode, f"agreement {agreement.id}"
    )
    await CatalogueService(applying.session, applying.settings).apply_agreement(
        agreement, event.aggregateversion
    )


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


# This node's own events, and (through the replica stream) the peers' institutions, QA
# results, decisions, framework levels and agreements; every one checked against the trust
# list first, this node's own too (signed by this node, with authority over the record).
SUBSCRIPTIONS = [
    Subscription(
        name="institutions", subjects=["evt.{node}.institutions.>"], authority=authority_of
    ),
    Subscription(name="quality", subjects=["evt.{node}.quality.>"], authority=authority_of),
    Subscription(name="recognition", subjects=["evt.{node}.recognition.>"], authority=authority_of),
    Subscription(
        name="peer_institutions",
        subjects=["evt.*.institutions.>"],
        peers=True,
        authority=authority_of,
    ),
    Subscription(
        name="peer_quality",
        subjects=["evt.*.quality.agency.*", "evt.*.quality.evaluation.*"],
        peers=True,
        authority=authority_of,
    ),
    Subscription(
        name="peer_recognition",
        subjects=["evt.*.recognition.>"],
        peers=True,
        authority=authority_of,
    ),
]


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
