"""Reading this node's other services over HTTP, as a credential is issued from what they
record: an answer is a JSON object, a 404 is the caller's mistake (a 422: the thing named
does not exist), and silence or a failure is a 503 — never a guess."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from shared.errors import Forbidden, ServiceUnavailable, Unprocessable

ModelT = TypeVar("ModelT", bound=BaseModel)


async def fetch(
    base_url: str | None,
    path: str,
    *,
    service: str,
    timeout: float,
    missing: str,
    authorization: str | None = None,
) -> dict[str, Any]:
    """GET `path` of `service` at `base_url`: its JSON object. `missing` says what a 404
    means to the caller."""
    if base_url is None:
        raise ServiceUnavailable(f"no {service} service is configured on this node")
    headers = {"Authorization": authorization} if authorization else {}
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(base_url.rstrip("/") + path, headers=headers)
    except httpx.HTTPError as error:
        raise ServiceUnavailable(f"the {service} service did not answer: {error}") from None
    if response.status_code == 404:
        raise Unprocessable(missing)
    if response.status_code in (401, 403):
        raise Forbidden(f"the {service} service refused the caller ({response.status_code})")
    if response.status_code != 200:
        raise ServiceUnavailable(f"the {service} service answered {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ServiceUnavailable(f"the {service} service's answer was not understood")
    return body


async def fetch_as(
    model: type[ModelT],
    base_url: str | None,
    path: str,
    *,
    service: str,
    timeout: float,
    missing: str,
    authorization: str | None = None,
) -> ModelT:
    """`fetch`, read as `model`: an answer without what is needed is the service's fault
    (503), never a half-made credential."""
    body = await fetch(
        base_url,
        path,
        service=service,
        timeout=timeout,
        missing=missing,
        authorization=authorization,
    )
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise ServiceUnavailable(
            f"the {service} service's answer lacks what is needed: {error.error_count()} "
            "field(s) missing or malformed"
        ) from None
