"""The node's directory matcher, asked over HTTP: a free-text institution name in a case is
resolved by the institutions service's `/v1/institutions/match` (one engine, one index per
node), so that the assessment names the institution the directory names."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from shared.errors import ServiceUnavailable

CANDIDATES = 5


@dataclass(frozen=True)
class DirectoryCandidate:
    """One candidate of the directory's answer: `chosen` only when the directory is confident."""

    institution_id: str
    name: str
    country: str
    score: float  # 0..1, as the directory scores
    chosen: bool


@dataclass
class DirectoryMatcher:
    client: httpx.AsyncClient | None

    async def match(self, text: str) -> tuple[DirectoryCandidate, ...]:
        """The directory's ranked candidates for `text` (503 if it cannot be asked)."""
        if self.client is None:
            raise ServiceUnavailable(
                "this node's directory is not configured (EDUNODE_RECOGNITION_INSTITUTIONS_URL): "
                "a free-text institution name cannot be matched; name the institution by its id"
            )
        try:
            response = await self.client.get(
                "/v1/institutions/match", params={"affiliation": text, "limit": CANDIDATES}
            )
        except httpx.HTTPError as error:
            raise ServiceUnavailable(
                f"this node's directory did not answer ({type(error).__name__}); retry shortly"
            ) from None
        if response.status_code != 200:
            raise ServiceUnavailable(
                f"this node's directory answered {response.status_code} to a match; retry shortly"
            )
        items: list[dict[str, Any]] = response.json()["items"]
        return tuple(
            DirectoryCandidate(
                institution_id=str(item["institution"]["id"]),
                name=str(item["institution"]["name"]),
                country=str(item["institution"]["country"]),
                score=float(item["score"]),
                chosen=bool(item["chosen"]),
            )
            for item in items
        )


@asynccontextmanager
async def directory_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One HTTP client to the directory for the app's life (started after the runtime)."""
    settings = app.state.runtime.settings
    url = getattr(settings, "institutions_url", None)
    if url is None:
        app.state.directory_matcher = DirectoryMatcher(None)
        yield
        return
    timeout = httpx.Timeout(settings.directory_timeout)
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        app.state.directory_matcher = DirectoryMatcher(client)
        yield
