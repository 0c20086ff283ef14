"""What the credentials service's events carry: `credentials.status_list.updated`, a node's
whole revocation or suspension status list (W3C Bitstring Status List 1.0), public and free of
personal data: only bits, never who they belong to (docs/credentials.md)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class StatusListState(BaseModel):
    """`credentials.status_list.updated`: a status list's whole state."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    origin_node: str = Field(description="The node that issued the credentials it covers.")
    purpose: str = Field(
        default="revocation",
        max_length=16,
        examples=["revocation", "suspension"],
        description="The list's `statusPurpose`: `revocation` (final) or `suspension` "
        "(reversible).",
    )
    size: int = Field(gt=0, le=16 * 1024 * 1024, description="Entries (bits) in the list.")
    encoded_list: str = Field(
        max_length=2_000_000,
        description="Multibase base64url (`u` prefix) of the GZIP-compressed bitstring, "
        "as the spec's `encodedList`.",
    )
    updated_at: datetime
