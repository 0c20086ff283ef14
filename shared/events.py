"""The event envelope: CloudEvents 1.0 in structured JSON mode (BRIEF §4).

`type` is `<service>.<aggregate>.<event>.v<major>`; the NATS subject is
`evt.<origin>.<service>.<aggregate>.<event>`, so a subscriber can select by origin, service,
aggregate or event with subject wildcards. The payload bytes are fixed when the event is written
to the outbox, so a signature made over them stays valid wherever the event travels.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from shared.db import new_id, utcnow
from shared.tracing import current_traceparent

SPEC_VERSION = "1.0"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event with edunode's extensions."""

    model_config = ConfigDict(frozen=True)

    specversion: str = SPEC_VERSION
    id: str = Field(description="UUIDv7; also the `Nats-Msg-Id` used for de-duplication.")
    source: str = Field(description="`/nodes/<node>/<service>`")
    type: str = Field(description="`<service>.<aggregate>.<event>.v<major>`")
    subject: str = Field(description="The id of the record the event is about.")
    time: datetime
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    originnode: str
    aggregateversion: int = Field(ge=1)
    traceparent: str | None = None
    # Set on a direct message only (shared/direct.py): the one node it is for, under the
    # sender's signature, so a copy shown to any other node is refused there.
    recipientnode: str | None = None

    @property
    def service(self) -> str:
        return self.type.split(".")[0]

    @property
    def aggregate(self) -> str:
        return self.type.split(".")[1]

    @property
    def action(self) -> str:
        return self.type.split(".")[2]

    @property
    def nats_subject(self) -> str:
        return f"evt.{self.originnode}.{self.service}.{self.aggregate}.{self.action}"

    def to_bytes(self) -> bytes:
        """The exact bytes that are stored, signed and published."""
        return orjson.dumps(self.model_dump(mode="json", exclude_none=True))

    @classmethod
    def from_bytes(cls, payload: bytes) -> CloudEvent:
        return cls.model_validate_json(payload)


def new_event(
    *,
    node: str,
    service: str,
    aggregate: str,
    action: str,
    subject: str,
    data: dict[str, Any],
    version: int,
    major: int = 1,
    traceparent: str | None = None,
) -> CloudEvent:
    """Build an event originating at this node. Without a `traceparent` it continues the
    span the task works in, if any: an event a consumer's handler writes stays in the trace of
    the event being applied (`shared.tracing.within`)."""
    for part in (service, aggregate, action):
        if not _NAME.match(part):
            raise ValueError(f"invalid event name part {part!r}")
    return CloudEvent(
        id=str(new_id()),
        source=f"/nodes/{node}/{service}",
        type=f"{service}.{aggregate}.{action}.v{major}",
        subject=subject,
        time=utcnow(),
        data=data,
        originnode=node,
        aggregateversion=version,
        traceparent=traceparent or current_traceparent(),
    )


def node_stream_name(node: str) -> str:
    """The JetStream stream holding the events a node originates."""
    return "EVT_" + node.upper().replace("-", "_")


def node_subjects(node: str) -> str:
    return f"evt.{node}.>"


def node_subject_prefix(node: str) -> str:
    """What every subject of `node`'s events starts with. The node's own stream holds only
    these and its replica stream none of them, so an event refused under this prefix was found
    in the node's own stream."""
    return f"evt.{node}."


def replica_stream_name(node: str) -> str:
    """The stream at `node` that sources every peer's own stream (peers' events only)."""
    return "REPLICA_" + node.upper().replace("-", "_")
