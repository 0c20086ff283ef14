"""Signed provenance (BRIEF §2): each node signs every event it publishes with its Ed25519 key.

The signature is a detached JWS (RFC 7515 Appendix F) over the exact payload bytes, carried in
the `Edunode-Signature` header; its key id is `<node>:<version>`, so a node can rotate keys and
old events stay verifiable against the old key's validity window in the trust list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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

    def sign(self, payload: bytes) -> str:
        key = OKPKey.import_key(self.private_pem)
        compact = jws.serialize_compact(
            {"alg": SIGNATURE_ALGORITHM, "kid": self.kid},
            payload,
            key,
            algorithms=[SIGNATURE_ALGORITHM],
        )
        return jws.detach_content(compact)

    def headers(self, payload: bytes) -> Mapping[str, str]:
        """The headers to publish with `payload` (an outbox relay's `signer`)."""
        return {SIGNATURE_HEADER: self.sign(payload)}


def signature_key_id(signature: str) -> str | None:
    """The `kid` of a detached JWS, read without verifying it (to find the key)."""
    try:
        header = jws.extract_compact(signature.encode(), payload=b"").headers()
    except Exception:
        return None
    kid = header.get("kid")
    return kid if isinstance(kid, str) else None


def verify_detached(signature: str, payload: bytes, public_pem: bytes) -> bool:
    """Whether `signature` is a valid Ed25519 detached JWS over `payload` for this key."""
    try:
        jws.deserialize_compact(
            signature,
            OKPKey.import_key(public_pem),
            algorithms=[SIGNATURE_ALGORITHM],
            payload=payload,
        )
    except Exception:
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
