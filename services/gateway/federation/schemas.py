"""What `/v1/federation/*` shows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.federation import Divergence, RecordDigest
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
    and checksums mean the same records at the same versions; within the node, every
    service's copy of a record type must match the type (`divergent` lists those that do
    not)."""

    node: str
    peers: list[PeerStatus]
    events_pending: int = Field(
        description="Peers' events in the replica stream not yet applied by this node's services."
    )
    quarantined: int = Field(description="The peers' events refused here.")
    own_stream_refused: int = Field(
        description="Events found in this node's own stream that it did not sign (or that "
        "failed their checks), quarantined: someone wrote into the node's stream. An alarm."
    )
    records: dict[str, RecordDigest] = Field(
        description="Per record type, and per service's copy of it (`<type>@<service>`)."
    )
    divergent: list[Divergence] = Field(
        description="Copies that differ from their record type here. Transient while events "
        "are pending; otherwise a replica was changed behind the events' back: "
        "`edunode federation resync` rebuilds it from the owner's signed records."
    )
    unavailable_services: list[str] = Field(
        default_factory=list, description="Services that did not answer; their records are missing."
    )
