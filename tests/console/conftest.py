"""The console in a real browser: one whole node served on real sockets (its gateway and every
service, on SQLite), Debian's chromium driven by Playwright (never a downloaded browser), and the
node's records entered through its HTTP API as any client would.

One node and one browser per test module, a fresh browser context (no cookies) per test; every
wait is Playwright's own (for an element, a navigation) with generous timeouts, for a busy
2-core machine."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from contracts.institutions import Identifier, InstitutionState
from edunode.natsserver import NatsServer
from services.gateway.console.service import create_user_async
from services.quality.institutions.service import InstitutionCopyService
from shared.auth import Role
from shared.db import new_id, utcnow
from tests.conftest import DatabaseTemplates, MakeToken, TokenKeys, bearer, ensure_running
from tests.recognition.conftest import APPLICANT, DOCUMENTS
from tests.recognition.test_assessment_golden import malaysian_directory, my_bachelor
from tests.served import ServedNode, served_node

CHROMIUM = os.environ.get("EDUNODE_CHROMIUM", "/usr/bin/chromium")
# As root, in a sandbox without a network: no sandbox of its own, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
# `EDUNODE_CONSOLE_SCREENSHOTS=docs/console pytest tests/console/test_browser.py` takes the
# pictures of docs/console.md on the way.
SCREENSHOTS = os.environ.get("EDUNODE_CONSOLE_SCREENSHOTS")
PASSWORD = "correct horse battery staple"

_numbers = itertools.count(1)


@dataclass
class ConsoleNode:
    """A served node with its console, and what the tests need to fill it."""

    served: ServedNode
    node: str
    gateway_database_url: str
    make_token: MakeToken
    users: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return self.served.gateway_url

    async def user(
        self,
        username: str,
        role: str,
        *,
        institution_id: uuid.UUID | None = None,
        agency_id: uuid.UUID | None = None,
        name: str | None = None,
    ) -> str:
        """A console user (created once per node, as `edunode users create` creates them)."""
        if username not in self.users:
            await create_user_async(
                self.gateway_database_url,
                username,
                name or username.title(),
                role,
                PASSWORD,
                institution_id=institution_id,
                agency_id=agency_id,
            )
            self.users.add(username)
        return username

    async def api(
        self, method: str, path: str, role: Role, body: Any = None, **query: Any
    ) -> httpx.Response:
        """A call to the node's API through its gateway, as a client of `role`."""
        token = self.make_token(role, node=self.node, client_id=f"test-{role.value}")
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as client:
            return await client.request(
                method, path, json=body, params=query or None, headers=bearer(token)
            )

    async def quality_knows_institution(self, ror: str) -> uuid.UUID:
        """An institution of this node with a ROR id, in the quality service's copy of the
        directory (as its consumer applies the directory's events)."""
        state = InstitutionState(
            id=new_id(),
            origin_node=self.node,
            country="CN",
            name="Tsinghua University",
            status="active",
            identifiers=[Identifier(resource="ROR", value=ror)],
            updated_at=utcnow(),
        )
        runtime = self.served.runtime("quality")
        async with runtime.database.session() as session:
            await InstitutionCopyService(session).apply_institution_state(state, 1)
        return state.id

    async def complete_case(self, **qualification: Any) -> dict[str, Any]:
        """A case opened, submitted and completed through the API: ready to assess."""
        opened = await self.api(
            "POST",
            "/v1/recognition/cases",
            Role.RECOGNITION_OFFICER,
            {
                "applicant": APPLICANT,
                "purpose": "further_study",
                "qualification": my_bachelor(**qualification),
                "target_level": "CNDL:xueshi",
                "documents": DOCUMENTS,
            },
        )
        assert opened.status_code == 201, opened.text
        case: dict[str, Any] = opened.json()
        for target in ("submitted", "complete"):
            moved = await self.api(
                "POST",
                f"/v1/recognition/cases/{case['id']}/status",
                Role.RECOGNITION_OFFICER,
                {"to": target, "legal_reason": f"step to {target}"},
            )
            assert moved.status_code == 200, moved.text
        return case


@asynccontextmanager
async def console_node_running(
    nats_server: NatsServer,
    token_keys: TokenKeys,
    database_templates: DatabaseTemplates,
    make_token: MakeToken,
    root: Path,
    gateway_environment: dict[str, str] | None = None,
) -> AsyncIterator[ConsoleNode]:
    """A served node with the Malaysian node's records, its gateway configured also by
    `gateway_environment` (`EDUNODE_GATEWAY_*` variables, read when it is created)."""
    urls: dict[str, str] = {}

    def new_database(package: str, label: str) -> str:
        url = database_templates.sqlite_copy(package, root / f"{label}-{next(_numbers)}.db")
        urls[package] = url
        return url

    node = f"cn-con{next(_numbers)}"
    with pytest.MonkeyPatch.context() as environment:
        for name, value in (gateway_environment or {}).items():
            environment.setenv(name, value)
        served_context = served_node(
            node,
            nats_url=ensure_running(nats_server).url,
            new_migrated_database_url=new_database,
            token_keys=token_keys,
        )
        served = await served_context.__aenter__()
    try:
        # The Malaysian node's records, applied as each service's consumers apply them (a
        # service ignores the types it has no route for).
        for service in ("institutions", "quality", "recognition"):
            runtime = served.runtime(service)
            async with runtime.database.session() as session:
                for event in malaysian_directory():
                    await runtime.apply_event(session, event)
        yield ConsoleNode(served, node, urls["services.gateway"], make_token)
    finally:
        await served_context.__aexit__(None, None, None)


@pytest.fixture(scope="module")
async def console_node(
    nats_server: NatsServer,
    token_keys: TokenKeys,
    database_templates: DatabaseTemplates,
    make_token: MakeToken,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[ConsoleNode]:
    async with console_node_running(
        nats_server,
        token_keys,
        database_templates,
        make_token,
        tmp_path_factory.mktemp("console"),
    ) as node:
        yield node


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, which `make test` (or `make browser`) installs when missing."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make browser` installs chromium"
    return CHROMIUM


@pytest.fixture(scope="module")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, timeout=120_000
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A browser context of this test alone (its own cookies), in English."""
    opened = await browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 700})
    opened.set_default_timeout(TIMEOUT_MS)
    opened.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def browser_with_locale(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A browser context whose Accept-Language asks for Simplified Chinese first."""
    opened = await browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 700})
    opened.set_default_timeout(TIMEOUT_MS)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


async def screenshot(page: Page, name: str) -> None:
    """A picture of the page for the documentation, when asked for (`SCREENSHOTS`)."""
    if SCREENSHOTS:
        path = str(Path(SCREENSHOTS) / f"{name}.jpeg")
        await page.screenshot(path=path, full_page=True, type="jpeg", quality=60)


async def sign_in(page: Page, node: ConsoleNode, username: str, password: str = PASSWORD) -> None:
    """Fill and send the login form as a person would."""
    await page.goto(f"{node.url}/console/login")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()
