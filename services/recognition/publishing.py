"""The events recognition publishes (docs/events.md): built here, written to the outbox in
the caller's transaction. Nothing personal may ever be passed in: the payloads are the
anonymised public records (framework levels, agreements, published decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import CloudEvent, new_event
from shared.outbox import Outbox

SERVICE = "recognition"


def recognition_event(
    *,
    node: str,
    aggregate: str,
    action: str,
    subject: str,
    data: dict[str, Any],
    version: int,
    traceparent: str | None = None,
) -> CloudEvent:
    """`recognition.<aggregate>.<action>.v1` carrying the record's whole public state."""
    return new_event(
        node=node,
        service=SERVICE,
        aggregate=aggregate,
        action=action,
        subject=subject,
        data=data,
        version=version,
        traceparent=traceparent,
    )


@dataclass
class Publisher:
    """Adds this node's recognition events to the outbox of the current transaction."""

    session: AsyncSession
    outbox: Outbox
    node: str
    traceparent: str | None = None

    async def publish(
        self, aggregate: str, action: str, subject: str, data: dict[str, Any], version: int
    ) -> None:
        event = recognition_event(
            node=self.node,
            aggregate=aggregate,
            action=action,
            subject=subject,
            data=data,
            version=version,
            traceparent=self.traceparent,
        )
        await self.outbox.add(self.session, event)
