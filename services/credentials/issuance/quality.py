"""Evidence of an institution's QA status at the award date, asked of the node's quality
service over HTTP (`GET /v1/quality/status`): what it said is recorded, and so is its silence."""

from __future__ import annotations

import time
import uuid
from datetime import date

import httpx

from services.credentials.issuance.schemas import QualityEvidence
from services.credentials.settings import CredentialsSettings

# Loading the CA bundle costs a new client ~25 ms of CPU: once per process, not per diploma.
_TLS = httpx.create_ssl_context()
# What the quality service said, kept a minute per (service, institution, date): a batch of a
# graduation's diplomas shares a few award dates. Silence and errors are never kept.
_KEEP_SECONDS = 60.0
_kept: dict[tuple[str, uuid.UUID, date], tuple[float, QualityEvidence]] = {}


async def qa_status_at(
    settings: CredentialsSettings, institution_id: uuid.UUID, day: date
) -> QualityEvidence:
    if settings.quality_url is None:
        return QualityEvidence(status="unknown", at=day, note="no quality service configured")
    url = settings.quality_url.rstrip("/") + "/v1/quality/status"
    now = time.monotonic()
    kept = _kept.get((url, institution_id, day))
    if kept is not None and kept[0] > now:
        return kept[1]
    evidence = await _ask(settings, url, institution_id, day)
    if evidence.status != "unknown":
        if len(_kept) >= 10_000:
            _kept.clear()
        _kept[(url, institution_id, day)] = (now + _KEEP_SECONDS, evidence)
    return evidence


async def _ask(
    settings: CredentialsSettings, url: str, institution_id: uuid.UUID, day: date
) -> QualityEvidence:
    try:
        async with httpx.AsyncClient(timeout=settings.quality_timeout, verify=_TLS) as client:
            response = await client.get(
                url, params={"institution": str(institution_id), "at": day.isoformat()}
            )
    except httpx.HTTPError as error:
        return QualityEvidence(
            status="unknown", at=day, note=f"the quality service did not answer: {error}"
        )
    if response.status_code != 200:
        return QualityEvidence(
            status="unknown",
            at=day,
            note=f"the quality service answered {response.status_code}",
        )
    try:
        body = response.json()
        return QualityEvidence(
            status=str(body["status"]),
            at=day,
            evaluations=[str(e["id"]) for e in body.get("evaluations", [])],
        )
    except (ValueError, KeyError, TypeError):
        return QualityEvidence(
            status="unknown", at=day, note="the quality service's answer was not understood"
        )
