"""Asking this node's directory for an institution quality's copy does not know yet.

The quality service learns institutions from the directory's events, a moment after they are
written: without asking, a QA result uploaded right after its institution was created would be
refused as naming an unknown institution although the institution exists. So an institution
named by id and missing from its copy is looked up at the institutions service
(`GET /v1/institutions/{id}`, or `…/by-identifier/{resource}/{value}` for one named by
an identifier of a given registry; public); what it answers is applied to its copy by
version, exactly as its event will be (which is then ignored as not newer). A 404 there means
the institution really is unknown; no answer means "cannot tell yet" (409 with Retry-After
for a single submission).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from services.quality.institutions.schemas import InstitutionState

TIMEOUT_SECONDS = 3.0
RETRY_AFTER_SECONDS = 2


class DirectoryUnavailable(Exception):
    """The institutions service did not give an answer that settles whether the id exists."""


async def fetch_institution(
    base_url: str, institution_id: uuid.UUID, *, timeout: float = TIMEOUT_SECONDS
) -> tuple[InstitutionState, int] | None:
    """The directory's state and version of `institution_id`, or None if it has no such
    institution."""
    return await _fetch(f"{base_url.rstrip('/')}/v1/institutions/{institution_id}", timeout)


async def fetch_institution_by_identifier(
    base_url: str, resource: str, value: str, *, timeout: float = TIMEOUT_SECONDS
) -> tuple[InstitutionState, int] | None:
    """The directory's institution with this identifier (`ror`, `https://ror.org/…`), or None
    if it has none."""
    path = f"/v1/institutions/by-identifier/{quote(resource.lower(), safe='')}/{quote(value)}"
    return await _fetch(base_url.rstrip("/") + path, timeout)


async def _fetch(url: str, timeout: float) -> tuple[InstitutionState, int] | None:
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        raise DirectoryUnavailable(f"{url}: {error!r}") from error
    if response.status_code in (404, 422):  # none such; an identifier of an unknown shape
        return None
    if response.status_code != 200:
        raise DirectoryUnavailable(f"{url}: HTTP {response.status_code}")
    try:
        body = response.json()
        return InstitutionState.model_validate(body), int(body["version"])
    except (ValueError, KeyError, TypeError, ValidationError) as error:
        raise DirectoryUnavailable(f"{url}: unreadable answer ({error})") from error
