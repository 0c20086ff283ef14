"""What a credential's printed document shows, and its QR code.

The document is for people: the graduate prints it, an admissions office scans its QR code.
The QR code holds the link to the verifier page of the issuing node's gateway with the whole
credential in it, packed to fit (`/verify?credential=z1.…`, services/credentials/qr_payload.py):
the page verifies the credential itself, so
the link also works at any other node's `/verify` with the host changed, and the credential
verifies with its issuer unreachable. The facts shown are read from the credential (its
`credentialSubject`), so the paper never says more or other than what the signature covers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno

from services.credentials.qr_payload import pack

# The verifier page's path on a gateway (services/gateway/verifier).
VERIFY_PATH = "/verify"
# How deep and how much of the credential's subject the document lists.
_MAX_DEPTH = 4
_MAX_FACTS = 80
# Technical members that mean nothing on paper.
_SKIPPED = frozenset({"@context", "type", "id", "credentialSchema", "credentialStatus"})


class TooLargeForQr(ValueError):
    """The credential does not fit in one QR code (version 40, error correction L)."""


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class CredentialDocument:
    """Everything the HTML and the PDF show, in the order they show it."""

    title: str
    issuer: str
    valid_from: str
    valid_until: str | None
    standing: str
    facts: tuple[Fact, ...]
    verify_url: str
    qr_modules: tuple[tuple[bool, ...], ...]


def verify_url(gateway_base_url: str, jwt: str) -> str:
    """The verifier page's link with the credential packed to fit a QR code (`qr_payload`)."""
    packed = pack(jwt)
    return f"{gateway_base_url.rstrip('/')}{VERIFY_PATH}?{urlencode({'credential': packed})}"


def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of `payload` as rows of dark (True) and light modules, quiet zone
    included; byte mode, the lowest error correction that fits (segno's choice)."""
    try:
        code = segno.make(payload, error="l", boost_error=True, micro=False)
    except segno.DataOverflowError as error:
        raise TooLargeForQr(
            f"the credential ({len(payload)} characters with its link) does not fit in a QR code"
        ) from error
    return tuple(tuple(bool(module) for module in row) for row in code.matrix_iter(border=4))


def _label(path: tuple[str, ...]) -> str:
    words = []
    for key in path:
        spaced = "".join(f" {c.lower()}" if c.isupper() else c for c in key).strip()
        words.append(spaced[:1].upper() + spaced[1:])
    return " / ".join(words)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def facts_of(subject: Any, path: tuple[str, ...] = ()) -> list[Fact]:
    """The subject's members as labelled facts, nested objects flattened by path (at most
    `_MAX_DEPTH` deep and `_MAX_FACTS` in all), lists of plain values joined."""
    facts: list[Fact] = []
    if len(path) > _MAX_DEPTH:
        return facts
    if isinstance(subject, dict):
        # A language map ({"en": …, "zh": …}) gives a fact per language ("Title / Zh").
        for key, value in subject.items():
            if key in _SKIPPED or value in (None, "", [], {}):
                continue
            facts.extend(facts_of(value, (*path, key)))
    elif isinstance(subject, list):
        if all(not isinstance(item, dict | list) for item in subject):
            facts.append(Fact(_label(path), ", ".join(_text(item) for item in subject)))
        else:
            for number, item in enumerate(subject, start=1):
                facts.extend(facts_of(item, (*path[:-1], f"{path[-1] if path else ''} {number}")))
    else:
        facts.append(Fact(_label(path), _text(subject)))
    return facts[:_MAX_FACTS]


def document_of(
    credential: dict[str, Any],
    *,
    jwt: str,
    gateway_base_url: str,
    revoked: bool,
    suspended: bool,
) -> CredentialDocument:
    issuer = credential.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else issuer
    link = verify_url(gateway_base_url, jwt)
    standing = "revoked" if revoked else "suspended" if suspended else "issued"
    return CredentialDocument(
        title=str(credential.get("name") or "Verifiable credential"),
        issuer=str(issuer_name or ""),
        valid_from=str(credential.get("validFrom", "")),
        valid_until=credential.get("validUntil"),
        standing=standing,
        facts=tuple(facts_of(credential.get("credentialSubject", {}))),
        verify_url=link,
        qr_modules=qr_matrix(link),
    )


def qr_svg(document: CredentialDocument, module_size: int = 4) -> str:
    """The QR code as an SVG (one path of dark modules), for the HTML document."""
    size = len(document.qr_modules) * module_size
    squares = "".join(
        f"M{x * module_size} {y * module_size}h{module_size}v{module_size}h-{module_size}z"
        for y, row in enumerate(document.qr_modules)
        for x, dark in enumerate(row)
        if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="QR code of the verifying link">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{squares}" fill="#000"/></svg>'
    )


def pdf_bytes(document: CredentialDocument) -> bytes:
    """The document as a one- or two-page A4 PDF (ReportLab); CJK text in the Adobe CID font
    ReportLab ships for Simplified Chinese, so a Chinese title prints without embedding a
    font."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    styles = getSampleStyleSheet()

    def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
        font = "STSong-Light" if any(ord(c) > 0x2E7F for c in text) else style.fontName
        return Paragraph(escape(text), ParagraphStyle(f"{style.name}-x", style, fontName=font))

    body, heading = styles["BodyText"], styles["Title"]
    modules = document.qr_modules
    module = min(1.2 * mm, 90 * mm / len(modules))
    qr = Drawing(len(modules) * module, len(modules) * module)
    qr.add(Rect(0, 0, qr.width, qr.height, fillColor="white", strokeColor=None))
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                top = (len(modules) - 1 - y) * module
                qr.add(Rect(x * module, top, module, module, fillColor="black", strokeColor=None))
    rows = [[paragraph(f.label, body), paragraph(f.value, body)] for f in document.facts]
    story = [
        paragraph(document.title, heading),
        paragraph(f"Issued by {document.issuer}, valid from {document.valid_from}", body),
        paragraph(f"Standing when printed: {document.standing}", body),
        Spacer(1, 4 * mm),
        Table(rows, colWidths=[60 * mm, 110 * mm]) if rows else Spacer(1, 1),
        Spacer(1, 6 * mm),
        paragraph("Scan to verify, at any edunode node, even with the issuer offline:", body),
        qr,
        Paragraph(
            f'<link href="{escape(document.verify_url)}">Open the verifying link</link>', body
        ),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=document.title, author=document.issuer).build(story)
    return out.getvalue()
