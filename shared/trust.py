"""The trust list: which nodes form the community, which countries each has authority over,
their federation public keys (with validity, so keys rotate without invalidating old events)
and their gateway URLs. Format: docs/federation.md.

`TrustList.check` is the gate every replicated event passes before it is applied.

A governed list also names the community secretariat's keys and travels signed: a compact JWS
(RFC 7515) whose payload is the list as JSON, signed by a secretariat key (`sign`,
`SignedTrustList`). `TrustList.load` reads either form; how a node takes a newer signed list
while it runs is shared/trust_follow.py.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from shared.events import CloudEvent
from shared.settings import COUNTRY_PATTERN, NODE_ID_PATTERN
from shared.signing import NodeSigner, node_of_key_id, signature_key_id, verify_detached

# The owner part of the secretariat's key ids (`secretariat:<version>`): never a node id, which
# is a country code, so a secretariat key can never pass for a node's.
SECRETARIAT = "secretariat"
_KEY_ID = re.compile(r"^[a-z][a-z0-9-]*:[1-9][0-9]*$")


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

    @field_validator("kid")
    @classmethod
    def _kid(cls, value: str) -> str:
        if not _KEY_ID.match(value):
            raise ValueError(f"{value!r} is not a key id `<owner>:<version>` (e.g. my:1)")
        return value

    @field_validator("public_key")
    @classmethod
    def _public_key(cls, value: str) -> str:
        """A PEM Ed25519 public key, nothing else: a key that cannot verify anything must not
        enter the list, where it would pass for a member's key."""
        try:
            key = serialization.load_pem_public_key(value.strip().encode())
        except (ValueError, TypeError):
            raise ValueError("the public key is not a PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("the public key is not an Ed25519 key")
        return value

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

    @model_validator(mode="after")
    def _own_keys(self) -> TrustedNode:
        for key in self.keys:
            if node_of_key_id(key.kid) != self.id:
                raise ValueError(f"the key {key.kid!r} is not named after its node {self.id!r}")
        return self

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

    version: int = Field(default=1, ge=1)
    # When the secretariat signed this version (a governed list).
    issued_at: datetime | None = None
    # The keys that sign the governed list's next versions (`secretariat:<version>`); empty
    # for a list that is only a file.
    secretariat: list[TrustedKey] = Field(default_factory=list)
    nodes: list[TrustedNode]

    @field_validator("secretariat")
    @classmethod
    def _secretariat_keys(cls, value: list[TrustedKey]) -> list[TrustedKey]:
        for key in value:
            if node_of_key_id(key.kid) != SECRETARIAT:
                raise ValueError(f"the secretariat's key {key.kid!r} is not `secretariat:<n>`")
        return value

    @model_validator(mode="after")
    def _unique(self) -> TrustList:
        """One entry per node, and a key (by id or by value) belongs to one entry only: a
        second entry for a node, or a key listed twice, is an error, never a silent choice."""
        seen: dict[str, set[str]] = {"node id": set(), "key id": set(), "public key": set()}
        owners: list[tuple[str, list[TrustedKey], str | None]] = [
            (SECRETARIAT, self.secretariat, None)
        ]
        owners += [(node.id, node.keys, node.id) for node in self.nodes]
        for owner, keys, node_id in owners:
            values = [("node id", node_id)] if node_id is not None else []
            values += [("key id", key.kid) for key in keys]
            values += [("public key", key.public_key.strip()) for key in keys]
            for kind, value in values:
                if value in seen[kind]:
                    shown = value if kind != "public key" else f"of {owner}"
                    raise ValueError(f"the trust list names the {kind} {shown} twice")
                seen[kind].add(value)
        return self

    @classmethod
    def load(cls, path: Path) -> TrustList:
        """The list in `path`: YAML (or JSON), or a signed list (`edunode trust sign`), which
        must verify with a secretariat key it names itself (the node's operator installed it
        as the community's; later versions must verify with the keys of the one before)."""
        text = path.read_text(encoding="utf-8")
        if is_signed_text(text):
            return SignedTrustList.parse(text).self_verified()
        return cls.model_validate(load_yaml_strict(text))

    def dump(self, path: Path) -> None:
        document = self.model_dump(mode="json")
        if not self.governed:  # a list that is only a file reads as before
            del document["secretariat"], document["issued_at"]
        path.write_text(
            "# edunode trust list: see docs/federation.md\n"
            + yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )

    @property
    def governed(self) -> bool:
        """Whether the list names secretariat keys: it then follows the signed versions the
        federation distributes (shared/trust_follow.py)."""
        return bool(self.secretariat)

    def secretariat_key(self, kid: str, at: datetime) -> TrustedKey | None:
        """The secretariat's key `kid`, if the list names it and it is valid `at`."""
        key = next((key for key in self.secretariat if key.kid == kid), None)
        return key if key is not None and key.valid_at(at) else None

    def adopt(self, newer: TrustList) -> None:
        """Become `newer`, in place: every check that holds this list (the consumers' guards,
        the direct messages' sender and guard, the authority checks) sees the new version from
        its next call, without being rebuilt."""
        for name in type(self).model_fields:
            setattr(self, name, getattr(newer, name))

    def sign(self, signer: NodeSigner) -> str:
        """The list as a compact JWS signed with the secretariat's `signer`."""
        payload = orjson.dumps(self.model_dump(mode="json"))
        detached = signer.sign(payload)
        header, _, signature = detached.partition("..")
        return f"{header}.{_b64url(payload)}.{signature}"

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


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def is_signed_text(text: str) -> bool:
    """Whether `text` looks like a compact JWS (three base64url parts), not YAML."""
    return re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", text.strip()) is not None


class SignedListError(ValueError):
    """A signed trust list that cannot be taken; `code` names the reason for a metric label."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class SignedTrustList:
    """A signed trust list as received: its signing key id, the document (read, not yet
    validated) and the signature, checked against the keys of whichever list decides."""

    token: str
    kid: str
    document: Any

    @classmethod
    def parse(cls, token: str) -> SignedTrustList:
        token = token.strip()
        kid = signature_key_id(_detached(token)) if is_signed_text(token) else None
        if kid is None:
            raise SignedListError("malformed", "not a signed trust list (compact JWS with a kid)")
        try:
            payload = base64.urlsafe_b64decode(token.split(".")[1] + "==")
            document = orjson.loads(payload)
        except (ValueError, binascii.Error, orjson.JSONDecodeError):
            raise SignedListError("malformed", "the signed payload is not JSON") from None
        return cls(token, kid, document)

    @property
    def version(self) -> int | None:
        version = self.document.get("version") if isinstance(self.document, dict) else None
        return version if isinstance(version, int) else None

    def verifies_with(self, key: TrustedKey) -> bool:
        payload = base64.urlsafe_b64decode(self.token.split(".")[1] + "==")
        return verify_detached(_detached(self.token), payload, key.public_key.encode())

    def trust_list(self) -> TrustList:
        """The document as a trust list; `malformed_key` when an entry's key is not a key,
        `invalid` for anything else wrong."""
        try:
            return TrustList.model_validate(self.document)
        except ValidationError as error:
            keyed = any(
                "keys" in detail["loc"] or "secretariat" in detail["loc"]
                for detail in error.errors()
            )
            raise SignedListError(
                "malformed_key" if keyed else "invalid", f"not a valid trust list: {error}"
            ) from None

    def self_verified(self, at: datetime | None = None) -> TrustList:
        """The list, verified with the secretariat key it names itself (a node's first list,
        installed by its operator)."""
        trust = self.trust_list()
        key = trust.secretariat_key(self.kid, at or datetime.now(UTC))
        if key is None or not self.verifies_with(key):
            raise SignedListError(
                "bad_signature", f"not signed by a valid secretariat key it names ({self.kid!r})"
            )
        return trust


def _detached(token: str) -> str:
    header, _, rest = token.partition(".")
    return f"{header}..{rest.partition('.')[2]}"
