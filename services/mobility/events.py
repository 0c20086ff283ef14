"""What the mobility service applies: direct messages from a partner's node
(`shared/direct.py`) — agreements, nominations, learning agreements, each a whole state by
version — and, on the public streams, the directory's institutions (which an agreement may name
as partners) and every node's anonymous statistics (the only thing it publishes there)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from contracts.institutions import InstitutionState
from contracts.mobility import (
    IiaState,
    LearningAgreementState,
    MobilityStatisticsState,
    NominationState,
)
from services.mobility.agreements.repository import AgreementRepository
from services.mobility.agreements.service import AgreementService
from services.mobility.institutions.models import InstitutionCopy
from services.mobility.institutions.repository import InstitutionRepository
from services.mobility.learning_agreements.repository import LearningAgreementRepository
from services.mobility.learning_agreements.service import LearningAgreementService
from services.mobility.nominations.repository import NominationRepository
from services.mobility.nominations.service import NominationService
from services.mobility.settings import MobilitySettings
from services.mobility.statistics.service import StatisticsService
from services.mobility.transcripts.schemas import TranscriptMessage
from services.mobility.transcripts.service import TranscriptRepository, TranscriptService
from shared.authority import authority_country
from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent
from shared.inbox import PermanentEventError, ensure_same_origin
from shared.resync import ReplicaTable
from shared.trust import TrustList

Mobility = Applying[MobilitySettings, TrustList | None]
routes = EventRoutes[MobilitySettings, TrustList | None]()


def _institution(event: CloudEvent) -> InstitutionState:
    try:
        state = InstitutionState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error
    ensure_same_origin(event, state.origin_node, f"institution {state.id}")
    return state


@routes.applies("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_state(applying: Mobility, event: CloudEvent) -> None:
    """An institution of any node → the service's copy of the directory."""
    await InstitutionRepository(applying.session).apply(
        [(_institution(event), event.aggregateversion)]
    )


@routes.applies_batch("institutions.institution.created", "institutions.institution.updated")
async def apply_institution_states(applying: Mobility, events: Sequence[CloudEvent]) -> None:
    """`apply_institution_state` for a fetched batch: one transaction instead of one per event,
    which a node catching up on thousands of institutions needs."""
    await InstitutionRepository(applying.session).apply(
        [(_institution(event), event.aggregateversion) for event in events]
    )


@routes.applies("mobility.agreement.updated")
async def apply_agreement_updated(applying: Mobility, event: CloudEvent) -> None:
    """An agreement as the other partner's node holds it, checked (approvals' signatures
    against the trust list) and stored by version."""
    try:
        state = IiaState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error
    if str(state.id) != event.subject:
        raise PermanentEventError("the message's subject is not the agreement it carries")
    service = AgreementService(
        repository=AgreementRepository(applying.session),
        settings=applying.settings,
        trust=applying.context,
    )
    await service.apply_state(state, event.originnode, event.aggregateversion)


@routes.applies("mobility.transcript.sent")
async def apply_transcript_sent(applying: Mobility, event: CloudEvent) -> None:
    """A transcript from the receiving node, stored and recognised at this (sending) node."""
    try:
        message = TranscriptMessage.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid transcript: {error}") from error
    if str(message.id) != event.subject or message.version != event.aggregateversion:
        raise PermanentEventError("the message's subject or version is not the transcript's")
    service = TranscriptService(
        repository=TranscriptRepository(applying.session),
        settings=applying.settings,
        trust=applying.context,
    )
    await service.apply_transcript(message, event.originnode)


@routes.applies("mobility.nomination.updated")
async def apply_nomination_updated(applying: Mobility, event: CloudEvent) -> None:
    """A nomination as the other partner's node holds it, checked and stored by version."""
    try:
        state = NominationState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error
    if str(state.id) != event.subject:
        raise PermanentEventError("the message's subject is not the nomination it carries")
    service = NominationService(
        repository=NominationRepository(applying.session),
        agreements=AgreementRepository(applying.session),
        settings=applying.settings,
        publisher=applying.publisher,
        trust=applying.context,
    )
    await service.apply_state(state, event.originnode, event.aggregateversion)


@routes.applies("mobility.learning_agreement.updated")
async def apply_learning_agreement_updated(applying: Mobility, event: CloudEvent) -> None:
    """A learning agreement as the other partner's node holds it, checked (every approval's
    signature against the trust list) and stored by version."""
    try:
        state = LearningAgreementState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error
    if str(state.id) != event.subject:
        raise PermanentEventError("the message's subject is not the learning agreement it carries")
    service = LearningAgreementService(
        repository=LearningAgreementRepository(applying.session),
        nominations=NominationRepository(applying.session),
        settings=applying.settings,
        trust=applying.context,
    )
    await service.apply_state(state, event.originnode, event.aggregateversion)


@routes.applies("mobility.statistics.updated")
async def apply_statistics_updated(applying: Mobility, event: CloudEvent) -> None:
    """A node's public statistics (this node's own come back and are ignored by version)."""
    try:
        state = MobilityStatisticsState.model_validate(event.data)
    except ValidationError as error:
        raise PermanentEventError(f"{event.type} without a valid state: {error}") from error
    service = StatisticsService(applying.session, applying.settings.node_id, applying.context)
    await service.apply(state, event.originnode, event.aggregateversion)


def authority_of(event: CloudEvent) -> str | None:
    """An institution's country, which its origin must have authority over; statistics are
    records of their origin node (None: the signer must only be its origin)."""
    if event.service == "institutions":
        return authority_country(event.data)
    return None


SUBSCRIPTIONS = [
    Subscription(
        name="institutions",
        subjects=["evt.{node}.institutions.institution.*"],
        authority=authority_of,
    ),
    Subscription(name="statistics", subjects=["evt.{node}.mobility.statistics.*"]),
    Subscription(
        name="peer_institutions",
        subjects=["evt.*.institutions.institution.*"],
        peers=True,
        authority=authority_of,
    ),
    Subscription(name="peer_statistics", subjects=["evt.*.mobility.statistics.*"], peers=True),
]


# The copies of other nodes' records this service keeps: what a resync rebuilds.
REPLICA_TABLES = [
    ReplicaTable(
        name="institution",
        model=InstitutionCopy,
        event_types=("institutions.institution.",),
        country_column="country",
    ),
]
