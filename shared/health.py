"""What a node reports of its own health: each service's readiness, outbox backlog, consumer
lag, quarantined events and dead letters, and the verdict `edunode status` exits with.

Each service answers `/internal/health` with a `ServiceHealth`; the gateway gathers them into
`/v1/node/health` (a `NodeHealth`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# Events older than this still waiting in an outbox mean the broker has been unreachable (or
# the relay stuck) for longer than a restart or a short outage explains.
OUTBOX_AGE_LIMIT_SECONDS = 60.0


class OutboxHealth(BaseModel):
    backlog: int = Field(description="Events not yet acknowledged by JetStream.")
    oldest_age_seconds: float = Field(description="Age of the oldest of them (0 if none).")


class ConsumerHealth(BaseModel):
    name: str
    stream: str
    pending: int | None = Field(
        description="Consumer lag: messages not yet delivered (null: the broker did not say)."
    )
    ack_pending: int | None = Field(description="Delivered, not yet acknowledged.")


class ServiceHealth(BaseModel):
    """One service's own report."""

    service: str
    ready: bool
    checks: dict[str, str] = Field(description="Each readiness check: `ok` or why it fails.")
    outbox: OutboxHealth
    consumers: list[ConsumerHealth]
    quarantined: int = Field(description="Replicated events refused (never applied), all time.")
    own_stream_refused: int = Field(
        default=0,
        description="Of those, events found in the node's own stream that it did not sign (or "
        "that failed their checks): someone wrote into the node's stream. An alarm.",
    )
    dead_letters: int = Field(description="Events its consumers gave up on, all time.")


class NodeHealth(BaseModel):
    """The node as a whole: `unhealthy` with something in `problems`, else `degraded` with
    something in `alarms`, else `healthy`."""

    node: str
    healthy: bool = Field(description="`status` is `healthy`.")
    status: Literal["healthy", "degraded", "unhealthy"]
    problems: list[str] = Field(description="What makes the node unhealthy.")
    alarms: list[str] = Field(
        default_factory=list,
        description="What works but must not be left alone (events someone wrote into the "
        "node's own stream): the node is degraded.",
    )
    warnings: list[str] = Field(description="What deserves a look but does not stop the node.")
    services: dict[str, ServiceHealth | None] = Field(
        description="Each service's report; null where the service did not answer."
    )


def judge_node(
    node: str, services: dict[str, ServiceHealth | None], gateway_checks: dict[str, str]
) -> NodeHealth:
    """The verdict on a node from its services' reports and the gateway's own checks: a
    service unreachable or not ready, a failing gateway check, or an outbox event waiting
    longer than `OUTBOX_AGE_LIMIT_SECONDS`, is a problem; events refused in the node's own
    stream are alarms (the node keeps working, degraded: someone could write into its stream);
    dead letters and the peers' quarantined events are warnings (evidence kept for a person to
    look at)."""
    problems = [
        f"gateway: {check} {state}" for check, state in gateway_checks.items() if state != "ok"
    ]
    warnings: list[str] = []
    alarms: list[str] = []
    for name, health in services.items():
        if health is None:
            problems.append(f"{name}: unreachable")
            continue
        failing = {check: state for check, state in health.checks.items() if state != "ok"}
        if not health.ready:
            problems.append(
                f"{name}: not ready ({', '.join(f'{k} {v}' for k, v in failing.items())})"
            )
        age = health.outbox.oldest_age_seconds
        if age > OUTBOX_AGE_LIMIT_SECONDS:
            problems.append(
                f"{name}: {health.outbox.backlog} outbox events waiting, the oldest for {age:.0f} s"
            )
        if health.dead_letters:
            warnings.append(f"{name}: {health.dead_letters} dead letters")
        if health.own_stream_refused:
            alarms.append(
                f"{name}: {health.own_stream_refused} events in the node's own stream that it "
                "did not sign, quarantined"
            )
        if health.quarantined > health.own_stream_refused:
            warnings.append(
                f"{name}: {health.quarantined - health.own_stream_refused} quarantined events"
            )
    status: Literal["healthy", "degraded", "unhealthy"] = (
        "unhealthy" if problems else "degraded" if alarms else "healthy"
    )
    return NodeHealth(
        node=node,
        healthy=status == "healthy",
        status=status,
        problems=problems,
        alarms=alarms,
        warnings=warnings,
        services=services,
    )
