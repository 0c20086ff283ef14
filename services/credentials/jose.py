"""Credentials secured as `vc+jwt` (W3C VC-JOSE-COSE): a compact JWS whose payload is the
credential itself, signed with the node's federation key (EdDSA over Ed25519, `kid` as the
trust list names it). joserfc signs and verifies; this module only reads a token's parts."""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from services.credentials.caps import MAX_CREDENTIAL_CHARS
from shared.signing import NodeSigner

VC_JWT_TYPE = "vc+jwt"
# VC-JOSE-COSE's examples and every verifier in use name Ed25519 signatures `EdDSA`; RFC 9864
# deprecates that name for the fully specified `Ed25519`, which joserfc warns of. The one
# algorithm accepted: a token naming another (`none`, HS256, …) is refused before any key.
ALGORITHM = "EdDSA"
MEDIA_TYPE = "application/vc+jwt"


class NotACredential(ValueError):
    """A token that is not a compact JWS carrying a JSON credential."""


@dataclass(frozen=True)
class Token:
    """A compact JWS's protected header and payload, read without verifying them."""

    header: dict[str, Any]
    payload: dict[str, Any]


def sign(signer: NodeSigner, document: dict[str, Any]) -> str:
    """`document` as a `vc+jwt` signed with the node's current key."""
    header = {"alg": ALGORITHM, "typ": VC_JWT_TYPE, "kid": signer.kid}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return jws.serialize_compact(
            header,
            orjson.dumps(document),
            OKPKey.import_key(signer.private_pem),
            algorithms=[ALGORITHM],
        )


def _b64url(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def read(token: str) -> Token:
    """The parts of a compact JWS whose header and payload are JSON objects."""
    if len(token) > MAX_CREDENTIAL_CHARS:
        raise NotACredential(f"longer than {MAX_CREDENTIAL_CHARS} characters")
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise NotACredential("not a compact JWS (three base64url parts separated by dots)")
    try:
        header = orjson.loads(_b64url(parts[0]))
        payload = orjson.loads(_b64url(parts[1]))
        _b64url(parts[2])
    except (ValueError, orjson.JSONDecodeError) as error:
        raise NotACredential(f"a part is not base64url-encoded JSON: {error}") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise NotACredential("the header and the payload must be JSON objects")
    return Token(header=header, payload=payload)


@lru_cache(maxsize=256)
def _public_key(public_pem: bytes) -> OKPKey:
    # A trust list names a handful of keys: parse each once, not at every verification.
    return OKPKey.import_key(public_pem)


def signature_valid(token: str, public_pem: bytes) -> bool:
    """Whether `token`'s EdDSA signature verifies with this public key."""
    try:
        key = _public_key(public_pem)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            jws.deserialize_compact(token.strip(), key, algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError):
        return False
    return True
