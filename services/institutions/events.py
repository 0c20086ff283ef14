"""The events the institutions service publishes (and, later, the ones it applies)."""

from __future__ import annotations

from typing import Any

from shared.events import CloudEvent, new_event

SERVICE = "institutions"


def institution_event(
    *, node: str, action: str, state: dict[str, Any], version: int, traceparent: str | None
) -> CloudEvent:
    """`institutions.institution.<action>.v1`, carrying the record's whole new state."""
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
