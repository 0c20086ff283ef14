"""The console's flows in Debian's chromium, against a whole served node: what issue 21 asks a
recognition officer, an admin and a university's staff to be able to do, and the bad input it
names (script in a field, a forged CSRF token, another institution's page, five wrong
passwords)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page, expect

from shared.auth import Role
from tests.console.conftest import PASSWORD, TIMEOUT_MS, ConsoleNode, screenshot, sign_in
from tests.quality.conftest import agency_payload
from tests.quality.test_bulk_import import ROR, write_csv
from tests.recognition.test_assessment_golden import HEEC, MQA, UM, UPM

pytestmark = pytest.mark.slow


@pytest.fixture
def db_backend() -> str:
    """The node runs on SQLite here; the console's SQL runs on both engines in test_users."""
    return "sqlite"


async def test_an_officer_opens_a_case_from_the_queue_assesses_and_decides(
    console_node: ConsoleNode, page: Page
) -> None:
    officer = await console_node.user("officer.lim", "recognition_officer", name="Lim Wei")
    case = await console_node.complete_case(title="Bachelor of Computer Science")

    await sign_in(page, console_node, officer)
    await expect(page).to_have_url(re.compile(r"/console/cases$"), timeout=TIMEOUT_MS)
    await expect(page.get_by_role("heading", name="Case queue")).to_be_visible()
    # Completed, so its deadline runs: months away, neither overdue nor due this week.
    row = page.locator("tr", has=page.locator(f"a[href='/console/cases/{case['id']}']"))
    await expect(row).to_have_count(1)
    await expect(row).not_to_have_class(re.compile("overdue|due-soon"))
    await screenshot(page, "case-queue")

    await row.get_by_role("link").click()
    await expect(page.locator("#case-status")).to_have_text("complete")
    await page.get_by_role("button", name="Run the assessment").click()
    await expect(page.get_by_role("status")).to_have_text("The case was assessed.")
    await expect(page.locator("#recommendation")).to_have_text("recognised")
    await expect(page.get_by_role("heading", name="Findings and their evidence")).to_be_visible()
    await screenshot(page, "case")

    # The API's validation, in the form: a refusal needs a substantial difference; what was
    # typed stays.
    await page.get_by_label("Outcome").select_option("refused")
    await page.get_by_label("Justification").fill("The programme's profile differs.")
    await page.get_by_role("button", name="Record the decision").click()
    await expect(page.get_by_role("alert")).to_contain_text("substantial difference")
    await expect(page.get_by_label("Justification")).to_have_value(
        "The programme's profile differs."
    )

    await page.get_by_label("Outcome").select_option("recognised")
    await page.get_by_label("Justification").fill("")
    await page.get_by_role("button", name="Record the decision").click()
    await expect(page.get_by_role("status")).to_have_text(
        "The decision was recorded and published."
    )
    await expect(page.locator("#decision-outcome")).to_have_text("recognised")
    await expect(page.locator("#case-status")).to_have_text("decided")

    # The service's own audit trail names the person.
    audit = await console_node.api(
        "GET", "/v1/recognition/audit", Role.NODE_ADMIN, actor=f"user:{officer}"
    )
    assert audit.status_code == 200, audit.text
    entries = audit.json()["items"]
    assert {entry["record_type"] for entry in entries} >= {"case"}
    assert all(entry["actor_client_id"] == f"user:{officer}" for entry in entries)
    # Decided cases leave the queue.
    await page.get_by_role("link", name="Back to the queue").click()
    await expect(page.locator(f"a[href='/console/cases/{case['id']}']")).to_have_count(0)

    # The anonymised decision is published: found by its country pair, never the applicant.
    await page.get_by_role("link", name="Published decisions").click()
    await page.get_by_label("Country of the qualification").fill("MY")
    await page.get_by_label("Outcome").select_option("recognised")
    await page.get_by_role("button", name="Search").click()
    published = page.get_by_role("row", name=re.compile("Bachelor of Computer Science"))
    await expect(published.first).to_contain_text("MY → CN")
    await expect(page.get_by_text("Siti Nurhaliza")).to_have_count(0)
    await screenshot(page, "decisions")


