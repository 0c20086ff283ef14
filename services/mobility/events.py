"""What the mobility service applies: only direct messages from a partner's node
(`shared/direct.py`) — agreements, nominations, learning agreements, each a whole state by
version; it subscribes to no public stream and publishes nothing to one."""

from __future__ import annotations

from pydantic import ValidationError

from contracts.mobility import IiaState, LearningAgreementState, NominationState
from services.mobility.agreements.repository import AgreementRepository
from services.mobility.agreements.service import AgreementService
from services.mobility.learning_agreements.repository import LearningAgreementRepository
from services.mobility.learning_agreements.service import LearningAgreementService
from services.mobility.nominations.repository import NominationRepository
from services.mobility.nominations.service import NominationService
from services.mobility.settings import MobilitySettings
from services.mobility.transcripts.schemas import TranscriptMessage
from services.mobility.transcripts.service import TranscriptRepository, TranscriptService
from shared.event_routes import Applying, EventRoutes
from shared.events import CloudEvent
from shared.inbox import PermanentEventError
from shared.trust import TrustList

Mobility = Applying[MobilitySettings, TrustList | None]
routes = EventRoutes[MobilitySettings, TrustList | None]()


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
