"""What `/v1/federation/*` shows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.federation import RecordDigest
from shared.trust import PublicNode


class NodeList(BaseModel):
    """The trust list's public parts: every member node, its countries, keys and gateway."""

    node: str = Field(description="The node answering.")
    items: list[PublicNode]


class PeerStatus(BaseModel):
    id: str
    connected: bool = Field(description="Its JetStream domain answers through the hub now.")
    last_event_at: datetime | None = Field(
        description="Time of the newest of its events applied here."
    )
    source_lag: int | None = Field(
        description="Its events not yet copied into this node's replica stream."
    )
    quarantined: int = Field(description="Its events refused here (signature, authority, replay).")


class FederationStatus(BaseModel):
    """How this node stands in the federation. Compare `records` between nodes: equal counts
    and checksums mean the same records at the same versions."""

    node: str
    peers: list[PeerStatus]
    events_pending: int = Field(
        description="Peers' events in the replica stream not yet applied by this node's services."
    )
    quarantined: int
    records: dict[str, RecordDigest]
    unavailable_services: list[str] = Field(
        default_factory=list, description="Services that did not answer; their records are missing."
    )
