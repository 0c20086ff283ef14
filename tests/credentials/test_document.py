"""A credential's printable document (issue 20, item 1): HTML and PDF with a QR code that
points at the verifier page. Read back as a person would: the HTML rendered by Debian's
chromium, its screenshot's QR code decoded by zxing-cpp (not by the library that drew it), the
link followed to a verification; the PDF's text and link read by pypdf."""

from __future__ import annotations

import base64
import io
import uuid
import zlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pypdf
import zxingcpp
from PIL import Image
from playwright.async_api import Browser

from shared.auth import Role
from tests.conftest import MakeToken, bearer
from tests.console.conftest import browser, chromium  # noqa: F401  (the console's browser)
from tests.credentials.conftest import StartNode, university
from tests.credentials.test_diplomas import DIPLOMA, _institution, _issue


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def _document(node: Any, credential_id: str, headers: dict[str, str], **params: str) -> Any:
    return await node.client.get(
        f"/v1/credentials/{credential_id}/document", params=params, headers=headers
    )


async def test_the_html_document_shows_the_diploma_and_its_qr_code_verifies_it(
    start_credentials: StartNode,
    make_token: MakeToken,
    browser: Browser,  # noqa: F811
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    headers = university(make_token, cn.node, institution_id)
    diploma = {**DIPLOMA, "holder": {**DIPLOMA["holder"], "family_name": "<script>x()</script>"}}
    response = await cn.client.post("/v1/credentials/diplomas", json=diploma, headers=headers)
    assert response.status_code == 201, response.text
    issued = response.json()

    response = await _document(cn, issued["id"], headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "工学学士" in html and "Bachelor of Engineering" in html
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html

    page = await browser.new_page(viewport={"width": 900, "height": 2400})
    try:
        await page.set_content(html)
        assert "Bachelor of Engineering" in await page.inner_text("main")
        picture = await page.locator("svg[role=img]").screenshot()
    finally:
        await page.close()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(picture)))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    link = urlsplit(found[0].text)
    # The issuing node's public gateway (trust list) and its verifier page (item 6).
    assert (link.scheme, link.netloc, link.path) == (
        "https",
        f"{cn.node}.edunode.example",
        "/verify",
    )
    # What the scanner read verifies as it is, and is the issued token packed: its header and
    # signature as issued, its payload the same JSON (RFC 7515's compact serialisation).
    report = await cn.client.post("/v1/credentials/verify", json={"credential": found[0].text})
    assert report.status_code == 200 and report.json()["valid"] is True, report.text
    packed = parse_qs(link.query)["credential"][0]
    header, deflated, signature = packed.removeprefix("z1.").split(".")
    issued_header, issued_payload, issued_signature = issued["jwt"].split(".")
    assert (header, signature) == (issued_header, issued_signature)
    assert zlib.decompress(_unb64(deflated)) == _unb64(issued_payload)
    # One changed character of the packed payload: not valid, never a 500.
    flipped = packed[:-100] + ("A" if packed[-100] != "A" else "B") + packed[-99:]
    report = await cn.client.post("/v1/credentials/verify", json={"credential": flipped})
    assert report.status_code == 200 and report.json()["valid"] is False, report.text


async def test_the_pdf_document_carries_the_facts_and_the_verifying_link(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    headers = university(make_token, cn.node, institution_id)
    issued = await _issue(cn, headers)

    response = await _document(cn, issued["id"], headers, format="pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Wei" in text and "Bachelor of Engineering" in text and "0714" in text
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) == 1
    report = await cn.client.post("/v1/credentials/verify", json={"credential": links[0]})
    assert report.status_code == 200 and report.json()["valid"] is True, report.text


async def test_only_who_manages_the_credential_gets_its_document(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    issued = await _issue(cn, university(make_token, cn.node, institution_id))
    path = f"/v1/credentials/{issued['id']}/document"

    assert (await cn.client.get(path)).status_code == 401
    other = university(make_token, cn.node, uuid.uuid4())
    response = await cn.client.get(path, headers=other)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    admin = bearer(make_token(node=cn.node, role=Role.NODE_ADMIN))
    assert (await cn.client.get(path, headers=admin)).status_code == 200
    response = await cn.client.get(path, params={"format": "docx"}, headers=admin)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_qr_payloads_that_are_not_credentials_are_invalid_reports(
    start_credentials: StartNode,
) -> None:
    cn = await start_credentials("CN")
    bomb = base64.urlsafe_b64encode(zlib.compress(b"{" * 10_000_000, 9)).decode().rstrip("=")
    for text in (
        "https://cn.edunode.example/verify?other=1",  # a link without a credential
        "z1.only.two",
        "z1.eyJhbGciOiJFZERTQSJ9.!!!notbase64!!!.c2ln",
        f"z1.eyJhbGciOiJFZERTQSJ9.{bomb}.c2ln",  # inflates far past the 64 KiB cap
        "WIFI:S:cafe;T:WPA;P:secret;;",
    ):
        response = await cn.client.post("/v1/credentials/verify", json={"credential": text})
        assert response.status_code == 200, (text, response.text)
        report = response.json()
        assert report["valid"] is False
        assert (
            report["checks"][0]["name"] == "format" and report["checks"][0]["outcome"] == "failed"
        )
