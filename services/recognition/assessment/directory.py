"""The node's directory matcher, asked over HTTP: a free-text institution name in a case is
resolved by the institutions service's `/v1/institutions/match` (one engine, one index per
node), so that the assessment names the institution the directory names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

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
    """The node's directory, asked over HTTP by one client for the process's life: the
    runtime's `Work` in every process, which the assessment's routes find by its type."""

    url: str | None
    timeout: float = 5.0
    client: httpx.AsyncClient | None = field(init=False, default=None)
    in_every_process = True

    def start(self) -> None:
        if self.url is not None:
            self.client = httpx.AsyncClient(base_url=self.url, timeout=httpx.Timeout(self.timeout))

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None

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
