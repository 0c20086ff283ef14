"""Bad input and busy days, in Debian's chromium on a whole served node: a form sent after its
session ended comes back filled in after signing in (issue 21: "an expired session → back to
login with the form's content kept where possible"); the case queue sorted by deadline across
its pages; a signed-in person's own rate-limit bucket."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.async_api import BrowserContext, Page, expect

from services.gateway.console import router
from shared.auth import Role
from tests.console.conftest import PASSWORD, ConsoleNode, sign_in

pytestmark = pytest.mark.slow


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


async def sign_in_here(page: Page, username: str) -> None:
    """Sign in on the login page the browser is on (keeping where it goes next)."""
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()


async def test_a_user_form_sent_after_the_session_ended_is_filled_in_again_after_signing_in(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    admin = await console_node.user("admin.expired", "admin")
    await sign_in(page, console_node, admin)
    await page.goto(f"{console_node.url}/console/users")
    await context.clear_cookies()  # as when the session expired
    await page.get_by_label("Username").fill("late.user")
    await page.get_by_label("Name", exact=True).fill("Late <b>Comer</b>")
    await page.get_by_label("Role").select_option("read_only")
    await page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    await page.get_by_role("button", name="Create the user").click()
    await expect(page).to_have_url(re.compile(r"/console/login\?next=%2Fconsole%2Fusers$"))
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    await sign_in_here(page, admin)
    await expect(page).to_have_url(re.compile(r"/console/users$"))
    await expect(page.locator("#restored")).to_contain_text("What you typed is filled in again")
    await expect(page.get_by_label("Username")).to_have_value("late.user")
    await expect(page.get_by_label("Name", exact=True)).to_have_value("Late <b>Comer</b>")
    await expect(page.get_by_label("Role")).to_have_value("read_only")
    await expect(page.get_by_label("Password (at least 12 characters)")).to_have_value("")
    # Nothing was sent on the person's behalf: the user exists once they send it.
    await expect(page.get_by_role("cell", name="late.user")).to_have_count(0)
    await page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    await page.get_by_role("button", name="Create the user").click()
    await expect(page.get_by_role("status")).to_have_text("Saved: late.user.")
    # Once: the page opened again is empty.
    await page.goto(f"{console_node.url}/console/users")
    await expect(page.locator("#restored")).to_have_count(0)
    await expect(page.get_by_label("Username")).to_have_value("")


async def test_a_decision_typed_when_the_session_ended_is_back_on_the_case_after_signing_in(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    officer = await console_node.user("officer.late", "recognition_officer")
    case = await console_node.complete_case(title="Bachelor of Late Decisions")
    assessed = await console_node.api(
        "POST", f"/v1/recognition/cases/{case['id']}/assessment", Role.RECOGNITION_OFFICER
    )
    assert assessed.status_code == 200, assessed.text
    await sign_in(page, console_node, officer)
    await page.goto(f"{console_node.url}/console/cases/{case['id']}")
    await page.get_by_label("Outcome").select_option("partial")
    await page.get_by_label("Justification").fill("Two of the four years are comparable.")
    await context.clear_cookies()
    await page.get_by_role("button", name="Record the decision").click()
    await expect(page).to_have_url(re.compile(r"/console/login\?next="))

    await sign_in_here(page, officer)
    await expect(page).to_have_url(re.compile(f"/console/cases/{case['id']}$"))
    await expect(page.locator("#restored")).to_be_visible()
    await expect(page.get_by_label("Justification")).to_have_value(
        "Two of the four years are comparable."
    )
    await expect(page.get_by_label("Outcome")).to_have_value("partial")
    await expect(page.locator("#case-status")).to_have_text("under_assessment")


async def test_a_form_posted_from_another_site_is_not_kept(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    """Another site cannot fill a console form for someone: its post leads to the login page,
    and after signing in the form is empty."""
    admin = await console_node.user("admin.crosssite", "admin")
    await page.set_content(
        f'<form method="post" action="{console_node.url}/console/users">'
        '<input name="username" value="planted.user"><button>go</button></form>'
    )
    await page.get_by_role("button", name="go").click()
    await expect(page).to_have_url(re.compile(r"/console/login\?next=%2Fconsole$"))
    await sign_in_here(page, admin)
    await page.goto(f"{console_node.url}/console/users")
    await expect(page.get_by_label("Username")).to_have_value("")
    await expect(page.locator("#restored")).to_have_count(0)


async def test_the_queue_is_sorted_by_deadline_across_its_pages(
    console_node: ConsoleNode, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(router, "QUEUE_SHOWN", 2)  # pages of two, so a few cases make pages
    officer = await console_node.user("officer.queue", "recognition_officer")
    for n in range(3):
        await console_node.complete_case(title=f"Bachelor in the queue {n}")
    draft = await console_node.api(
        "POST",
        "/v1/recognition/cases",
        Role.RECOGNITION_OFFICER,
        {
            "applicant": {"given_name": "Draft", "family_name": "Applicant"},
            "purpose": "further_study",
            "qualification": {
                "institution_name": "Universiti Malaya",
                "country": "MY",
                "title": "Bachelor not yet submitted",
                "level": "MQF:6",
                "awarded_on": "2020-06-30",
            },
            "target_level": "CNDL:xueshi",
        },
    )
    assert draft.status_code == 201, draft.text
    await sign_in(page, console_node, officer)
    await expect(page.get_by_role("heading", name="Case queue")).to_be_visible()

    # Every page in turn: the deadlines never go back, the cases without one come last.
    rows: list[tuple[str, str]] = []
    while True:
        for row in await page.locator("table.queue tbody tr").all():
            cells = await row.locator("td").all_inner_texts()
            rows.append((cells[0].strip(), cells[1].strip()))
        following = page.get_by_role("link", name="Next page")
        if not await following.count():
            break
        await following.click()
    summary = await page.locator("#queue-summary").inner_text()
    total = int(summary.split()[0])
    assert len(rows) == total >= 4
    titles = [title for _deadline, title in rows]
    assert len(set(titles)) == len(titles)  # each case once
    assert "Bachelor not yet submitted" in titles
    started = [d for d, _title in rows if not d.startswith("not started")]
    waiting = [d for d, _title in rows if d.startswith("not started")]
    assert rows[: len(started)] == [r for r in rows if not r[0].startswith("not started")]
    assert waiting  # the draft
    deadlines = [date.fromisoformat(_iso(d)) for d in started]
    assert deadlines == sorted(deadlines)
    # The API's own list of open cases (a second source): the same count.
    listed = 0
    for status in ("draft", "submitted", "incomplete", "complete", "under_assessment", "appealed"):
        answer = await console_node.api(
            "GET", "/v1/recognition/cases", Role.RECOGNITION_OFFICER, status=status, limit=200
        )
        assert answer.status_code == 200, answer.text
        listed += len(answer.json()["items"])
    assert listed == total


def _iso(shown: str) -> str:
    """English's medium date ("7 Apr 2027" or "Apr 7, 2027") back to ISO."""
    from datetime import datetime

    words = shown.replace(",", "").split()[:3]
    for pattern in ("%d %b %Y", "%b %d %Y"):
        try:
            return datetime.strptime(" ".join(words), pattern).date().isoformat()
        except ValueError:
            continue
    raise AssertionError(f"not a date: {shown!r}")