async def test_an_admin_creates_a_user_who_then_signs_in(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    admin = await console_node.user("admin.chen", "admin", name="Chen Admin")
    await sign_in(page, console_node, admin)
    await page.get_by_role("link", name="Users").first.click()
    await page.get_by_label("Username").fill("siti.registrar")
    await page.get_by_label("Name", exact=True).fill("Siti Aminah")
    await page.get_by_label("Role").select_option("university")
    await page.get_by_label("Institution id (a university's user)").fill(str(UM))
    await page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    await page.get_by_role("button", name="Create the user").click()
    await expect(page.get_by_role("status")).to_have_text("Saved: siti.registrar.")
    await expect(page.get_by_role("cell", name="Siti Aminah")).to_be_visible()
    await screenshot(page, "users")

    # A refused user: the reason, and the form as it was typed (but never the password).
    await page.get_by_label("Username").fill("no.binding")
    await page.get_by_label("Name", exact=True).fill("Nobody Bound")
    await page.get_by_label("Role").select_option("university")
    await page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    await page.get_by_role("button", name="Create the user").click()
    await expect(page.get_by_role("alert")).to_contain_text("institution_id")
    await expect(page.get_by_label("Username")).to_have_value("no.binding")
    await expect(page.get_by_label("Password (at least 12 characters)")).to_have_value("")

    other = await context.browser.new_context() if context.browser else None
    assert other is not None
    try:
        newcomer = await other.new_page()
        await sign_in(newcomer, console_node, "siti.registrar")
        await expect(newcomer.get_by_role("heading", name="Welcome, Siti Aminah")).to_be_visible()
    finally:
        await other.close()


async def test_script_in_a_field_shows_as_text(console_node: ConsoleNode, page: Page) -> None:
    script = "<script>document.title='owned'</script><img src=x onerror=alert(1)>"
    admin = await console_node.user("admin.xss", "admin", name=script)
    await sign_in(page, console_node, admin)
    await page.get_by_role("link", name="Users").first.click()
    await expect(page.get_by_role("cell", name=script)).to_be_visible()
    await expect(page.locator("main script, main img")).to_have_count(0)
    assert await page.title() != "owned"
    # Reflected too: a username typed into the login form comes back as text.
    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_label("Username").fill(script[:60])
    await page.get_by_label("Password").fill("wrong password!")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_label("Username")).to_have_value(script[:60])
    await expect(page.locator("main script, main img")).to_have_count(0)


async def test_five_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    victim = await console_node.user("officer.tan", "recognition_officer")
    for attempt in range(1, 6):
        await sign_in(page, console_node, victim, f"wrong password {attempt}")
        expected = "Wrong username or password." if attempt < 5 else "locked after 5"
        await expect(page.get_by_role("alert")).to_contain_text(expected)
    await sign_in(page, console_node, victim)  # the right one, now too late
    await expect(page.get_by_role("alert")).to_contain_text("locked after 5")

    admin = await console_node.user("admin.unlock", "admin")
    await context.clear_cookies()
    await sign_in(page, console_node, admin)
    await page.goto(f"{console_node.url}/console/users")
    await page.get_by_role("button", name=f"Unlock {victim}").click()
    await expect(page.get_by_role("status")).to_have_text(f"Saved: {victim}.")
    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, console_node, victim)
    await expect(page.get_by_role("heading", name="Case queue")).to_be_visible()


