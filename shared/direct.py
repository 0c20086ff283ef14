"""Direct messages: node A sends a signed message to node B, and to B only.

Public records replicate to every node (`EVT_<NODE>` sourced into the hub's `FED_EVENTS`, and
that into every `REPLICA_<PEER>`);
personal data (a student on mobility, a question about a graduate) must not. A direct
message takes the house's one way, narrowed to one recipient:

- at A, `DirectSender.send` writes it to the service's **outbox** in the caller's transaction
  (the change and its message commit together or not at all), with the subject
  `direct.<A>.<B>.<service>.<aggregate>.<action>`; the outbox relay signs it with A's
  federation key and publishes it into A's stream `DIRECT_<A>` (subjects `direct.<A>.>`);
- the hub's stream `FED_DIRECT` **sources** every node's `DIRECT_<NODE>` with the filter
  `direct.<node>.>` (so a node can put there only what it sends itself), its deliveries under
  the hub's own prefix `$JSD.hub`, which no node's link receives; at B, the stream `INBOX_<B>`
  sources `FED_DIRECT` with the filter `direct.*.<B>.>`, so only what is addressed to B leaves
  the hub, and only towards B: the deliveries use B's own delivery prefix (`$JSD.<B>`), which
  the hub passes to B's link alone (`jetstream_sourcing_permissions` in edunode/natsserver.py),
  and the hub lets a node create a sourcing consumer on `FED_DIRECT` only with the filter
  addressed to it. The hub holds every message sealed (below): never plaintext personal data;
- a `DirectSubscription` at B reads `INBOX_<B>` through a durable pull consumer (inbox,
  quarantine, dead letters: shared/inbox.py) and applies each message through the service's
  `EventRoutes` (`apply_<aggregate>_<action>`), once it passed the check: signature valid
  with a key of its origin node in the trust list, addressed to B (`recipientnode`, under
  the signature), and its subject naming the same sender, recipient and type. Anything else
  is quarantined, never applied.

A service uses it so (the routes are its `events.py`'s, the types its own service's):

    runtime = ServiceRuntime(..., routes=routes,
                             direct=[DirectSubscription("partners")])
    await DirectSender.of(runtime).send(session, to="my", type="nomination.sent",
                                        subject=nomination_id, data={...})

    @routes.applies("mobility.nomination.sent")
    async def apply_nomination_sent(applying, event): ...  # event.originnode: the sender

Either side may be down: A's outbox keeps the message until A's broker takes it, A's stream
keeps it until B's inbox stream has sourced it, and B's consumer applies it when B is back.

A message is a CloudEvent (`shared/events.py`) with `recipientnode` set, whose `data` is
**encrypted to B**: `{"jwe": <compact JWE>}` (RFC 7516, `ECDH-ES+A256KW` / `A256GCM`, joserfc)
for the X25519 form of B's federation key named in the trust list (libsodium's
`crypto_sign_ed25519_pk_to_curve25519`, through PyNaCl, as age's ssh-ed25519 recipients do),
then signed by A over those bytes. So the content can be read at A (before it is sealed) and
at B only: not by the hub's process passing it on, nor from any stream — B's
consumer opens it just before applying it, and its handlers see the plain `data`.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from nacl.bindings import (
    crypto_sign_ed25519_pk_to_curve25519,
    crypto_sign_ed25519_sk_to_curve25519,
)
from nats.aio.msg import Msg
from nats.js.api import ExternalStream, StreamConfig, StreamSource
from pydantic import ValidationError
from sqlalchemy import insert
from sqlalchemy.event import listen
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared.bus import StreamSpec
from shared.db import new_id, utcnow
from shared.events import CloudEvent
from shared.inbox import EventConsumer, EventGuard, EventHandler, PermanentEventError
from shared.publisher import Publisher
from shared.signing import SIGNATURE_HEADER, key_id
from shared.trust import TrustedKey, TrustList, Verdict
from shared.trust_governance import HUB_DOMAIN

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

DIRECT_PREFIX = "direct"
# On the hub: the stream aggregating every node's direct messages, and the prefix its
# sourcing deliveries come under (no node's link receives it).
HUB_DIRECT_STREAM = "FED_DIRECT"
HUB_DIRECT_DELIVERY = f"$JSD.{HUB_DOMAIN}"


def _upper(node: str) -> str:
    return node.upper().replace("-", "_")


def direct_stream_name(node: str) -> str:
    """The stream at `node` holding the direct messages it sends (to every peer)."""
    return "DIRECT_" + _upper(node)


def direct_inbox_stream_name(node: str) -> str:
    """The stream at `node` holding the direct messages addressed to it (sourced)."""
    return "INBOX_" + _upper(node)


def direct_filter(sender: str, recipient: str) -> str:
    """The subjects of what `sender` sends to `recipient`."""
    return f"{DIRECT_PREFIX}.{sender}.{recipient}.>"


def direct_delivery_prefix(recipient: str) -> str:
    """Where a sourcing consumer delivers a peer's direct messages to `recipient`: a subject
    space of the recipient's own, outside `$JS.S.>` (which every link may receive)."""
    return f"$JSD.{recipient}"


