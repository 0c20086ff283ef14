"""What the mobility service applies: only direct messages from a partner's node
(`shared/direct.py`); it subscribes to no public stream and publishes nothing to one."""

from __future__ import annotations

from pydantic import ValidationError

from contracts.mobility import IiaState
from services.mobility.agreements.repository import AgreementRepository
from services.mobility.agreements.service import AgreementService
from services.mobility.settings import MobilitySettings
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
