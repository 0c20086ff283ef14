"""The one way an event leaves a service: `Publisher` builds it as this node's (BRIEF §4) and
writes it into the outbox of the caller's transaction, so the change and its event commit
together or not at all (`shared/outbox.py` relays it once committed).

Routers get one through `PublisherDep` (stamped with the request's trace); bulk paths, the
event handlers and the command line use the runtime's `publisher` as a plain object. Every
payload is the record's whole public state after the change: applying it is an upsert by
version (`shared/repository.py`), never a patch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import CloudEvent, new_event
from shared.outbox import Outbox


@dataclass(frozen=True)
class Publisher:
    """Publishes `<service>.<aggregate>.<action>.v1` events of `node` through `outbox`."""

    node: str
    service: str
    outbox: Outbox
    # The trace the events continue; without one they continue the task's span, if any.
    traceparent: str | None = None

    def traced(self, traceparent: str | None) -> Publisher:
        """The same publisher, stamping `traceparent` on what it publishes."""
        return replace(self, traceparent=traceparent)

    def event(
        self,
        aggregate: str,
        action: str,
        *,
        subject: str,
        data: dict[str, Any],
        version: int,
    ) -> CloudEvent:
        """The event for one change of a record (`subject` is its id), not yet published."""
        return new_event(
            node=self.node,
            service=self.service,
            aggregate=aggregate,
            action=action,
            subject=subject,
            data=data,
            version=version,
            traceparent=self.traceparent,
        )

    async def publish(
        self,
        session: AsyncSession,
        aggregate: str,
        action: str,
        *,
        subject: str,
        data: dict[str, Any],
        version: int,
    ) -> CloudEvent:
        """Build the event for one change and add it to `session`'s transaction."""
        event = self.event(aggregate, action, subject=subject, data=data, version=version)
        await self.outbox.add(session, event)
        return event

    async def publish_all(self, session: AsyncSession, events: Sequence[CloudEvent]) -> None:
        """Add events built with `event` to `session`'s transaction in one statement, in
        order (bulk writes)."""
        for event in events:
            if event.originnode != self.node or event.service != self.service:
                raise ValueError(
                    f"{event.type} of node {event.originnode!r} is not this publisher's"
                )
        await self.outbox.add_many(session, events)