def direct_subject(event: CloudEvent) -> str:
    """`direct.<sender>.<recipient>.<service>.<aggregate>.<action>`."""
    if event.recipientnode is None:
        raise ValueError("not a direct message: no recipient")
    return (
        f"{DIRECT_PREFIX}.{event.originnode}.{event.recipientnode}."
        f"{event.service}.{event.aggregate}.{event.action}"
    )


@dataclass(frozen=True)
class FilteredSourcesSpec(StreamSpec):
    """A stream sourcing peers' streams, each with a subject filter and delivery prefix:
    `filtered_sources` is (stream, domain, filter subject, delivery prefix)."""

    filtered_sources: list[tuple[str, str, str, str]] = field(default_factory=list)

    def to_config(self) -> StreamConfig:
        config = super().to_config()
        config.sources = [
            StreamSource(
                name=name,
                filter_subject=subject_filter,
                external=ExternalStream(api=f"$JS.{domain}.API", deliver=prefix),
            )
            for name, domain, subject_filter, prefix in self.filtered_sources
        ] or None
        return config


def hub_direct_stream(nodes: Iterable[str]) -> FilteredSourcesSpec:
    """The hub's stream of every node's direct messages (sealed to their recipients): it
    sources each node's `DIRECT_<NODE>`, only that node's own subjects, delivered under the
    hub's prefix."""
    return FilteredSourcesSpec(
        name=HUB_DIRECT_STREAM,
        subjects=[],
        description="Every node's direct messages, each sealed to its recipient",
        filtered_sources=[
            (direct_stream_name(node), node, f"{DIRECT_PREFIX}.{node}.>", HUB_DIRECT_DELIVERY)
            for node in sorted(nodes)
        ],
    )


def direct_streams(node: str, trust: TrustList, *, replicas: int = 1) -> list[StreamSpec]:
    """The streams of the direct channel at `node`: what it sends (which the hub sources into
    `FED_DIRECT`), and its inbox sourcing from the hub only what is addressed to it (none
    while it has no peer)."""
    return [
        StreamSpec(
            name=direct_stream_name(node),
            subjects=[f"{DIRECT_PREFIX}.{node}.>"],
            description=f"Direct messages node {node} sends, each to one peer",
            replicas=replicas,
        ),
        FilteredSourcesSpec(
            name=direct_inbox_stream_name(node),
            subjects=[],
            description=f"Direct messages addressed to node {node}",
            replicas=replicas,
            filtered_sources=[
                (
                    HUB_DIRECT_STREAM,
                    HUB_DOMAIN,
                    f"{DIRECT_PREFIX}.*.{node}.>",
                    direct_delivery_prefix(node),
                )
            ]
            if trust.peers_of(node)
            else [],
        ),
    ]


