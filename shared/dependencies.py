"""FastAPI dependencies every service uses: its runtime, one database session per request,
the publisher of its events (stamped with the request's trace), and version preconditions
(ETag / If-Match)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from shared.audit import bind_request
from shared.errors import PreconditionFailed, PreconditionRequired
from shared.idempotency import UNIT_OF_WORK
from shared.publisher import Publisher
from shared.runtime import ServiceRuntime
from shared.unit_of_work import UnitOfWork


def runtime_of(request: Request) -> ServiceRuntime[Any]:
    """The service's runtime, from the lifespan state (`shared.web.RuntimeState`)."""
    runtime: ServiceRuntime[Any] = request.state.runtime
    return runtime


# Every dependency is a coroutine function, even one that only reads the request: FastAPI runs
# a plain function in its thread pool, a hand-over to another thread and back for each
# request, and under load each hand-over waits for the GIL (the QA status took 2.8 ms of CPU
# per request with three such dependencies, 1.8 ms without).


async def runtime_dependency(request: Request) -> ServiceRuntime[Any]:
    """`runtime_of` as a dependency. A service names its own settings type:
    `Annotated[ServiceRuntime[XSettings], Depends(runtime_dependency)]`."""
    return runtime_of(request)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The session of the request's unit of work (`shared/unit_of_work.py`). The unit commits
    when the endpoint returned without error, before the response is sent (scope="function"),
    so a failed commit becomes an error response; `unit_of(session).after_commit(...)`
    registers what must follow the commit.

    A POST with an `Idempotency-Key` runs in the unit of work of `IdempotencyMiddleware`,
    which commits it together with the stored response (still before the response is sent).
    Either way the session's writes are audited as the request's caller's."""
    state = request.scope.setdefault("state", {})
    unit: UnitOfWork | None = state.get(UNIT_OF_WORK)
    if unit is not None:
        bind_request(unit.session, state)
        yield unit.session
        return
    async with runtime_of(request).database.unit_of_work() as unit:
        bind_request(unit.session, state)
        yield unit.session


def traceparent_of(request: Request) -> str | None:
    traceparent: str | None = getattr(request.state, "traceparent", None)
    return traceparent


async def get_traceparent(request: Request) -> str | None:
    return traceparent_of(request)


async def get_publisher(request: Request) -> Publisher:
    """The service's publisher, continuing the request's trace in the events it writes."""
    return runtime_of(request).publisher.traced(traceparent_of(request))


RuntimeDep = Annotated[ServiceRuntime[Any], Depends(runtime_dependency)]
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
TraceparentDep = Annotated[str | None, Depends(get_traceparent)]
PublisherDep = Annotated[Publisher, Depends(get_publisher)]


def etag_for(version: int, variant: str | None = None) -> str:
    """The ETag of a record's version; `variant` tells apart reads of one version that show
    different derived facts (`"3-5f0c1a2b"`). If-Match looks at the version only."""
    return f'"{version}-{variant}"' if variant else f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


async def required_version(
    if_match: Annotated[
        str | None,
        Header(
            description='The ETag of the version being changed (e.g. `"3"`); a stale one is '
            "refused with 412.",
            max_length=64,
        ),
    ] = None,
) -> int:
    """The version named by `If-Match` (428 without it, 412 when it names no version)."""
    if if_match is None:
        raise PreconditionRequired("send If-Match with the ETag of the version you are changing")
    tag = if_match.strip().removeprefix("W/").strip('"').split("-", 1)[0]
    if not tag.isdigit():
        raise PreconditionFailed(f"If-Match {if_match!r} names no version of this record")
    return int(tag)


IfMatchVersion = Annotated[int, Depends(required_version)]
