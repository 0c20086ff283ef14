"""The credential a QR code carries: a `vc+jwt` packed to fit.

A diploma secured as `vc+jwt` is about 3,000 characters; with the verifier page's address it
no longer fits in one QR code (2,953 bytes at most, version 40, error correction L). The packed
form keeps the JWS's protected header and signature as they are and deflates the payload's
JSON, whose base64url text the signature covers: unpacking re-encodes the inflated bytes as
base64url without padding, the one encoding a compact JWS uses, so the token is rebuilt byte
for byte and verifies as issued; any change to the packed text fails the signature (or the
inflation) like a change to the token.

    z1.<protected header, base64url>.<deflated payload, base64url>.<signature, base64url>

A QR code holds the verifier page's link with the packed credential as its `credential`
parameter (`https://<node>/verify?credential=z1.…`); `unpack` takes the link, the packed form
or a plain token, so what a scanner reads can be given to `POST /v1/credentials/verify` as it
is.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
import zlib

from services.credentials.caps import MAX_CREDENTIAL_CHARS

PREFIX = "z1."


class NotAPackedCredential(ValueError):
    """What was given is neither a token nor a packed credential that unpacks."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def pack(token: str) -> str:
    header, payload, signature = token.split(".")
    return f"{PREFIX}{header}.{_b64(zlib.compress(_unb64(payload), 9))}.{signature}"


def unpack(text: str) -> str:
    """The `vc+jwt` in a QR code's text: its link's `credential` parameter, packed or not."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        found = urllib.parse.parse_qs(urllib.parse.urlsplit(text).query).get("credential")
        if not found:
            raise NotAPackedCredential("a link without a `credential` parameter")
        text = found[0].strip()
    if not text.startswith(PREFIX):
        return text
    parts = text.removeprefix(PREFIX).split(".")
    if len(parts) != 3:
        raise NotAPackedCredential("a packed credential has three parts after its prefix")
    header, deflated, signature = parts
    inflater = zlib.decompressobj()
    try:
        payload = inflater.decompress(_unb64(deflated), MAX_CREDENTIAL_CHARS)
    except (binascii.Error, ValueError, zlib.error) as error:
        raise NotAPackedCredential(f"its payload does not inflate: {error}") from error
    if inflater.unconsumed_tail or not inflater.eof:
        raise NotAPackedCredential(f"its payload inflates past {MAX_CREDENTIAL_CHARS} bytes")
    return f"{header}.{_b64(payload)}.{signature}"
