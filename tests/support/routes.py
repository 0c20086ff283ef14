"""The API routes of an app, its included routers' too."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every `APIRoute` among `routes` (an app's `routes`), looking into included routers."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # an included router
            found += api_routes(route.original_router.routes)
    return found
