"""Signed provenance (BRIEF §2): each node signs every event it publishes with its Ed25519 key.

The signature is a detached JWS (RFC 7515 Appendix F) over the exact payload bytes, carried in
the `Edunode-Signature` header; its key id is `<node>:<version>`, so a node can rotate keys and
old events stay verifiable against the old key's validity window in the trust list.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import orjson
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jws
from joserfc.jwk import OKPKey

SIGNATURE_HEADER = "Edunode-Signature"
SIGNATURE_ALGORITHM = "Ed25519"
_KEY_FILE = re.compile(r"^federation-(\d+)\.key$")


def key_id(node: str, version: int) -> str:
    return f"{node}:{version}"


def node_of_key_id(kid: str) -> str:
    return kid.rsplit(":", 1)[0]


@dataclass(frozen=True)
class NodeSigner:
    """Signs payloads with a node's current federation key."""

    kid: str
    private_pem: bytes

    @cached_property
    def _key(self) -> OKPKey:
        return OKPKey.import_key(self.private_pem)

    def sign(self, payload: bytes) -> str:
        compact = jws.serialize_compact(
            {"alg": SIGNATURE_ALGORITHM, "kid": self.kid},
            payload,
            self._key,
            algorithms=[SIGNATURE_ALGORITHM],
        )
        return jws.detach_content(compact)

    def headers(self, payload: bytes) -> Mapping[str, str]:
        """The headers to publish with `payload` (an outbox relay's `signer`)."""
        return {SIGNATURE_HEADER: self.sign(payload)}


def _b64url_decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _b64url_encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _detached_parts(signature: str) -> tuple[str, dict[str, object], bytes] | None:
    """The protected header (as sent and decoded) and the signature bytes of a detached
    compact JWS `<header>..<signature>`, or None if it is not one."""
    try:
        header_b64, payload_b64, signature_b64 = signature.split(".")
        header = orjson.loads(_b64url_decode(header_b64))
        signature_bytes = _b64url_decode(signature_b64)
    except (ValueError, orjson.JSONDecodeError):
        return None
    if payload_b64 or not isinstance(header, dict):
        return None
    return header_b64, header, signature_bytes


def signature_key_id(signature: str) -> str | None:
    """The `kid` of a detached JWS, read without verifying it (to find the key)."""
    parts = _detached_parts(signature)
    kid = parts[1].get("kid") if parts is not None else None
    return kid if isinstance(kid, str) else None


@lru_cache(maxsize=256)
def _public_key(public_pem: bytes) -> Ed25519PublicKey | None:
    # A trust list names a handful of keys; parsing a PEM for every event of a catch-up
    # cost as much as checking its signature.
    key = serialization.load_pem_public_key(public_pem)
    return key if isinstance(key, Ed25519PublicKey) else None


def verify_detached(signature: str, payload: bytes, public_pem: bytes) -> bool:
    """Whether `signature` is a valid Ed25519 detached JWS (RFC 7515 Appendix F) over
    `payload` for this key.

    Checked with `cryptography` directly rather than through joserfc, which signs: its general
    JWS path (header registry, algorithm lookup, key import) cost more than the signature
    check itself, and every service of a node checks every replicated event. Only what this
    module signs is accepted: `alg` Ed25519, no `crit` extensions, the payload base64url
    encoded (RFC 7797's `b64: false` is refused)."""
    parts = _detached_parts(signature)
    if parts is None:
        return False
    header_b64, header, signature_bytes = parts
    if header.get("alg") != SIGNATURE_ALGORITHM or "crit" in header or "b64" in header:
        return False
    try:
        key = _public_key(public_pem)
        if key is None:
            return False
        key.verify(signature_bytes, header_b64.encode() + b"." + _b64url_encode(payload))
    except (ValueError, UnsupportedAlgorithm, InvalidSignature):  # a bad key is no key
        return False
    return True


def init_node_key(keys_dir: Path, node: str, *, rotate: bool = False) -> tuple[str, Path]:
    """Create the node's first federation key pair (or, with `rotate`, the next version).
    Returns the key id and the public key file. An existing key is kept unless rotating."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    versions = sorted(
        int(match.group(1)) for p in keys_dir.iterdir() if (match := _KEY_FILE.match(p.name))
    )
    if versions and not rotate:
        version = versions[-1]
        return key_id(node, version), keys_dir / f"federation-{version}.pub"
    version = (versions[-1] + 1) if versions else 1
    key = OKPKey.generate_key("Ed25519")
    private_path = keys_dir / f"federation-{version}.key"
    private_path.write_bytes(key.as_pem(private=True))
    private_path.chmod(0o600)
    public_path = keys_dir / f"federation-{version}.pub"
    public_path.write_bytes(key.as_pem(private=False))
    return key_id(node, version), public_path


def load_node_signer(keys_dir: Path, node: str) -> NodeSigner | None:
    """The signer with the node's newest federation key, or None if it has none."""
    if not keys_dir.is_dir():
        return None
    versions = sorted(
        int(match.group(1)) for p in keys_dir.iterdir() if (match := _KEY_FILE.match(p.name))
    )
    if not versions:
        return None
    version = versions[-1]
    return NodeSigner(
        kid=key_id(node, version),
        private_pem=(keys_dir / f"federation-{version}.key").read_bytes(),
    )
