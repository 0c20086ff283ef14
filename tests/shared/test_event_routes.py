"""The one consumer shape (shared/event_routes.py): which function applies each event type,
named `apply_<aggregate>_<action>` (issue 17), and how a fetched batch is applied."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from shared.event_routes import Applying, EventRoutes, Subscription
from shared.events import CloudEvent, new_event
from shared.outbox import Outbox
from shared.publisher import Publisher
from shared.settings import ServiceSettings

Test = Applying[ServiceSettings, list[str]]


def event(aggregate: str, action: str, subject: str = "x") -> CloudEvent:
    return new_event(
        node="cn", service="demo", aggregate=aggregate, action=action,
        subject=subject, data={}, version=1,
    )  # fmt: skip


def bound(routes: EventRoutes[ServiceSettings, list[str]]) -> tuple[Any, Any, list[str]]:
    settings = ServiceSettings(node_id="cn", database_url="sqlite+aiosqlite:///:memory:")
    publisher = Publisher(node="cn", service="demo", outbox=Outbox(table=None))  # type: ignore[arg-type]
    applied: list[str] = []
    return (
        routes.handler(settings, publisher, applied),
        routes.batch_handler(settings, publisher, applied),
        applied,
    )


def test_a_function_is_named_for_the_aggregate_and_action_it_applies() -> None:
    routes = EventRoutes[ServiceSettings, list[str]]()

    async def apply_record_changed(applying: Test, _event: CloudEvent) -> None: ...

    async def apply_record_state(applying: Test, _event: CloudEvent) -> None: ...

    async def apply_other_changed(applying: Test, _event: CloudEvent) -> None: ...

    routes.applies("demo.record.changed")(apply_record_changed)
    routes.applies("demo.record.created", "demo.record.updated")(apply_record_state)
    with pytest.raises(ValueError, match="name it apply_thing_changed"):
        routes.applies("demo.thing.changed")(apply_other_changed)
    with pytest.raises(ValueError, match="already"):
        routes.applies("demo.record.changed")(apply_record_changed)
    with pytest.raises(ValueError, match="several aggregates"):
        routes.applies("demo.record.removed", "demo.thing.removed")(apply_record_state)
    with pytest.raises(ValueError, match="is not `"):
        routes.applies("demo.record")(apply_record_changed)
    assert routes.types == [
        "demo.record.changed.v1",
        "demo.record.created.v1",
        "demo.record.updated.v1",
    ]


async def test_each_event_goes_to_its_route_and_an_unrouted_type_is_ignored() -> None:
    routes = EventRoutes[ServiceSettings, list[str]]()

    @routes.applies("demo.record.changed")
    async def apply_record_changed(applying: Test, event: CloudEvent) -> None:
        applying.context.append(f"changed {event.subject}")

    handler, batch_handler, applied = bound(routes)
    assert batch_handler is None  # no batch route: the consumer applies one by one
    await handler(None, event("record", "changed", "a"))
    await handler(None, event("record", "removed", "b"))  # wider subscription, no route
    assert applied == ["changed a"]


async def test_a_batch_applies_its_batch_routes_together_then_the_rest_in_order() -> None:
    routes = EventRoutes[ServiceSettings, list[str]]()

    @routes.applies("demo.record.changed")
    async def apply_record_changed(applying: Test, event: CloudEvent) -> None:
        applying.context.append(f"one {event.subject}")

    @routes.applies("demo.thing.changed")
    async def apply_thing_changed(applying: Test, event: CloudEvent) -> None:
        applying.context.append(f"thing {event.subject}")

    @routes.applies_batch("demo.record.changed")
    async def apply_records(applying: Test, events: Sequence[CloudEvent]) -> None:
        applying.context.append("together " + ",".join(e.subject for e in events))

    _handler, batch_handler, applied = bound(routes)
    assert batch_handler is not None
    await batch_handler(
        None,
        [
            event("thing", "changed", "t1"),
            event("record", "changed", "r1"),
            event("thing", "changed", "t2"),
            event("record", "changed", "r2"),
        ],
    )
    assert applied == ["together r1,r2", "thing t1", "thing t2"]


def test_a_batch_route_needs_its_one_by_one_route() -> None:
    routes = EventRoutes[ServiceSettings, list[str]]()

    async def apply_records(applying: Test, events: Sequence[CloudEvent]) -> None: ...

    with pytest.raises(ValueError, match="no one-by-one route"):
        routes.applies_batch("demo.record.changed")(apply_records)


def test_a_subscription_names_its_node() -> None:
    own = Subscription(name="own", subjects=["evt.{node}.demo.>", "evt.*.other.>"])
    assert own.for_node("cn").subjects == ["evt.cn.demo.>", "evt.*.other.>"]