async def test_a_signed_in_person_has_a_rate_limit_bucket_of_their_own(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    signed_out = await page.goto(f"{console_node.url}/console/login")
    assert signed_out is not None
    assert signed_out.headers["ratelimit-policy"].startswith('"anonymous"')
    admin = await console_node.user("admin.bucket", "admin")
    await sign_in(page, console_node, admin)
    signed_in = await page.goto(f"{console_node.url}/console/institutions")
    assert signed_in is not None and signed_in.status == 200
    # docs/limits.md: an admin's policy is 1000 at once.
    assert signed_in.headers["ratelimit-policy"] == '"console";q=1000;w=5'
    # A made-up session cookie buys no bucket: limited by its address, as anonymous.
    made_up = await context.request.get(
        f"{console_node.url}/console/login",
        headers={"cookie": "edunode_console=made-up-session-token-of-nobody"},
    )
    assert made_up.headers["ratelimit-policy"].startswith('"anonymous"')


async def test_without_an_identity_provider_there_is_no_such_sign_in(
    console_node: ConsoleNode, page: Page
) -> None:
    await page.goto(f"{console_node.url}/console/login")
    await expect(page.locator("#oidc-login")).to_have_count(0)
    answer = await page.goto(f"{console_node.url}/console/login/oidc")
    assert answer is not None and answer.status == 404
    await expect(page.get_by_text("This node has no other way to sign in.")).to_be_visible()
