"""NATS NKeys: the Ed25519 user keys a node's leaf connection authenticates with at the hub.

A seed (`SU…`, secret, kept by the node) and its public key (`U…`, given to the hub) are the
NKeys text encoding of github.com/nats-io/nkeys: a prefix byte naming the key type, the 32 key
bytes and a CRC-16/XMODEM checksum (little-endian), in base32 without padding. nats-server
checks that encoding, so a key it accepts is a key encoded as the reference implementation
does. The server sends a nonce in its INFO; the client proves it holds the seed by signing it.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "NkeyError",
    "UserNkey",
    "is_public_user_nkey",
    "load_or_create_seed",
]

_PREFIX_SEED = 18 << 3  # 'S'
_PREFIX_USER = 20 << 3  # 'U'


class NkeyError(ValueError):
    """Text that is not a well-formed NKey of the expected type."""


def _crc16(data: bytes) -> bytes:
    return binascii.crc_hqx(data, 0).to_bytes(2, "little")


def _encode(raw: bytes) -> str:
    return base64.b32encode(raw + _crc16(raw)).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    try:
        padded = text + "=" * (-len(text) % 8)
        raw = base64.b32decode(padded.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise NkeyError("not base32") from error
    if len(raw) < 3 or _crc16(raw[:-2]) != raw[-2:]:
        raise NkeyError("bad checksum")
    return raw[:-2]


def is_public_user_nkey(text: str) -> bool:
    """Whether `text` is a well-formed public user NKey (`U…`)."""
    try:
        raw = _decode(text)
    except NkeyError:
        return False
    return len(raw) == 33 and raw[0] == _PREFIX_USER


@dataclass(frozen=True)
class UserNkey:
    """A user key pair, from its seed."""

    seed: str

    @classmethod
    def generate(cls) -> UserNkey:
        raw = bytes([_PREFIX_SEED | (_PREFIX_USER >> 5), (_PREFIX_USER & 31) << 3])
        return cls(_encode(raw + os.urandom(32)))

    def __post_init__(self) -> None:
        raw = _decode(self.seed)
        if len(raw) != 34 or raw[0] & 0xF8 != _PREFIX_SEED:
            raise NkeyError("not an NKey seed")
        if ((raw[0] & 7) << 5) | (raw[1] >> 3) != _PREFIX_USER:
            raise NkeyError("not a user NKey seed")

    def _private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(_decode(self.seed)[2:])

    @property
    def public_key(self) -> str:
        """The public user NKey (`U…`), what the hub's configuration names."""
        raw = self._private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return _encode(bytes([_PREFIX_USER]) + raw)

    def sign_nonce(self, nonce: str) -> str:
        """The `sig` of a CONNECT: the server's nonce signed, base64url without padding."""
        signature = self._private_key().sign(nonce.encode("ascii"))
        return base64.urlsafe_b64encode(signature).decode("ascii").rstrip("=")

    def __repr__(self) -> str:  # never print the seed
        return f"UserNkey({self.public_key})"


def load_or_create_seed(path: Path) -> UserNkey:
    """The seed kept in `path` (mode 0600), created on first use."""
    if path.exists():
        return UserNkey(path.read_text(encoding="ascii").strip())
    key = UserNkey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key.seed + "\n")
    return key
