"""Bad input and busy days, in Debian's chromium on a whole served node: a form sent after its
session ended comes back filled in after signing in (issue 21: "an expired session → back to
login with the form's content kept where possible"); the case queue sorted by deadline across
its pages; a signed-in person's own rate-limit bucket."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, expect

from services.gateway.console import router
from services.recognition.cases.service import CaseService
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


# The service's today in the queue test, and the day each case's file is complete there: the
# deadline is four months after it (BRIEF §3), worked out by hand.
QUEUE_TODAY = date(2026, 6, 10)
QUEUE_CASES = [
    ("Bachelor long overdue", date(2026, 1, 20), date(2026, 5, 20)),
    ("Bachelor overdue yesterday", date(2026, 2, 9), date(2026, 6, 9)),
    ("Bachelor due today", date(2026, 2, 10), date(2026, 6, 10)),
    ("Bachelor due in seven days", date(2026, 2, 17), date(2026, 6, 17)),
    ("Bachelor due in eight days", date(2026, 2, 18), date(2026, 6, 18)),
]
# BRIEF §3: decided (and its appeal decided) or withdrawn is done; anything else waits for an
# officer. The deadline runs from complete until the decision.
CLOSED = {"decided", "appeal_decided", "withdrawn"}
RUNNING = {"complete", "under_assessment"}


async def test_the_queue_is_sorted_by_deadline_across_its_pages_and_counted(
    console_node: ConsoleNode, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every open case once, in the deadline order (none last, ties by id) across pages of
    two, with the overdue and due-this-week ones marked and counted; the expected order and
    counts are worked out here from the API's plain list (by id) and the BRIEF's rules."""
    monkeypatch.setattr(router, "QUEUE_SHOWN", 2)  # pages of two, so a few cases make pages
    today = [QUEUE_TODAY]
    monkeypatch.setattr(CaseService, "today", lambda self: today[0])
    officer = await console_node.user("officer.queue", "recognition_officer")
    for title, completed_on, _deadline in QUEUE_CASES:
        today[0] = completed_on
        await console_node.complete_case(title=title)
    today[0] = QUEUE_TODAY
    withdrawn = await console_node.complete_case(title="Bachelor withdrawn")
    gone = await console_node.api(
        "POST",
        f"/v1/recognition/cases/{withdrawn['id']}/status",
        Role.RECOGNITION_OFFICER,
        {"to": "withdrawn", "legal_reason": "the applicant withdrew"},
    )
    assert gone.status_code == 200, gone.text
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

    # What the queue must show: every case of the node (other tests' too), read by id.
    listed = await console_node.api(
        "GET", "/v1/recognition/cases", Role.RECOGNITION_OFFICER, limit=200
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["next_cursor"] is None
    every = listed.json()["items"]
    deadlines = {c["title"]: c["deadline_on"] for c in every}
    for title, _completed_on, deadline in QUEUE_CASES:
        assert deadlines[title] == deadline.isoformat()
    waiting = [c for c in every if c["status"] not in CLOSED]
    waiting.sort(
        key=lambda c: (c["deadline_on"] is None, c["deadline_on"] or "", uuid.UUID(c["id"]))
    )

    def due(case: dict[str, Any]) -> date | None:
        runs = case["status"] in RUNNING and case["deadline_on"] is not None
        return date.fromisoformat(case["deadline_on"]) if runs else None

    late = {c["id"] for c in waiting if (d := due(c)) is not None and d < QUEUE_TODAY}
    soon = {
        c["id"]
        for c in waiting
        if (d := due(c)) is not None and QUEUE_TODAY <= d <= QUEUE_TODAY + timedelta(days=7)
    }
    titles = {c["id"]: c["title"] for c in every}
    assert {titles[i] for i in late} >= {"Bachelor long overdue", "Bachelor overdue yesterday"}
    assert {titles[i] for i in soon} >= {"Bachelor due today", "Bachelor due in seven days"}
    assert "Bachelor due in eight days" not in {titles[i] for i in soon | late}

    await sign_in(page, console_node, officer)
    await expect(page.get_by_role("heading", name="Case queue")).to_be_visible()
    await expect(page.locator("#queue-summary")).to_have_text(
        f"{len(waiting)} open cases: {len(late)} overdue, {len(soon)} due this week."
    )

    # Page after page: the rows, their marks, then "Next page" (a plain link with the cursor).
    shown: list[str] = []
    marks: dict[str, str] = {}
    pages = 0
    while True:
        pages += 1
        rows = await page.locator("table.queue tbody tr").all()
        assert len(rows) <= 2
        for row in rows:
            href = await row.get_by_role("link").get_attribute("href")
            assert href is not None
            case_id = href.rsplit("/", 1)[-1]
            shown.append(case_id)
            marks[case_id] = (await row.locator("td").first.inner_text()).strip()
        await expect(page.locator("#queue-position")).to_have_text(
            f"Cases {len(shown) - len(rows) + 1} to {len(shown)} of {len(waiting)}"
        )
        following = page.get_by_role("link", name="Next page")
        if not await following.count():
            break
        await following.click()
        await page.wait_for_load_state()
    assert pages >= 3 and pages == -(-len(waiting) // 2)
    assert shown == [c["id"] for c in waiting]
    assert not any(titles[i] == "Bachelor withdrawn" for i in shown)
    for case in waiting:
        text = marks[case["id"]]
        assert text.endswith("Overdue") == (case["id"] in late), case["title"]
        assert text.endswith("Due this week") == (case["id"] in soon), case["title"]
        if case["deadline_on"] is None:
            assert text.startswith("not started"), case["title"]
        else:
            assert _iso(text) == case["deadline_on"], case["title"]

    # Back to the start.
    await page.get_by_role("link", name="First page").click()
    await expect(page).to_have_url(re.compile(r"/console/cases$"))
    first_row = page.locator("table.queue tbody tr").first.get_by_role("link")
    await expect(first_row).to_have_attribute("href", f"/console/cases/{shown[0]}")
    # A cursor made up by hand: an error page, not a crash.
    answer = await page.goto(f"{console_node.url}/console/cases?cursor=not-a-cursor")
    assert answer is not None and answer.status == 400
    await expect(page.get_by_role("alert")).to_contain_text("start from the first page")


def _iso(shown: str) -> str:
    """English's medium date ("7 Apr 2027" or "Apr 7, 2027") back to ISO."""
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
