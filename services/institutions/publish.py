"""The events the institutions service publishes: one per change, carrying the record's whole
new state (docs/events.md)."""

from __future__ import annotations

from typing import Any

from shared.events import CloudEvent, new_event

SERVICE = "institutions"


def institution_event(
    *, node: str, action: str, state: dict[str, Any], version: int, traceparent: str | None
) -> CloudEvent:
    """`institutions.institution.<created|updated>.v1`."""
    return new_event(
        node=node,
        service=SERVICE,
        aggregate="institution",
        action=action,
        subject=str(state["id"]),
        data=state,
        version=version,
        traceparent=traceparent,
    )


def programme_event(
    *, node: str, action: str, state: dict[str, Any], version: int, traceparent: str | None
) -> CloudEvent:
    """`institutions.programme.<created|updated>.v1`."""
    return new_event(
        node=node,
        service=SERVICE,
        aggregate="programme",
        action=action,
        subject=str(state["id"]),
        data=state,
        version=version,
        traceparent=traceparent,
    )
