"""The verifier page (`/verify`) over HTTP: a real gateway in front of the real credentials
service, both on sockets. The rendered HTML is read with the standard library's parser: a form
that posts to the page itself, no script and nothing from another origin (the page's
Content-Security-Policy says so too), the report in words, and everything the person pasted
or the credential says shown as text — a script in either is never markup."""

from __future__ import annotations

import html
import re
import urllib.parse
import uuid
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, expect

from services.credentials.app import create_app
from services.gateway.app import create_app as create_gateway_app
from tests.conftest import MakeToken, ServiceLauncher, TokenKeys
from tests.console.conftest import browser, chromium  # noqa: F401  (the console's browser)
from tests.credentials.conftest import Federation, credentials_settings, university
from tests.credentials.test_diplomas import DIPLOMA
from tests.gateway.conftest import Stubs, gateway_settings, serve
from tests.recognition.factories import institution_event

SCRIPT = '<script>alert("x")</script>'


class Page(HTMLParser):
    """What a browser would build from the page: its elements, attributes and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.textarea = ""
        self._in_textarea = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_textarea = tag == "textarea"

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_textarea:
            self.textarea += data

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture
async def gateway(
    services: ServiceLauncher,
    federation: Federation,
    stubs: Stubs,
    gateway_database_url: str,
    token_keys: TokenKeys,
    make_token: MakeToken,
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """The CN node's gateway and a university client's headers for issuing there."""
    node = federation.nodes["CN"]
    app = create_app(credentials_settings(services, federation, "CN"))
    credentials_url = await services.stack.enter_async_context(serve(app))
    institution = institution_event(
        node=node, name="Peking University", country="CN", institution_id=uuid.uuid4()
    )
    runtime = app.state.runtime
    async with runtime.database.session() as session:
        await runtime.apply_event(session, institution)
    settings = gateway_settings(
        stubs,
        gateway_database_url,
        token_keys,
        credentials_url=credentials_url,
        upstream_timeout_seconds=10.0,
    )
    async with (
        serve(create_gateway_app(settings)) as gateway_url,
        httpx.AsyncClient(base_url=gateway_url, timeout=15) as client,
    ):
        yield client, university(make_token, node, uuid.UUID(str(institution.data["id"])))


async def _issue(client: httpx.AsyncClient, headers: dict[str, str], **holder: Any) -> str:
    body = DIPLOMA | {"holder": DIPLOMA["holder"] | holder}
    response = await client.post("/v1/credentials/diplomas", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["jwt"])


def _html(response: httpx.Response) -> Page:
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    # No script of any kind, nothing loaded from another origin.
    assert page.named("script") == []
    assert "<script" not in response.text.lower()
    for attrs in page.named("link") + page.named("img") + page.named("form"):
        for name in ("href", "src", "action"):
            value = attrs.get(name)
            assert value is None or value.startswith("/"), attrs
    return page


async def test_the_empty_page_is_a_form_posting_to_itself(
    gateway: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, _ = gateway
    response = await client.get("/verify")
    assert response.status_code == 200
    page = _html(response)
    (form,) = page.named("form")
    assert form["method"] == "post" and form["action"] == "/verify"
    assert [a["name"] for a in page.named("textarea")] == ["credential"]
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["style-src"] == "'self'"
    assert "script-src" not in directives and directives["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    # The page's policy in place of the JSON one, not beside it; its stylesheet's the same.
    assert response.headers.get_list("content-security-policy") == [policy]
    (stylesheet,) = page.named("link")
    css = await client.get(str(stylesheet["href"]))
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert css.headers.get_list("content-security-policy") == [policy]


async def test_a_pasted_diploma_reads_as_a_report(
    gateway: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, headers = gateway
    # A holder whose name is a script: the issuer signs what it was given; the page shows it
    # as text.
    token = await _issue(client, headers, given_name=SCRIPT)
    response = await client.post("/verify", data={"credential": token})
    assert response.status_code == 200, response.text
    page = _html(response)
    text = page.all_text()
    assert "Valid: every check passed." in text
    for check in ("signature", "key", "authority", "institution", "status"):
        assert check in text
    assert "Peking University" in text
    assert SCRIPT in text  # as text, never as an element
    assert page.textarea.strip() == token

    # The link a QR code holds: opened, or pasted.
    link = f"https://cn.edunode.example/verify?credential={token}"
    for response in (
        await client.get("/verify", params={"credential": token}),
        await client.post("/verify", data={"credential": link}),
    ):
        assert response.status_code == 200
        assert "Valid: every check passed." in _html(response).all_text()


async def test_a_tampered_or_foreign_text_is_not_valid_and_shown_as_text(
    gateway: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, headers = gateway
    token = await _issue(client, headers)
    header, payload, signature = token.split(".")
    flipped = signature[:5] + ("A" if signature[5] != "A" else "B") + signature[6:]
    response = await client.post("/verify", data={"credential": f"{header}.{payload}.{flipped}"})
    assert response.status_code == 200
    text = _html(response).all_text()
    assert "Not valid" in text and "FAILED" in text and "altered or forged" in text

    response = await client.post("/verify", data={"credential": SCRIPT})
    assert response.status_code == 200
    page = _html(response)
    assert "Not valid" in page.all_text()
    assert page.textarea == SCRIPT  # the pasted text, back in the form, as text

    # Longer than any credential: a clear page, not a crash.
    response = await client.post("/verify", data={"credential": "a" * 66_000})
    assert response.status_code == 422
    assert "not a credential" in _html(response).all_text()
    response = await client.post("/verify", data={"credential": "a" * 80_000})
    assert response.status_code == 413
    assert "64 KiB" in _html(response).all_text()


async def test_in_a_browser_a_scanned_document_and_a_pasted_credential_read_as_valid(
    gateway: tuple[httpx.AsyncClient, dict[str, str]],
    browser: Browser,  # noqa: F811
) -> None:
    """Issue 20, item 6, in Debian's chromium: the link a printed document's QR code holds,
    opened; then a credential pasted into the form and sent; then a script pasted, shown as
    text."""
    client, headers = gateway
    response = await client.post("/v1/credentials/diplomas", json=DIPLOMA, headers=headers)
    assert response.status_code == 201, response.text
    issued = response.json()
    document = await client.get(f"/v1/credentials/{issued['id']}/document", headers=headers)
    assert document.status_code == 200, document.text
    (link,) = re.findall(r'href="(https://[^"]*/verify\?credential=[^"]*)"', document.text)
    link = html.unescape(link)
    page = await browser.new_page()
    try:
        # The QR code's link, opened at this node's gateway (the host is the issuer's).
        await page.goto(f"{client.base_url}/verify?{urllib.parse.urlsplit(link).query}")
        await expect(page.get_by_text("Valid: every check passed.")).to_be_visible()

        await page.goto(f"{client.base_url}/verify")
        await page.get_by_label(re.compile("credential", re.I)).fill(issued["jwt"])
        await page.get_by_role("button").click()
        await expect(page.get_by_text("Valid: every check passed.")).to_be_visible()

        await page.get_by_label(re.compile("credential", re.I)).fill(SCRIPT)
        await page.get_by_role("button").click()
        await expect(page.get_by_text("Not valid", exact=False).first).to_be_visible()
        assert await page.locator("script").count() == 0
        assert SCRIPT in await page.locator("textarea").input_value()
    finally:
        await page.close()
