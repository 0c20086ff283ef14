"""The trust list: which nodes form the community, which countries each has authority over,
their federation public keys (with validity, so keys rotate without invalidating old events)
and their gateway URLs. Format: docs/federation.md.

`TrustList.check` is the gate every replicated event passes before it is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.events import CloudEvent
from shared.settings import COUNTRY_PATTERN, NODE_ID_PATTERN
from shared.signing import node_of_key_id, signature_key_id, verify_detached


class DuplicateKeyError(yaml.constructor.ConstructorError, ValueError):
    """A YAML mapping that names the same key twice."""


class _StrictLoader(yaml.SafeLoader):
    """`yaml.safe_load`, except that a mapping naming a key twice is an error: by default the
    last one silently wins, and a trust list edited by hand must not change meaning that way."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise DuplicateKeyError(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key {key!r} appears twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[arg-type]


def load_yaml_strict(text: str) -> Any:
    """Parse YAML (or JSON) safely, refusing a mapping with a duplicated key."""
    return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass


class TrustedKey(BaseModel):
    """One federation public key of a node."""

    model_config = ConfigDict(extra="forbid")

    kid: str = Field(description="`<node>:<version>`", examples=["my:1"])
    public_key: str = Field(description="PEM of the Ed25519 public key.")
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    def valid_at(self, moment: datetime) -> bool:
        if self.valid_from is not None and moment < self.valid_from:
            return False
        return self.valid_to is None or moment < self.valid_to


class TrustedNode(BaseModel):
    """A member node as the trust list names it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=NODE_ID_PATTERN)
    name: str | None = None
    countries: list[str]
    gateway_url: str | None = None
    keys: list[TrustedKey] = Field(default_factory=list)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        upper = [code.upper() for code in value]
        for code in upper:
            if not COUNTRY_PATTERN.match(code):
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        return upper


class PublicNode(BaseModel):
    """What `/v1/federation/nodes` shows of a node."""

    id: str
    name: str | None
    countries: list[str]
    gateway_url: str | None
    keys: list[TrustedKey]


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a replicated event: accepted, or why not."""

    accepted: bool
    reason: str = ""
    signer: str | None = None
    # A bounded name for the reason, fit for a metric label (the reason itself names keys).
    code: str = ""


class TrustList(BaseModel):
    """The community's trust list."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    nodes: list[TrustedNode]

    @model_validator(mode="after")
    def _unique(self) -> TrustList:
        """One entry per node, and a key (by id or by value) belongs to one entry only: a
        second entry for a node, or a key listed twice, is an error, never a silent choice."""
        seen: dict[str, set[str]] = {"node id": set(), "key id": set(), "public key": set()}
        for node in self.nodes:
            values = [("node id", node.id)]
            values += [("key id", key.kid) for key in node.keys]
            values += [("public key", key.public_key.strip()) for key in node.keys]
            for kind, value in values:
                if value in seen[kind]:
                    shown = value if kind != "public key" else f"of {node.id}"
                    raise ValueError(f"the trust list names the {kind} {shown} twice")
                seen[kind].add(value)
        return self

    @classmethod
    def load(cls, path: Path) -> TrustList:
        return cls.model_validate(load_yaml_strict(path.read_text(encoding="utf-8")))

    def dump(self, path: Path) -> None:
        path.write_text(
            "# edunode trust list: see docs/federation.md\n"
            + yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )

    def node(self, node_id: str) -> TrustedNode | None:
        return next((node for node in self.nodes if node.id == node_id), None)

    def peers_of(self, node_id: str) -> list[TrustedNode]:
        return [node for node in self.nodes if node.id != node_id]

    def public_nodes(self) -> list[PublicNode]:
        return [PublicNode.model_validate(node.model_dump()) for node in self.nodes]

    def check(
        self,
        event: CloudEvent,
        payload: bytes,
        signature: str | None,
        *,
        authority_country: str | None,
    ) -> Verdict:
        """Accept an event only if its signature verifies with a key of its origin node valid
        at the event's time, and (for country-bound records) the origin has authority over
        the record's country."""
        if not signature:
            return Verdict(False, "unsigned event", code="unsigned")
        kid = signature_key_id(signature)
        if kid is None:
            return Verdict(False, "malformed signature", code="malformed_signature")
        signer_id = node_of_key_id(kid)
        signer = self.node(signer_id)
        if signer is None:
            return Verdict(False, f"unknown signer node {signer_id!r}", code="unknown_signer")
        key = next((k for k in signer.keys if k.kid == kid), None)
        if key is None:
            return Verdict(False, f"unknown key id {kid!r}", signer_id, "unknown_key")
        if not key.valid_at(event.time):
            return Verdict(
                False,
                f"key {kid!r} was not valid at {event.time.isoformat()}",
                signer_id,
                "key_not_valid",
            )
        if not verify_detached(signature, payload, key.public_key.encode()):
            return Verdict(False, f"bad signature for key {kid!r}", signer_id, "bad_signature")
        if signer_id != event.originnode:
            return Verdict(
                False,
                f"signed by {signer_id!r} but claims origin {event.originnode!r}",
                signer_id,
                "origin_mismatch",
            )
        if authority_country is not None and authority_country.upper() not in signer.countries:
            return Verdict(
                False,
                f"node {signer_id!r} has no authority over country {authority_country.upper()!r}",
                signer_id,
                "no_authority",
            )
        return Verdict(True, signer=signer_id)
