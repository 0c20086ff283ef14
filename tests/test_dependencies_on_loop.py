"""Every route's endpoint and every dependency it draws on is a coroutine function (or an
async generator, or an object whose `__call__` is one). FastAPI runs anything else in its
thread pool: one hand-over to another thread and back per dependency per request, and under
load each hand-over waits for the GIL (`shared/dependencies.py`)."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi.dependencies.models import Dependant

from edunode.sdk import service_apps
from tests.support.routes import api_routes


def _on_the_loop(call: Any) -> bool:
    if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return True
    if inspect.isfunction(call) or not callable(call):
        return False
    method = type(call).__call__  # an instance used as a dependency (HTTPBearer)
    return inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(method)


def _calls(dependant: Dependant) -> list[Any]:
    calls = [dependant.call] if dependant.call is not None else []
    for dependency in dependant.dependencies:
        calls += _calls(dependency)
    return calls


ROUTES = [
    (service, route) for service, app in service_apps().items() for route in api_routes(app.routes)
]


def test_the_routes_are_found() -> None:
    assert {service for service, _ in ROUTES} == {
        "gateway", "institutions", "quality", "recognition", "credentials", "mobility",
    }  # fmt: skip
    assert len(ROUTES) > 100


def test_nothing_a_route_calls_runs_in_the_thread_pool() -> None:
    off_the_loop = {
        f"{service} {sorted(route.methods or [])[0]} {route.path}: "
        + getattr(call, "__qualname__", repr(call))
        for service, route in ROUTES
        for call in _calls(route.dependant)
        if not _on_the_loop(call)
    }
    assert sorted(off_the_loop) == []
