"""The events the quality service applies (and, with its domain, publishes)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.quality.institutions.schemas import InstitutionState
from services.quality.institutions.service import InstitutionRefService
from shared.events import CloudEvent
from shared.inbox import PermanentEventError
from shared.runtime import Subscription


async def apply_institution_event(session: AsyncSession, event: CloudEvent) -> None:
    """`institutions.institution.created|updated` → the institution reference table."""
    try:
        state = InstitutionState.model_validate(event.data)
    except ValueError as error:
        raise PermanentEventError(f"institution event without a valid state: {error}") from error
    await InstitutionRefService(session).apply_institution_state(state, event.aggregateversion)


def subscriptions(node: str) -> list[Subscription]:
    return [
        Subscription(
            name="institutions",
            subjects=[f"evt.{node}.institutions.institution.*"],
            handler=apply_institution_event,
        )
    ]
