"""The verifying node's own answer to "was the awarding institution quality assured at the award
date?": its quality service's `GET /v1/quality/status`, which rests on the evaluations every
node publishes (replicated here), so it answers with the issuing node unreachable. Asked over
one HTTP client for the process's life (the runtime's `Work`, found by its type)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import httpx


@dataclass(frozen=True)
class QualityAnswer:
    status: str | None  # None: not known (with the reason in `note`)
    note: str | None = None


@dataclass
class QualityLookup:
    url: str | None
    timeout: float = 5.0
    client: httpx.AsyncClient | None = field(init=False, default=None)
    in_every_process = True

    def start(self) -> None:
        if self.url is not None:
            self.client = httpx.AsyncClient(
                base_url=self.url.rstrip("/"), timeout=httpx.Timeout(self.timeout)
            )

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None

    async def status_at(self, institution_id: uuid.UUID, day: date) -> QualityAnswer:
        if self.client is None:
            return QualityAnswer(None, "this node has no quality service configured")
        try:
            response = await self.client.get(
                "/v1/quality/status",
                params={"institution": str(institution_id), "at": day.isoformat()},
            )
        except httpx.HTTPError as error:
            return QualityAnswer(None, f"this node's quality service did not answer: {error!r}")
        if response.status_code != 200:
            return QualityAnswer(
                None, f"this node's quality service answered {response.status_code}"
            )
        try:
            return QualityAnswer(str(response.json()["status"]))
        except (ValueError, KeyError, TypeError):
            return QualityAnswer(None, "this node's quality service's answer was not understood")
