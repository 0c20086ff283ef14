"""The one shape of a service's consumers: what it subscribes to and which function applies
each event type.

A service's `events.py` declares an `EventRoutes` and its `Subscription`s:

    routes = EventRoutes[QualitySettings, None]()

    @routes.applies("quality.agency.created", "quality.agency.updated")
    async def apply_agency_state(applying: Applying[QualitySettings, None], event: CloudEvent):
        await AgencyService(applying.session, applying.publisher, applying.settings)...

    SUBSCRIPTIONS = [Subscription("quality", ["evt.{node}.quality.>"], authority=authority_of)]

Each function is named `apply_<aggregate>_<action>` (one action) or `apply_<aggregate>_<what
the actions share>` (several; e.g. `_state` when each event carries the whole new state), and
calls the services: the rules live there, not in the handler. A type no route names is
ignored (a subscription's subjects are wider than what it applies). `applies_batch` adds a
function that applies many events of its types in one go (a catch-up of thousands); it must
have the effect of applying them one by one, which the kernel falls back to when it raises.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import CloudEvent
from shared.inbox import BatchEventHandler, EventHandler
from shared.publisher import Publisher
from shared.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)
# What else a service's handlers need of its process (e.g. the directory's in-memory index);
# None for most services.
ContextT = TypeVar("ContextT")

log = structlog.get_logger("edunode.events")

AuthorityOf = Callable[[CloudEvent], str | None]


@dataclass(frozen=True)
class Subscription:
    """A consumer a service declares: the subjects it reads, in which stream.

    With `peers=True` it reads the node's replica stream (the peers' events, subjects
    `evt.<peer>.…`), otherwise the node's own stream; `{node}` in a subject stands for this
    node's id. In a federation every event, of either stream, must pass the trust list before
    it is applied (a node trusts its own stream no more than a peer's: anyone who reaches its
    NATS could write there); `authority` names the country a record falls under (None for
    records owned by their origin node, such as decisions), which the signer must have
    authority over."""

    name: str
    subjects: list[str]
    peers: bool = False
    authority: AuthorityOf | None = None

    def for_node(self, node: str) -> Subscription:
        """This subscription with `{node}` in its subjects replaced by `node`."""
        return Subscription(
            name=self.name,
            subjects=[subject.replace("{node}", node) for subject in self.subjects],
            peers=self.peers,
            authority=self.authority,
        )


@dataclass(frozen=True)
class Applying(Generic[SettingsT, ContextT]):
    """What a handler applies an event with: the transaction it commits in (with the inbox
    row), the service's settings, its publisher for the events applying one causes, and the
    service's own `context` (given to its runtime)."""

    session: AsyncSession
    settings: SettingsT
    publisher: Publisher
    context: ContextT


ApplyOne = Callable[[Applying[SettingsT, ContextT], CloudEvent], Awaitable[None]]
ApplyMany = Callable[[Applying[SettingsT, ContextT], Sequence[CloudEvent]], Awaitable[None]]


def _full_type(name: str) -> str:
    """`service.aggregate.action` → `service.aggregate.action.v1` (a route names its major)."""
    parts = name.split(".")
    if len(parts) == 3:
        return f"{name}.v1"
    if len(parts) == 4 and parts[3].startswith("v") and parts[3][1:].isdigit():
        return name
    raise ValueError(f"{name!r} is not `<service>.<aggregate>.<action>[.v<major>]`")


def _check_name(function_name: str, types: Sequence[str]) -> None:
    aggregates = {full.split(".")[1] for full in types}
    actions = [full.split(".")[2] for full in types]
    if len(aggregates) != 1:
        raise ValueError(f"{function_name} applies events of several aggregates: {aggregates}")
    aggregate = aggregates.pop()
    expected = f"apply_{aggregate}_{actions[0]}" if len(actions) == 1 else f"apply_{aggregate}_"
    if not (function_name == expected or (len(actions) > 1 and function_name.startswith(expected))):
        raise ValueError(f"{function_name} applies {list(types)}: name it {expected}…")


class EventRoutes(Generic[SettingsT, ContextT]):
    """Which function applies each event type a service consumes."""

    def __init__(self) -> None:
        self._one: dict[str, ApplyOne[SettingsT, ContextT]] = {}
        self._many: dict[str, ApplyMany[SettingsT, ContextT]] = {}

    def applies(
        self, *names: str
    ) -> Callable[[ApplyOne[SettingsT, ContextT]], ApplyOne[SettingsT, ContextT]]:
        """Route the event types `names` (`service.aggregate.action`) to the function."""
        types = [_full_type(name) for name in names]

        def register(function: ApplyOne[SettingsT, ContextT]) -> ApplyOne[SettingsT, ContextT]:
            _check_name(function.__name__, types)
            for full in types:
                if full in self._one:
                    raise ValueError(f"{full} is applied by {self._one[full].__name__} already")
                self._one[full] = function
            return function

        return register

    def applies_batch(
        self, *names: str
    ) -> Callable[[ApplyMany[SettingsT, ContextT]], ApplyMany[SettingsT, ContextT]]:
        """Route many events of the types `names` at once to the function (their one-by-one
        route must exist too: it applies them when the batch cannot)."""
        types = [_full_type(name) for name in names]

        def register(function: ApplyMany[SettingsT, ContextT]) -> ApplyMany[SettingsT, ContextT]:
            for full in types:
                if full not in self._one:
                    raise ValueError(f"{full} has no one-by-one route to fall back to")
                self._many[full] = function
            return function

        return register

    @property
    def types(self) -> list[str]:
        """Every event type these routes apply."""
        return sorted(self._one)

    def route(self, event_type: str) -> ApplyOne[SettingsT, ContextT] | None:
        return self._one.get(event_type)

    def handler(self, settings: SettingsT, publisher: Publisher, context: ContextT) -> EventHandler:
        """The kernel's handler: applies one event through its route."""

        async def apply(session: AsyncSession, event: CloudEvent) -> None:
            function = self._one.get(event.type)
            if function is None:
                log.debug("event_not_routed", type=event.type, id=event.id)
                return
            await function(Applying(session, settings, publisher, context), event)

        return apply

    def batch_handler(
        self, settings: SettingsT, publisher: Publisher, context: ContextT
    ) -> BatchEventHandler | None:
        """The kernel's batch handler (None without batch routes): first the events with a
        batch route, each function's together (in the order the functions first appear), then
        the others one by one in their order. Every event carries its record's whole state and
        is applied by version, so only the order within one aggregate matters, which is kept."""
        if not self._many:
            return None

        async def apply_all(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
            applying = Applying(session, settings, publisher, context)
            together: dict[ApplyMany[SettingsT, ContextT], list[CloudEvent]] = {}
            one_by_one: list[tuple[ApplyOne[SettingsT, ContextT], CloudEvent]] = []
            for event in events:
                many = self._many.get(event.type)
                one = self._one.get(event.type)
                if many is not None:
                    together.setdefault(many, []).append(event)
                elif one is not None:
                    one_by_one.append((one, event))
            for many, group in together.items():
                await many(applying, group)
            for one, event in one_by_one:
                await one(applying, event)

        return apply_all
