"""The detached JWS a node signs its events with, and the check every peer makes of it."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.jwk import OKPKey

from shared.signing import (
    init_node_key,
    load_node_signer,
    signature_key_id,
    verify_detached,
)

PAYLOAD = json.dumps({"id": "0190f3c4", "name": "Universiti Malaya"}).encode()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[str, bytes, bytes]:
    kid, public_path = init_node_key(tmp_path, "my")
    return kid, (tmp_path / "federation-1.key").read_bytes(), public_path.read_bytes()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_signature_verifies_for_its_payload_and_key_only(
    keys: tuple[str, bytes, bytes], tmp_path: Path
) -> None:
    kid, _, public_pem = keys
    signer = load_node_signer(tmp_path, "my")
    assert signer is not None
    signature = signer.sign(PAYLOAD)
    assert signature.count(".") == 2 and signature.split(".")[1] == ""
    assert signature_key_id(signature) == kid == "my:1"
    assert verify_detached(signature, PAYLOAD, public_pem)
    # joserfc, an independent JWS implementation, agrees on what was signed.
    jws.deserialize_compact(
        signature, OKPKey.import_key(public_pem), algorithms=["Ed25519"], payload=PAYLOAD
    )
    assert not verify_detached(signature, PAYLOAD + b" ", public_pem)
    _, other_public = init_node_key(tmp_path / "other", "my")
    assert not verify_detached(signature, PAYLOAD, other_public.read_bytes())


def test_a_tampered_or_foreign_signature_is_refused(keys: tuple[str, bytes, bytes]) -> None:
    kid, private_pem, public_pem = keys
    key = OKPKey.import_key(private_pem)
    good = jws.detach_content(
        jws.serialize_compact({"alg": "Ed25519", "kid": kid}, PAYLOAD, key, algorithms=["Ed25519"])
    )
    header, _, signature = good.split(".")
    attached = jws.serialize_compact(
        {"alg": "Ed25519", "kid": kid}, PAYLOAD, key, algorithms=["Ed25519"]
    )
    forged_header = b64(json.dumps({"alg": "Ed25519", "kid": "cn:1"}).encode())
    for bad in (
        "",
        "not a jws",
        f"{header}..",  # no signature
        f"{header}.{b64(PAYLOAD)}.{signature}",  # attached, not detached
        attached,
        f"{forged_header}..{signature}",  # the header is signed too
        f"{header}..{signature[:-4]}AAAA",
        f"{header}..{signature}!",  # not base64url
    ):
        assert not verify_detached(bad, PAYLOAD, public_pem), bad
    assert signature_key_id("not a jws") is None
    # A trust list entry that is no Ed25519 public key verifies nothing (and raises nothing).
    for pem in (b"", b"not a pem", private_pem):
        assert not verify_detached(good, PAYLOAD, pem)


@pytest.mark.parametrize(
    "extra", [{"alg": "HS256"}, {"crit": ["exp"], "exp": 1}, {"b64": False, "crit": ["b64"]}]
)
def test_only_what_nodes_sign_is_accepted(
    keys: tuple[str, bytes, bytes], extra: dict[str, object]
) -> None:
    """A header our signer never writes is refused even when the Ed25519 signature over it is
    genuine: an unknown critical extension or RFC 7797 unencoded payload changes what the
    signature means."""
    kid, private_pem, public_pem = keys
    header = b64(json.dumps({"alg": "Ed25519", "kid": kid, **extra}).encode())
    private = serialization.load_pem_private_key(private_pem, password=None)
    assert isinstance(private, Ed25519PrivateKey)
    signature = b64(private.sign(f"{header}.{b64(PAYLOAD)}".encode()))
    assert not verify_detached(f"{header}..{signature}", PAYLOAD, public_pem)
    plain = b64(json.dumps({"alg": "Ed25519", "kid": kid}).encode())
    genuine = b64(private.sign(f"{plain}.{b64(PAYLOAD)}".encode()))
    assert verify_detached(f"{plain}..{genuine}", PAYLOAD, public_pem)
