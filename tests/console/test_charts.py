"""The charts page in Debian's chromium, on a whole served node with real records: outcomes of
the decisions decided here per month, their processing time, QA coverage per country, and the
federation lag chart's samples; each chart an SVG with a title and a table of the same
figures."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from edunode.natsserver import NatsServer
from services.gateway.console.charts import LagHistory
from shared.auth import Role
from tests.conftest import DatabaseTemplates, MakeToken, TokenKeys
from tests.console.conftest import ConsoleNode, console_node_running, screenshot, sign_in
from tests.recognition.factories import decision_event

pytestmark = pytest.mark.slow


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


async def decide(node: ConsoleNode, outcome: str, body: dict[str, object]) -> None:
    case = await node.complete_case(title=f"Bachelor decided {outcome}")
    path = f"/v1/recognition/cases/{case['id']}"
    assessed = await node.api("POST", f"{path}/assessment", Role.RECOGNITION_OFFICER)
    assert assessed.status_code == 200, assessed.text
    decided = await node.api(
        "POST",
        f"{path}/decision",
        Role.RECOGNITION_OFFICER,
        {"outcome": outcome, "legal_basis": {"kind": "national law"}} | body,
    )
    assert decided.status_code in (200, 201), decided.text


async def test_the_charts_show_this_months_outcomes_and_qa_coverage(
    console_node: ConsoleNode, page: Page
) -> None:
    await decide(console_node, "recognised", {})
    await decide(console_node, "recognised", {})
    await decide(
        console_node,
        "refused",
        {
            "substantial_differences": [
                {"element": "profile", "description": "A different profile."}
            ],
            "justification": "The programme's profile differs.",
        },
    )
    viewer = await console_node.user("reader.charts", "read_only")
    await sign_in(page, console_node, viewer)
    await page.get_by_role("link", name="Charts").click()
    await expect(page.get_by_role("heading", name="Charts", exact=True)).to_be_visible()

    # This month's column: the three decisions just published, by outcome, in the SVG (its
    # title names it) and in the table beside it.
    month = date.today().strftime("%b %Y")  # English's abbreviated month, as Babel writes it
    title = "Decisions per month and outcome, every country"
    await expect(page.locator("svg.outcomes > title")).to_have_text(title)
    await expect(page.locator("svg.outcomes rect title")).to_have_text(
        [f"{month}: recognised 2", f"{month}: refused 1"]
    )
    table = page.get_by_role("table", name=title)
    row = table.get_by_role("row", name=re.compile(f"^{month}"))
    header = await table.locator("thead th").all_inner_texts()
    cells = dict(zip(header, await row.locator("th, td").all_inner_texts(), strict=True))
    assert cells["recognised"] == "2" and cells["refused"] == "1" and cells["All"] == "3"
    assert cells["partial"] == "0"
    # Deciding country CN; by the qualification's country they are Malaysia's.
    by_country = page.get_by_role("table", name=re.compile("^Decisions per country"))
    await expect(by_country.get_by_role("row", name=re.compile("^CN"))).to_contain_text("3")
    await page.get_by_label("Country", exact=True).select_option("origin")
    await page.get_by_role("button", name="Show").click()
    await expect(by_country.get_by_role("row", name=re.compile("^MY"))).to_contain_text("3")
    await page.get_by_label("Country code (empty: every country)").fill("DE")
    await page.get_by_role("button", name="Show").click()
    await expect(page.locator("svg.outcomes > title")).to_have_text(
        "Decisions per month and outcome, DE"
    )
    await expect(page.locator("svg.outcomes rect title")).to_have_count(0)

    # QA coverage (BRIEF: the most recent valid positive decision gives `accredited`): of the
    # five Malaysian institutions, Universiti Malaya's evaluation runs to 2027-12-31, the
    # lapsed college's ended in 2015, the other three have none: one of five, 20%.
    coverage = page.get_by_role("table", name="Institutions with a valid QA status, per country")
    await expect(coverage.get_by_role("row", name="MY 5 1 20%", exact=True)).to_have_count(1)
    await expect(page.locator("svg.coverage > title")).to_have_text(
        "Institutions with a valid QA status, per country"
    )
    # No trust list here: no lag to draw, and the page says why.
    await expect(
        page.get_by_text("This node federates with no other node (it has no trust list).")
    ).to_be_visible()
    await page.goto(f"{console_node.url}/console/charts")
    await screenshot(page, "charts")

    # In Chinese: the months and shares as that language writes them.
    await page.get_by_role("link", name="简体中文").click()
    today = date.today()
    # This month's row in the outcomes' table and in the processing time's.
    await expect(
        page.get_by_role("row", name=re.compile(f"^{today.year}年{today.month}月"))
    ).to_have_count(2)
    await expect(page.locator("svg.coverage")).to_contain_text("20%")


async def test_a_country_that_is_not_a_code_shows_every_country(
    console_node: ConsoleNode, page: Page
) -> None:
    viewer = await console_node.user("reader.charts2", "read_only")
    await sign_in(page, console_node, viewer)
    answer = await page.goto(f"{console_node.url}/console/charts?country=<b&side=<script>")
    assert answer is not None and answer.status == 200
    await expect(page.locator("svg.outcomes > title")).to_have_text(
        "Decisions per month and outcome, every country"
    )
    await expect(page.locator("main script, main b")).to_have_count(0)


def test_the_lag_history_keeps_a_sample_a_minute_and_draws_a_line_per_peer() -> None:
    history = LagHistory()
    history.record({"my": 40, "de": None})
    history.record({"my": 0, "de": 0})  # within the minute: not kept
    assert len(history.samples) == 1
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    history.samples.clear()
    for minute, (my, de) in enumerate([(40, 0), (20, 10), (0, 0)]):
        history.samples.append((start + timedelta(minutes=minute), {"my": my, "de": de}))
    drawn = history.chart()
    assert drawn["peers"] == ["de", "my"]
    assert drawn["highest"] == 40
    my_line = next(line for line in drawn["lines"] if line["peer"] == "my")
    xs = [x for x, _y in my_line["dots"]]
    ys = [y for _x, y in my_line["dots"]]
    assert xs == sorted(xs) and len(set(xs)) == 3  # left to right in time
    assert ys[0] < ys[1] < ys[2]  # 40 at the top, 0 on the axis (SVG's y grows downwards)
    assert drawn["samples"][0][1] == {"my": 0, "de": 0}  # the table: newest first


async def test_the_processing_time_chart_shows_each_months_median_and_90th_percentile(
    nats_server: NatsServer,
    token_keys: TokenKeys,
    database_templates: DatabaseTemplates,
    make_token: MakeToken,
    tmp_path: Path,
    page: Page,
) -> None:
    """Peers' published decisions of this month with known processing days. DE's five: 10, 20,
    30, 40 and 100 days, median 30; the 90th percentile by nearest rank is the 5th of 5 (ceil(0.9
    * 5)), 100. With FR's 500 days, every country's six: median (30 + 40) / 2 = 35, 90th
    percentile the 6th of 6 (ceil(5.4)), 500. DE's decision published without a processing time is
    left out and counted."""
    # A node of its own: the module's node keeps its decision counts for minutes.
    async with console_node_running(
        nats_server, token_keys, database_templates, make_token, tmp_path
    ) as node:
        today = date.today()
        common: dict[str, Any] = {
            "institution_id": None,
            "institution_name": "Universiti Malaya",
            "qualification": "Bachelor of Science",
            "programme_level": "MQF:6",
            "origin_country": "MY",
            "outcome": "recognised",
            "comparable_level": None,
            "decided_on": today,
        }
        events = [
            decision_event(node="de", host_country="DE", processing_days=days, **common)
            for days in (40, 10, 100, 30, 20)
        ]
        events.append(decision_event(node="de", host_country="DE", **common))  # no days
        events.append(decision_event(node="fr", host_country="FR", processing_days=500, **common))
        runtime = node.served.runtime("recognition")
        async with runtime.database.session() as session:
            for event in events:
                await runtime.apply_event(session, event)
        viewer = await node.user("reader.processing", "read_only")
        await sign_in(page, node, viewer)
        month = today.strftime("%b %Y")  # English's abbreviated month, as Babel writes it

        async def this_month(title: str) -> dict[str, str]:
            await expect(page.locator("svg.processing > title")).to_have_text(title)
            table = page.get_by_role("table", name=title)
            row = table.get_by_role("row", name=re.compile(f"^{month}"))
            header = await table.locator("thead th").all_inner_texts()
            cells = await row.locator("th, td").all_inner_texts()
            return dict(zip(header, cells, strict=True))

        await page.goto(f"{node.url}/console/charts")
        cells = await this_month("Processing days per month, every country")
        assert cells["Decisions"] == "6"
        assert cells["Median days"] == "35" and cells["90th percentile days"] == "500"
        assert cells["Without a processing time"] == "1"
        await expect(
            page.get_by_text(
                "Decisions published without a processing time (before it was carried), "
                "left out: 1."
            )
        ).to_be_visible()
        await expect(page.locator("svg.processing rect title")).to_have_text(
            [f"{month}: median 35", f"{month}: 90th percentile 500"]
        )

        await page.get_by_label("Country code (empty: every country)").fill("DE")
        await page.get_by_role("button", name="Show").click()
        cells = await this_month("Processing days per month, DE")
        assert cells["Decisions"] == "5"
        assert cells["Median days"] == "30" and cells["90th percentile days"] == "100"
        assert cells["Without a processing time"] == "1"
        # Last month had no decision: no figure.
        previous = date.fromordinal(today.replace(day=1).toordinal() - 1)
        table = page.get_by_role("table", name="Processing days per month, DE")
        empty = table.get_by_role("row", name=re.compile(f"^{previous.strftime('%b %Y')}"))
        await expect(empty.locator("td")).to_have_text(["0", "", "", "0"])