async def test_a_forged_or_missing_csrf_token_is_refused(
    console_node: ConsoleNode, page: Page, context: BrowserContext
) -> None:
    admin = await console_node.user("admin.csrf", "admin")
    await sign_in(page, console_node, admin)
    (session,) = [c for c in await context.cookies() if c["name"] == "edunode_console"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert not session["secure"]  # served over plain HTTP here, and without HSTS
    await page.goto(f"{console_node.url}/console/users")
    await page.get_by_label("Username").fill("forged.user")
    await page.get_by_label("Name", exact=True).fill("Forged")
    await page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    await page.locator("form[action='/console/users'] input[name=csrf_token]").evaluate(
        "input => input.value = 'forged-token-of-another-session'"
    )
    async with page.expect_response(re.compile(r"/console/users$")) as answer:
        await page.get_by_role("button", name="Create the user").click()
    assert (await answer.value).status == 403
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()

    # No token at all, with the session's cookie (the browser's own request API).
    missing = await context.request.post(
        f"{console_node.url}/console/users",
        form={"username": "missing.token", "display_name": "M", "role": "read_only"},
    )
    assert missing.status == 403
    await page.goto(f"{console_node.url}/console/users")
    await expect(page.get_by_role("cell", name="forged.user")).to_have_count(0)
    await expect(page.get_by_role("cell", name="missing.token")).to_have_count(0)


async def test_a_university_user_opening_another_institutions_page_gets_403(
    console_node: ConsoleNode, page: Page
) -> None:
    staff = await console_node.user("um.office", "university", institution_id=UM)
    await sign_in(page, console_node, staff)
    await page.get_by_role("link", name="My institution").first.click()
    await expect(page.get_by_role("heading", name=re.compile("Universiti Malaya"))).to_be_visible()

    answer = await page.goto(f"{console_node.url}/console/institutions/{UPM}/workspace")
    assert answer is not None and answer.status == 403
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    await expect(page.get_by_text("Universiti Putra Malaysia")).to_have_count(0)


async def test_signed_out_pages_lead_to_the_login_and_back(
    console_node: ConsoleNode, page: Page
) -> None:
    officer = await console_node.user("officer.back", "recognition_officer")
    await page.goto(f"{console_node.url}/console/institutions?q=Malaya")
    await expect(page).to_have_url(re.compile(r"/console/login\?next="))
    await page.get_by_label("Username").fill(officer)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/console/institutions\?q=Malaya$"))
    await expect(page.get_by_role("link", name="Universiti Malaya")).to_be_visible()
    await page.get_by_role("link", name="Universiti Malaya").click()
    await expect(page.get_by_role("heading", name="Universiti Malaya")).to_be_visible()
    await expect(page.get_by_text("University of Malaya")).to_be_visible()
    # Its QA timeline: MQA's two institutional evaluations, oldest first.
    await expect(page.get_by_role("heading", name="Quality assurance")).to_be_visible()
    await expect(
        page.get_by_role("img", name=re.compile("Validity of each evaluation"))
    ).to_be_visible()
    await expect(page.get_by_role("cell", name=re.compile("^Jan 1, 2005"))).to_be_visible()
    await expect(page.get_by_role("cell", name=re.compile("^Jan 1, 2013"))).to_be_visible()
    await screenshot(page, "institution")


async def test_the_console_speaks_the_browsers_language_until_another_is_chosen(
    console_node: ConsoleNode, browser_with_locale: BrowserContext
) -> None:
    page = await browser_with_locale.new_page()
    answer = await page.goto(f"{console_node.url}/console/login")
    assert answer is not None and answer.headers["content-language"] == "zh-Hans"
    await expect(page.get_by_role("heading", name="登录")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    await page.get_by_role("link", name="Bahasa Melayu").click()
    await expect(page.get_by_role("heading", name="Log masuk")).to_be_visible()
    await screenshot(page, "login-ms")
    await expect(page).to_have_url(re.compile(r"/console/login$"))
    # The choice stays, page after page, whatever the browser says.
    reader = await console_node.user("reader.ms", "read_only")
    await page.get_by_label("Nama pengguna").fill(reader)
    await page.get_by_label("Kata laluan").fill(PASSWORD)
    await page.get_by_role("button", name="Log masuk").click()
    await expect(page.get_by_role("heading", name="Selamat datang, Reader.Ms")).to_be_visible()


async def test_a_qa_agency_sees_its_evaluations_and_not_another_agencys(
    console_node: ConsoleNode, page: Page
) -> None:
    staff = await console_node.user("mqa.staff", "qa_agency", agency_id=MQA)
    await sign_in(page, console_node, staff)
    await page.get_by_role("link", name="Evaluations").first.click()
    await expect(page.get_by_role("heading", name="Evaluations", exact=True)).to_be_visible()
    listed = await console_node.api(
        "GET", "/v1/quality/evaluations", Role.QA_AGENCY, agency=str(MQA)
    )
    assert listed.status_code == 200, listed.text
    identifiers = [item["local_identifier"] for item in listed.json()["items"]]
    assert identifiers  # the Malaysian agency's evaluations were applied
    for identifier in identifiers:
        await expect(page.get_by_role("cell", name=identifier, exact=True)).to_be_visible()
    await screenshot(page, "evaluations")

    answer = await page.goto(f"{console_node.url}/console/evaluations?agency={HEEC}")
    assert answer is not None and answer.status == 403
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


async def test_the_federation_page_says_a_node_without_a_trust_list_federates_with_none(
    console_node: ConsoleNode, page: Page
) -> None:
    reader = await console_node.user("reader.fed", "read_only")
    await sign_in(page, console_node, reader)
    await page.get_by_role("link", name="Federation").first.click()
    await expect(page.get_by_text("federates with no other node")).to_be_visible()
    await page.goto(f"{console_node.url}/console/institutions?q=Universiti")
    await expect(page.get_by_role("link", name="Universiti Malaya")).to_be_visible()
    await screenshot(page, "directory")


async def test_a_qa_agency_sends_a_csv_file_with_one_bad_row_then_the_fixed_file(
    console_node: ConsoleNode, page: Page, tmp_path: Path
) -> None:
    created = await console_node.api(
        "POST", "/v1/quality/agencies", Role.NODE_ADMIN, agency_payload(acronym="CNQA")
    )
    assert created.status_code == 201, created.text
    agency = created.json()
    institution = await console_node.quality_knows_institution(ROR)
    staff = await console_node.user("cnqa.staff", "qa_agency", agency_id=agency["id"])
    base = {
        "agency": "CNQA",
        "activity_type": "institutional",
        "decision": "positive",
        "valid_to": "2025-12-31",
        "institution[1].identifier": ROR,
        "file[1].original_location": "https://example.org/report.pdf",
    }
    rows = [
        base | {"local_identifier": "CNQA-1", "valid_from": "2020-01-01"},
        base | {"local_identifier": "CNQA-2", "valid_from": "31/02/2020"},  # no such day
        base | {"local_identifier": "CNQA-3", "valid_from": "2021-01-01"},
    ]
    bad = write_csv(tmp_path / "reports.csv", rows)

    await sign_in(page, console_node, staff)
    await page.get_by_role("link", name="Evaluations").first.click()
    await page.get_by_label("CSV file").set_input_files(bad)
    await page.get_by_role("button", name="Send the file").click()
    await expect(page.locator("#import-summary")).to_have_text(
        "2 created, 0 updated, 0 unchanged, 1 rejected, 0 flagged."
    )
    rejected = page.get_by_role("row", name=re.compile("CNQA-2"))
    await expect(rejected).to_contain_text("rejected")
    await expect(rejected).to_contain_text("valid_from")
    await screenshot(page, "import")

    rows[1]["valid_from"] = "2020-02-29"
    fixed = write_csv(tmp_path / "reports-fixed.csv", rows)
    await page.get_by_role("link", name="Back to the evaluations").click()
    await page.get_by_label("CSV file").set_input_files(fixed)
    await page.get_by_role("button", name="Send the file").click()
    await expect(page.locator("#import-summary")).to_have_text(
        "1 created, 0 updated, 2 unchanged, 0 rejected, 0 flagged."
    )
    await page.get_by_role("link", name="Back to the evaluations").click()
    for identifier in ("CNQA-1", "CNQA-2", "CNQA-3"):
        await expect(page.get_by_role("cell", name=identifier, exact=True)).to_be_visible()
    listed = await console_node.api(
        "GET", "/v1/quality/evaluations", Role.QA_AGENCY, agency=agency["id"]
    )
    assert {e["local_identifier"] for e in listed.json()["items"]} == {
        "CNQA-1", "CNQA-2", "CNQA-3",
    }  # fmt: skip
    assert all(e["institution_ids"] == [str(institution)] for e in listed.json()["items"])


async def test_an_officer_records_an_appeal_and_its_outcome(
    console_node: ConsoleNode, page: Page
) -> None:
    officer = await console_node.user("officer.appeal", "recognition_officer")
    case = await console_node.complete_case(title="Bachelor of Science (Appealed)")
    path = f"/v1/recognition/cases/{case['id']}"
    assessed = await console_node.api("POST", f"{path}/assessment", Role.RECOGNITION_OFFICER)
    assert assessed.status_code == 200, assessed.text
    decided = await console_node.api(
        "POST",
        f"{path}/decision",
        Role.RECOGNITION_OFFICER,
        {
            "outcome": "refused",
            "legal_basis": {"kind": "national law"},
            "justification": "The transcript shows a programme of another profile.",
            "substantial_differences": [{"element": "profile", "description": "vocational"}],
        },
    )
    assert decided.status_code == 201, decided.text

    await sign_in(page, console_node, officer)
    await page.goto(f"{console_node.url}/console/cases/{case['id']}")
    await page.get_by_label("Grounds of the appeal").fill("The profile is academic.")
    await page.get_by_role("button", name="Record the appeal").click()
    await expect(page.get_by_role("status")).to_have_text("The appeal was recorded.")
    await expect(page.locator("#case-status")).to_have_text("appealed")

    # Granted without the new outcome: the service's rule, on the form, the text kept.
    await page.get_by_label("Outcome of the appeal").select_option("granted")
    await page.get_by_label("Justification").fill("The syllabus shows an academic track.")
    await page.get_by_role("button", name="Record the appeal's outcome").click()
    await expect(page.get_by_role("alert")).to_contain_text("new_outcome")
    await expect(page.get_by_label("Justification")).to_have_value(
        "The syllabus shows an academic track."
    )
    await page.get_by_label("New outcome (when granted)").select_option("recognised")
    await page.get_by_role("button", name="Record the appeal's outcome").click()
    await expect(page.get_by_role("status")).to_have_text("The appeal's outcome was recorded.")
    await expect(page.locator("#case-status")).to_have_text("appeal_decided")
    await expect(page.locator("#appeal-outcome")).to_have_text("granted → recognised")


async def test_two_frameworks_side_by_side(console_node: ConsoleNode, page: Page) -> None:
    reader = await console_node.user("reader.frameworks", "read_only")
    await sign_in(page, console_node, reader)
    await page.get_by_role("link", name="Frameworks").first.click()
    await page.get_by_label("Framework", exact=True).select_option("MQF")
    await page.get_by_label("Compared with").select_option("CNDL")
    await page.get_by_role("button", name="Compare").click()
    # The catalogue's referencing (MQF:6 → AQRF:6 → CNDL:xueshi, the assessment's path).
    bachelor = page.get_by_role("row", name=re.compile(r"^MQF:6 "))
    await expect(bachelor).to_contain_text("CNDL:xueshi")
    await expect(bachelor).to_contain_text("AQRF:6")
    await screenshot(page, "frameworks")


async def test_the_agreements_of_a_party(console_node: ConsoleNode, page: Page) -> None:
    reader = await console_node.user("reader.agreements", "read_only")
    await sign_in(page, console_node, reader)
    await page.get_by_role("link", name="Agreements").first.click()
    await page.get_by_label("A party (two letters)").fill("MY")
    await page.get_by_role("button", name="Search").click()
    # The China-Malaysia agreement the officer's assessment rests on (cn-my-2011).
    agreement = page.get_by_role("row", name=re.compile("cn-my-2011"))
    await expect(agreement).to_contain_text("CN, MY")
