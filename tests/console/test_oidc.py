"""Signing in to the console at the agency's own identity provider (OpenID Connect), in Debian's
chromium: the provider is `oidc_provider.AgencyProvider` on a real socket (discovery, a sign-in
form, the token endpoint with PKCE, the JWKS), the node's gateway configured for it by
environment as an operator would (`EDUNODE_GATEWAY_CONSOLE_OIDC_*`)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from joserfc.jwk import RSAKey
from playwright.async_api import Browser, Page, expect
from pydantic import ValidationError

from edunode.natsserver import NatsServer
from services.gateway.console.repository import ConsoleRepository
from services.gateway.settings import GatewaySettings
from shared.db import Database
from tests.conftest import DatabaseTemplates, MakeToken, TokenKeys
from tests.console.conftest import ConsoleNode, console_node_running, sign_in
from tests.console.oidc_provider import CLIENT_ID, CLIENT_SECRET, Account, AgencyProvider
from tests.console.test_accessibility import violations
from tests.gateway.conftest import serve
from tests.recognition.test_assessment_golden import MQA

pytestmark = pytest.mark.slow
AGENCY_PASSWORD = "agency password 1"


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@dataclass
class Federated:
    node: ConsoleNode
    provider: AgencyProvider


@pytest.fixture(scope="module")
async def signed_at_agency(
    nats_server: NatsServer,
    token_keys: TokenKeys,
    database_templates: DatabaseTemplates,
    make_token: MakeToken,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Federated]:
    provider = AgencyProvider(
        accounts={
            "lim": Account(
                AGENCY_PASSWORD,
                {"name": "Lim Wei", "preferred_username": "lim", "groups": ["enic-officers"]},
            ),
            "aminah": Account(
                AGENCY_PASSWORD,
                {
                    "name": "Siti Aminah",
                    "preferred_username": "aminah",
                    "groups": ["staff", "qa-reviewers"],
                    "agency": str(MQA),
                },
            ),
            "visitor": Account(AGENCY_PASSWORD, {"name": "A Visitor", "groups": ["everyone"]}),
        }
    )
    async with serve(provider.app()) as issuer:
        provider.issuer = issuer
        environment = {
            "EDUNODE_GATEWAY_CONSOLE_OIDC_ISSUER": issuer,
            "EDUNODE_GATEWAY_CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
            "EDUNODE_GATEWAY_CONSOLE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "EDUNODE_GATEWAY_CONSOLE_OIDC_ROLE_CLAIM": "groups",
            "EDUNODE_GATEWAY_CONSOLE_OIDC_ROLES": json.dumps(
                {"enic-officers": "recognition_officer", "qa-reviewers": "qa_agency"}
            ),
            "EDUNODE_GATEWAY_CONSOLE_OIDC_AGENCY_CLAIM": "agency",
            "EDUNODE_GATEWAY_CONSOLE_OIDC_LABEL": "Sign in with the agency's account",
        }
        async with console_node_running(
            nats_server,
            token_keys,
            database_templates,
            make_token,
            tmp_path_factory.mktemp("console-oidc"),
            environment,
        ) as node:
            provider.redirect_uris.add(f"{node.url}/console/login/oidc/callback")
            yield Federated(node, provider)


async def at_agency(page: Page, login: str) -> None:
    """From the console's login page, through the provider's sign-in form."""
    await page.get_by_role("link", name="Sign in with the agency's account").click()
    await expect(page.get_by_role("heading", name="Agency sign-in")).to_be_visible()
    await page.get_by_label("Agency username").fill(login)
    await page.get_by_label("Agency password").fill(AGENCY_PASSWORD)
    await page.get_by_role("button", name="Continue").click()
    await page.wait_for_load_state()


async def stored_user(node: ConsoleNode, prefix: str) -> tuple[str, str, str | None]:
    database = Database(node.gateway_database_url)
    try:
        async with database.session() as session:
            users = await ConsoleRepository(session).users_page(None, 100)
    finally:
        await database.dispose()
    (user,) = [u for u in users if u.username.startswith(prefix)]
    return user.username, user.role, str(user.agency_id) if user.agency_id else None


async def test_an_officer_signs_in_at_the_agencys_provider(
    signed_at_agency: Federated, page: Page
) -> None:
    node, provider = signed_at_agency.node, signed_at_agency.provider
    await page.goto(f"{node.url}/console/institutions?q=Malaya")  # signed out: to the login
    await at_agency(page, "lim")
    # Back where they were going, signed in as the provider's person, with the mapped role.
    await expect(page).to_have_url(re.compile(r"/console/institutions\?q=Malaya$"))
    await expect(page.get_by_text("Lim Wei")).to_be_visible()
    await expect(page.get_by_role("link", name="Case queue")).to_be_visible()
    username, role, _agency = await stored_user(node, "idp.lim.")
    assert role == "recognition_officer"
    assert re.fullmatch(r"idp\.lim\.[0-9a-f]{8}", username)
    # The code was exchanged with the client's secret and a PKCE verifier (RFC 7636).
    (exchange,) = provider.token_requests[-1:]
    assert exchange["grant_type"] == "authorization_code"
    assert 43 <= len(exchange["code_verifier"]) <= 128

    # That person has no password here: the console's own form refuses them.
    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, node, username, "any password at all")
    await expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")


async def test_a_qa_agency_person_is_bound_to_the_agency_the_provider_names(
    signed_at_agency: Federated, page: Page
) -> None:
    node = signed_at_agency.node
    await page.goto(f"{node.url}/console/login")
    await at_agency(page, "aminah")
    await expect(page.get_by_role("link", name="Evaluations")).to_be_visible()
    _username, role, agency = await stored_user(node, "idp.aminah.")
    assert (role, agency) == ("qa_agency", str(MQA))
    await page.get_by_role("link", name="Evaluations").click()
    await expect(page).to_have_url(re.compile(r"/console/evaluations$"))
    await expect(page.get_by_role("heading", name="Evaluations", exact=True)).to_be_visible()


async def test_a_person_without_a_mapped_role_is_refused(
    signed_at_agency: Federated, page: Page
) -> None:
    node = signed_at_agency.node
    await page.goto(f"{node.url}/console/login")
    await at_agency(page, "visitor")
    await expect(page.get_by_role("alert")).to_contain_text("You cannot use this console")
    await expect(page.get_by_role("alert")).to_contain_text("groups")
    await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


async def test_an_id_token_signed_by_another_key_is_refused(
    signed_at_agency: Federated, page: Page
) -> None:
    node, provider = signed_at_agency.node, signed_at_agency.provider
    provider.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    try:
        await page.goto(f"{node.url}/console/login")
        await at_agency(page, "lim")
    finally:
        provider.rogue_key = None
    await expect(page.get_by_role("alert")).to_contain_text(
        "The identity provider did not sign you in."
    )
    await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


async def test_a_callback_not_started_here_is_refused(
    signed_at_agency: Federated, page: Page
) -> None:
    node = signed_at_agency.node
    answer = await page.goto(f"{node.url}/console/login/oidc/callback?code=stolen&state=forged")
    assert answer is not None and answer.status == 400
    await expect(page.get_by_role("alert")).to_contain_text("was not started here")


async def test_the_login_page_with_the_providers_button_passes_the_axe_scan(
    signed_at_agency: Federated, browser: Browser
) -> None:
    scanning = await browser.new_context(locale="en-GB", bypass_csp=True)
    try:
        page = await scanning.new_page()
        await page.goto(f"{signed_at_agency.node.url}/console/login")
        await expect(
            page.get_by_role("link", name="Sign in with the agency's account")
        ).to_be_visible()
        assert await violations(page) == []
    finally:
        await scanning.close()


def test_a_misconfigured_provider_stops_the_gateway_at_start() -> None:
    database = "sqlite+aiosqlite:///unused.db"
    with pytest.raises(ValidationError, match="unknown console roles"):
        GatewaySettings(
            node_id="cn",
            database_url=database,
            console_oidc_issuer="https://idp.example",
            console_oidc_client_id="console",
            console_oidc_roles={"officers": "superuser"},
        )
    with pytest.raises(ValidationError, match="needs CONSOLE_OIDC_CLIENT_ID"):
        GatewaySettings(
            node_id="cn", database_url=database, console_oidc_issuer="https://idp.example"
        )
