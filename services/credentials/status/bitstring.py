"""The W3C Bitstring Status List 1.0 encoding: the list is a bitstring whose first index is
its left-most bit (the most significant bit of the first byte), GZIP-compressed, then
base64url-encoded without padding and prefixed with `u`, the multibase code of base64url."""

from __future__ import annotations

import base64
import gzip
import io

MULTIBASE_BASE64URL = "u"


class BadStatusList(ValueError):
    """An `encodedList` that is not a multibase base64url GZIP bitstring."""


def empty(size: int) -> bytearray:
    """`size` entries, all 0 (`size` a multiple of 8)."""
    return bytearray((size + 7) // 8)


def encode(bits: bytes | bytearray) -> str:
    compressed = gzip.compress(bytes(bits), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded: str, *, max_bytes: int = 16 * 1024 * 1024 // 8) -> bytearray:
    """The bitstring of an `encodedList`; refuses one that inflates beyond `max_bytes`."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise BadStatusList("the encoded list is not multibase base64url (no `u` prefix)")
    text = encoded[1:]
    try:
        compressed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            raw = stream.read(max_bytes + 1)
    except (ValueError, OSError, EOFError) as error:
        raise BadStatusList(f"the encoded list does not decode: {error}") from error
    if len(raw) > max_bytes:
        raise BadStatusList("the encoded list is larger than any status list")
    return bytearray(raw)


def get(bits: bytes | bytearray, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def put(bits: bytearray, index: int, value: bool) -> None:
    mask = 0x80 >> (index % 8)
    bits[index // 8] = (bits[index // 8] | mask) if value else (bits[index // 8] & ~mask)