_JWE_ALGORITHMS = ["ECDH-ES+A256KW", "A256GCM"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _x25519_public(ed25519_public_pem: str) -> OKPKey:
    """The X25519 public key of an Ed25519 one (libsodium's conversion)."""
    key = serialization.load_pem_public_key(ed25519_public_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        public = crypto_sign_ed25519_pk_to_curve25519(raw)
    except RuntimeError as error:  # libsodium refuses a small-order or invalid point
        raise ValueError(f"the Ed25519 key has no X25519 form: {error}") from None
    return OKPKey.import_key({"kty": "OKP", "crv": "X25519", "x": _b64(public)})


def _x25519_private(ed25519_private_pem: bytes) -> OKPKey:
    """The X25519 private key of an Ed25519 one (libsodium's conversion), with its public
    key."""
    key = serialization.load_pem_private_key(ed25519_private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    # libsodium's secret key form is the seed followed by the public key.
    private = crypto_sign_ed25519_sk_to_curve25519(seed + public_raw)
    public = crypto_sign_ed25519_pk_to_curve25519(public_raw)
    return OKPKey.import_key({"kty": "OKP", "crv": "X25519", "x": _b64(public), "d": _b64(private)})


def recipient_key(trust: TrustList, node: str, at: datetime) -> TrustedKey | None:
    """The key of `node` to encrypt to at `at`: of its keys valid then, the newest."""
    entry = trust.node(node)
    valid = [key for key in entry.keys if key.valid_at(at)] if entry is not None else []
    return max(
        valid,
        key=lambda key: key.valid_from.timestamp() if key.valid_from else float("-inf"),
        default=None,
    )


def seal(data: Mapping[str, Any], key: TrustedKey) -> dict[str, Any]:
    """`data` encrypted to the X25519 form of `key`: `{"jwe": <compact JWE>}`."""
    token = jwe.encrypt_compact(
        {"alg": _JWE_ALGORITHMS[0], "enc": _JWE_ALGORITHMS[1], "kid": key.kid},
        orjson.dumps(dict(data)),
        _x25519_public(key.public_key),
        algorithms=_JWE_ALGORITHMS,
    )
    return {"jwe": token}


def node_private_keys(keys_dir: Path, node: str) -> dict[str, OKPKey]:
    """Every federation key of `node` in `keys_dir`, in X25519 form, by key id (a message sealed
    to an older key still opens after a rotation)."""
    keys: dict[str, OKPKey] = {}
    for path in sorted(keys_dir.glob("federation-*.key")):
        version = path.stem.removeprefix("federation-")
        if version.isdigit():
            keys[key_id(node, int(version))] = _x25519_private(path.read_bytes())
    return keys


def open_sealed(event: CloudEvent, keys: Mapping[str, OKPKey]) -> CloudEvent:
    """The message with its `data` decrypted; `PermanentEventError` if it cannot be."""
    token = event.data.get("jwe")
    if not isinstance(token, str) or set(event.data) != {"jwe"}:
        raise PermanentEventError("a direct message whose data is not sealed to its recipient")
    try:
        header = orjson.loads(_b64decode(token.split(".")[0]))
        key = keys.get(str(header.get("kid")))
        if key is None:
            raise PermanentEventError(f"sealed to key {header.get('kid')!r}, not held here")
        plain = jwe.decrypt_compact(token, key, algorithms=_JWE_ALGORITHMS).plaintext
        data = orjson.loads(plain or b"")
    except (JoseError, ValueError, orjson.JSONDecodeError, AttributeError) as error:
        raise PermanentEventError(f"a direct message that cannot be opened: {error}") from None
    if not isinstance(data, dict):
        raise PermanentEventError("a direct message whose content is not an object")
    return event.model_copy(update={"data": data})


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def opening(handler: EventHandler, keys: Mapping[str, OKPKey]) -> EventHandler:
    """`handler`, given each message with its content opened."""

    async def apply(session: AsyncSession, event: CloudEvent) -> None:
        await handler(session, open_sealed(event, keys))

    return apply


class DirectAddressError(ValueError):
    """A direct message to a node that is not a peer (unknown, or the sender itself)."""


@dataclass(frozen=True)
class DirectSender:
    """Sends a service's direct messages: built by its `publisher` (this node's, this
    service's, stamped with its trace) and written to the publisher's outbox.
    `DirectSender.of(runtime)`, or `DirectSender(publisher, runtime.trust)` with a router's
    traced publisher."""

    publisher: Publisher
    trust: TrustList | None

    @classmethod
    def of(cls, runtime: ServiceRuntime[Any]) -> DirectSender:
        return cls(runtime.publisher, runtime.trust)

    async def send(
        self,
        session: AsyncSession,
        *,
        to: str,
        type: str,
        data: Mapping[str, Any],
        subject: str | None = None,
        version: int = 1,
    ) -> CloudEvent:
        """Write a message of `type` (`<aggregate>.<action>`, of this service) for node `to`
        in the caller's transaction; the relay signs and publishes it after the commit.
        `subject` is the record it is about (a new id if none). `data` is sealed to `to`'s
        current key. Returns the message as sent (its `data` sealed)."""
        node = self.publisher.node
        if self.trust is None or self.trust.node(to) is None or to == node:
            raise DirectAddressError(f"{to!r} is not a peer of node {node!r}")
        key = recipient_key(self.trust, to, utcnow())
        if key is None:
            raise DirectAddressError(f"the trust list names no valid key of node {to!r}")
        aggregate, _, action = type.partition(".")
        event = self.publisher.event(
            aggregate,
            action,
            subject=subject or str(new_id()),
            data=seal(data, key),
            version=version,
        ).model_copy(update={"recipientnode": to})
        outbox = self.publisher.outbox
        # The outbox table's columns, as `Outbox.add` writes them, with the direct subject.
        await session.execute(
            insert(outbox.table).values(
                id=event.id,
                subject=direct_subject(event),
                type=event.type,
                payload=event.to_bytes(),
                traceparent=event.traceparent,
                created_at=utcnow(),
                attempts=0,
            )
        )
        if outbox.on_added is not None:
            wake = outbox.on_added

            def on_commit(_session: Session) -> None:
                wake()

            listen(session.sync_session, "after_commit", on_commit, once=True)
        return event


def direct_guard(trust: TrustList, node: str) -> EventGuard:
    """The check a direct message passes at `node` before it is applied: signed by its origin
    node with a key of the trust list valid at its time, and addressed to `node`."""

    def guard(event: CloudEvent, payload: bytes, signature: str | None) -> Verdict:
        verdict = trust.check(event, payload, signature, authority_country=None)
        if not verdict.accepted:
            return verdict
        if event.recipientnode != node:
            return Verdict(
                False,
                f"a direct message for {event.recipientnode!r} arrived at node {node!r}",
                verdict.signer,
                "wrong_recipient",
            )
        if verdict.signer == node:
            return Verdict(
                False, f"a direct message of node {node!r} to itself", node, "own_direct"
            )
        return verdict

    return guard


def _subject_matches(message: Msg) -> bool:
    """Whether the subject names the sender and recipient the signed message does (a message
    that cannot be read passes: the consumer dead-letters it)."""
    try:
        event = CloudEvent.from_bytes(message.data)
        return event.recipientnode is not None and direct_subject(event) == message.subject
    except (ValidationError, ValueError):
        return True


@dataclass
class DirectConsumer(EventConsumer):
    """An `EventConsumer` on a node's inbox stream that also refuses a message whose subject
    names another sender or recipient than the signed message."""

    async def handle_batch(self, messages: list[Msg]) -> None:
        if all(_subject_matches(message) for message in messages):
            await super().handle_batch(messages)
            return
        for message in messages:
            await self.handle(message)

    async def handle(self, message: Msg) -> None:
        if _subject_matches(message):
            await super().handle(message)
            return
        event = CloudEvent.from_bytes(message.data)
        signature = (message.headers or {}).get(SIGNATURE_HEADER)
        verdict = self.guard(event, message.data, signature) if self.guard else None
        if verdict is None or verdict.accepted:  # the signature's verdict first, if a refusal
            verdict = Verdict(
                False,
                f"subject {message.subject!r} does not name the message's sender, recipient "
                "and type",
                code="subject_mismatch",
            )
        await self._quarantine(message, event, verdict, signature)


@dataclass(frozen=True)
class DirectSubscription:
    """A service's consumer of the direct messages addressed to its node: those of its own
    service (`direct.*.<node>.<service>.>`), applied through the runtime's routes."""

    name: str

    def consumer(self, runtime: ServiceRuntime[Any]) -> EventConsumer:
        """The consumer reading them; the runtime builds it from its `direct` subscriptions
        and runs it with its other consumers (started, measured, stopped together)."""
        keys_dir = runtime.settings.federation_keys_dir
        if runtime.trust is None or keys_dir is None:
            raise ValueError("direct messages need a federation (a trust list and keys)")
        node = runtime.settings.node_id
        keys = node_private_keys(keys_dir, node)
        return DirectConsumer(
            database=runtime.database,
            bus=runtime.bus,
            inbox=runtime.tables.inbox,
            dead_letters=runtime.tables.dead_letter,
            quarantine=runtime.tables.quarantine,
            name=f"{node}_{runtime.service}_direct_{self.name}",
            stream=direct_inbox_stream_name(node),
            filter_subjects=[f"{DIRECT_PREFIX}.*.{node}.{runtime.service}.>"],
            # One by one: each message is opened just before it is applied.
            handler=opening(runtime.apply_event, keys),
            guard=direct_guard(runtime.trust, node),
        )
