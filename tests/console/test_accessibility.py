"""Every console page scanned by axe-core (vendored from npm, `vendor/axe-core`) in Debian's
chromium: no serious or critical violation of WCAG 2.2 A/AA rules (labels, contrast, names,
landmarks, language)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from shared.auth import Role
from tests.console.conftest import TIMEOUT_MS, ConsoleNode, sign_in
from tests.recognition.test_assessment_golden import MQA, UM, UPM

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@pytest.fixture
async def scanning(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A context that may inject axe's script despite the console's CSP (which allows none)."""
    opened = await browser.new_context(locale="en-GB", bypass_csp=True)
    opened.set_default_timeout(TIMEOUT_MS)
    try:
        yield opened
    finally:
        await opened.close()


async def violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {
            "page": page.url,
            "rule": v["id"],
            "impact": v["impact"],
            "nodes": [n["html"][:120] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


async def test_no_page_has_a_serious_or_critical_violation(
    console_node: ConsoleNode, scanning: BrowserContext
) -> None:
    case = await console_node.complete_case(title="Bachelor of Accessible Design")
    assessed = await console_node.api(
        "POST", f"/v1/recognition/cases/{case['id']}/assessment", Role.RECOGNITION_OFFICER
    )
    assert assessed.status_code == 200, assessed.text
    admin = await console_node.user("admin.axe", "admin")
    university = await console_node.user("um.axe", "university", institution_id=UM)
    page = await scanning.new_page()
    # The scan itself works: an unlabelled field and an image without text are found.
    await page.set_content('<html lang="en"><title>t</title><input><img src="x.png"></html>')
    assert {v["rule"] for v in await violations(page)} >= {"label", "image-alt"}
    found: list[dict[str, Any]] = []

    await page.goto(f"{console_node.url}/console/login")
    found += await violations(page)
    await sign_in(page, console_node, admin)
    for path in (
        "/console",
        "/console/institutions?q=Universiti",
        f"/console/institutions/{UM}",
        "/console/cases",
        f"/console/cases/{case['id']}",
        f"/console/evaluations?agency={MQA}",
        "/console/decisions",
        "/console/frameworks?left=MQF&right=CNDL",
        "/console/agreements?country=MY",
        "/console/federation",
        "/console/charts",
        "/console/users",
        f"/console/institutions/{UM}/workspace",
        "/console/institutions/00000000-0000-7000-8000-000000000000",  # the 404 page
    ):
        await page.goto(f"{console_node.url}{path}")
        found += await violations(page)
    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, console_node, university)
    await page.goto(f"{console_node.url}/console/institutions/{UPM}/workspace")  # 403 page
    found += await violations(page)
    assert found == []
