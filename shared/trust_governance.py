"""The governed trust list's rules: where the federation carries it, and which signed version a
node takes in place of the one it holds (docs/federation.md, "Governance").

The community's secretariat signs each version with one of its keys; the hub keeps the signed
versions in the JetStream key-value bucket `edunode_trust` (key `list`), and every node copies
that bucket's stream into its own domain (`TRUST_<NODE>`, a stream sourcing it), so it keeps
the last list it had while the hub is away. A node takes a version only if it is newer than
the one it holds, is signed by a secretariat key that the list it holds names (so a key the
community never gave cannot sign, and a key rotation is itself a signed version), still names
the key that signed it (the secretariat cannot sign itself out of the list by mistake; a key
is retired by a version signed with its successor), and is a valid list whose every key is an
Ed25519 key. Anything else is refused with a reason code and the list held is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from shared.trust import SignedListError, SignedTrustList, TrustList

# The hub's JetStream domain (edunode/hub.py) and the bucket that carries the list there.
HUB_DOMAIN = "hub"
TRUST_BUCKET = "edunode_trust"
TRUST_KEY = "list"
# Versions the bucket keeps (JetStream's maximum): a node that was away walks them in order,
# so a secretariat key rotation in between is followed.
TRUST_HISTORY = 64

# The reason codes a refusal carries (the metric's label values).
REFUSAL_CODES = (
    "malformed",
    "unknown_signer",
    "bad_signature",
    "invalid",
    "malformed_key",
    "replayed",
    "removes_signer",
)


def trust_bucket_stream() -> str:
    """The hub's stream behind the bucket (JetStream names a bucket's stream `KV_<bucket>`)."""
    return f"KV_{TRUST_BUCKET}"


def trust_subject() -> str:
    """The subject the list's versions are stored under (the hub's stream, the nodes' copies)."""
    return f"$KV.{TRUST_BUCKET}.{TRUST_KEY}"


def trust_stream_name(node: str) -> str:
    """The node's copy of the hub's bucket stream, in its own domain."""
    return f"TRUST_{node.upper().replace('-', '_')}"


class TrustListRefused(SignedListError):
    """A signed version a node does not take; `code` is one of `REFUSAL_CODES`."""


def accept_update(current: TrustList, token: str, *, at: datetime | None = None) -> TrustList:
    """The list signed in `token`, if it may replace `current`; `TrustListRefused` otherwise."""
    try:
        signed = SignedTrustList.parse(token)
    except SignedListError as error:
        raise TrustListRefused(error.code, error.reason) from None
    key = current.secretariat_key(signed.kid, at or datetime.now(UTC))
    if key is None:
        raise TrustListRefused(
            "unknown_signer",
            f"signed by {signed.kid!r}, not a valid secretariat key of version {current.version}",
        )
    if not signed.verifies_with(key):
        raise TrustListRefused(
            "bad_signature", f"the signature does not verify with {signed.kid!r}"
        )
    try:
        newer = signed.trust_list()
    except SignedListError as error:
        raise TrustListRefused(error.code, error.reason) from None
    if newer.version <= current.version:
        raise TrustListRefused(
            "replayed",
            f"version {newer.version} is not newer than the version {current.version} held",
        )
    if all(key.kid != signed.kid for key in newer.secretariat):
        raise TrustListRefused(
            "removes_signer",
            f"version {newer.version} removes its own signer {signed.kid!r} from the "
            "secretariat's keys (retire a key with a version signed by its successor)",
        )
    return newer


def held_after(
    tokens: Iterable[str], held: TrustList | None = None
) -> tuple[TrustList | None, str | None]:
    """What a node holds after reading `tokens` (the bucket's versions, oldest first) from
    `held`: each version it would take, in turn; with nothing held, the first version that
    verifies with a key it names. The list and the token it came in (None if none)."""
    token_held: str | None = None
    for token in tokens:
        try:
            if held is None:
                held = SignedTrustList.parse(token).self_verified()
            else:
                held = accept_update(held, token)
        except SignedListError:
            continue
        token_held = token
    return held, token_held
