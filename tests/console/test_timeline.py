"""The QA timeline drawn on an institution's page: evaluations oldest first, each placed on one
time axis from the first validity's start to the last one's end."""

from __future__ import annotations

from datetime import date

from services.gateway.console.router import TIMELINE_WIDTH, qa_timeline


def test_evaluations_are_placed_oldest_first_on_one_axis() -> None:
    later = {"valid_from": "2013-01-01", "valid_to": "2027-12-31", "decision": "positive"}
    earlier = {"valid_from": "2005-01-01", "valid_to": "2012-12-31", "decision": "positive"}
    timeline = qa_timeline([later, earlier])
    assert (timeline["start"], timeline["end"]) == (date(2005, 1, 1), date(2027, 12, 31))
    first, second = timeline["rows"]
    assert first["valid_from"] == "2005-01-01" and first["x"] == 0
    # 2013-01-01 is 2922 days into the 8399-day axis; the last validity reaches its end.
    assert second["x"] == TIMELINE_WIDTH * 2922 // 8399
    assert second["x"] + second["w"] == TIMELINE_WIDTH
    assert 0 < first["w"] < second["x"] + 1


def test_no_evaluation_draws_nothing_and_a_one_day_validity_is_still_seen() -> None:
    assert qa_timeline([])["rows"] == []
    (one_day,) = qa_timeline(
        [{"valid_from": "2020-01-01", "valid_to": "2020-01-01", "decision": "positive"}]
    )["rows"]
    assert one_day["w"] >= 2
