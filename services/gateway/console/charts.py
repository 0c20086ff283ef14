"""The console's charts, drawn on the server as SVG (no script): recognition outcomes and
processing time per country and month, QA coverage per country, and federation lag over
time. This module only gathers and shapes the figures; `templates/charts.html` draws them,
each with a title, a description and the same figures as a table.

Where the figures come from (the services' public APIs, as the console reads everything):

- outcomes: the published, anonymised decisions of every node (`GET /v1/recognition/decisions`),
  read page by page, at most `DECISIONS_READ_MAX` of the newest, and counted here. The counts
  are kept in this gateway's memory for `DECISIONS_FRESH` and then recounted in the
  background, the old counts shown meanwhile, so a page view never waits for the reading
  (except the very first one after the gateway starts);
- processing time: the same decisions' `processing_days` (the days from the file's
  completeness to the decision), kept per country and month in the same counts; the median
  and the 90th percentile (nearest rank) a month. Decisions published without it (before it
  was carried) are left out and counted as such;
- QA coverage: the directory's facet counts by country (`GET /v1/institutions`), of every
  institution and of those whose QA status is `accredited` or `accredited with conditions`
  (the statuses that are valid, `GET /v1/quality/status`); three calls a view;
- federation lag: samples of each peer's events not yet copied, kept in this gateway's memory
  (`LagHistory`: one sample a minute at most, the last `LAG_KEPT`, lost when it restarts),
  taken whenever the console shows the federation or the charts.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.gateway.console.api import Answer, ServiceCalls

DECISIONS_READ_MAX = 20_000
DECISIONS_PAGE = 200  # the decisions API's largest page (shared.pagination.PAGE_SIZE_MAX)
DECISIONS_FRESH = timedelta(minutes=5)
MONTHS_SHOWN = 12
COUNTRIES_SHOWN = 12
VALID_QA_STATUSES = ("accredited", "accredited with conditions")
LAG_EVERY = timedelta(minutes=1)
LAG_KEPT = 24 * 60  # a day of samples at one a minute

# The drawing's geometry (SVG user units).
WIDTH = 640
PLOT_LEFT = 48
PLOT_TOP = 12
PLOT_HEIGHT = 180
BAR_ROW = 22


@dataclass(frozen=True)
class DecisionCounts:
    """Published decisions counted by (country, month, outcome), for each side of the
    decision: `host` (the country that decided) and `origin` (where the qualification is
    from)."""

    by_side: dict[str, Counter[tuple[str, str, str]]]
    read: int
    complete: bool  # every published decision was read (not capped)
    counted_at: datetime
    # Processing days per (country, month), each side; and the decisions without them.
    days_by_side: dict[str, dict[tuple[str, str], list[int]]] = field(default_factory=dict)
    no_days_by_side: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)


async def count_decisions(calls: ServiceCalls) -> DecisionCounts | Answer:
    """Read the published decisions, newest first, and count them; a service's error answer
    as it came if the first page fails."""
    by_side: dict[str, Counter[tuple[str, str, str]]] = {"host": Counter(), "origin": Counter()}
    days_by_side: dict[str, dict[tuple[str, str], list[int]]] = {"host": {}, "origin": {}}
    no_days_by_side: dict[str, Counter[tuple[str, str]]] = {"host": Counter(), "origin": Counter()}
    cursor = ""
    read = 0
    complete = False
    while read < DECISIONS_READ_MAX:
        answer = await calls.get(
            "/v1/recognition/decisions", {"limit": DECISIONS_PAGE, "cursor": cursor}
        )
        if not answer.ok:
            if read == 0:
                return answer
            break
        for item in answer.body["items"]:
            month = str(item["decided_on"])[:7]
            days = item.get("processing_days")
            for side, where in (("host", item["host_country"]), ("origin", item["origin_country"])):
                by_side[side][(where, month, item["outcome"])] += 1
                if days is None:
                    no_days_by_side[side][(where, month)] += 1
                else:
                    days_by_side[side].setdefault((where, month), []).append(int(days))
        read += len(answer.body["items"])
        cursor = answer.body.get("next_cursor") or ""
        if not cursor:
            complete = True
            break
    return DecisionCounts(by_side, read, complete, datetime.now(UTC), days_by_side, no_days_by_side)


@dataclass
class DecisionCache:
    """The latest counts, recounted in the background once older than `DECISIONS_FRESH`."""

    counts: DecisionCounts | None = None
    _refreshing: asyncio.Task[DecisionCounts | Answer] | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self, calls: Callable[[], ServiceCalls]) -> DecisionCounts | Answer:
        counts = self.counts
        stale = counts is None or datetime.now(UTC) - counts.counted_at > DECISIONS_FRESH
        if stale and (self._refreshing is None or self._refreshing.done()):
            self._refreshing = asyncio.create_task(self._recount(calls()))
        if counts is not None:
            return counts
        assert self._refreshing is not None
        return await asyncio.shield(self._refreshing)

    async def _recount(self, calls: ServiceCalls) -> DecisionCounts | Answer:
        async with self._lock:
            counted = await count_decisions(calls)
            if isinstance(counted, DecisionCounts):
                self.counts = counted
            return counted


def _months_back(today: date, count: int) -> list[str]:
    """The `count` months up to this one, oldest first, as `YYYY-MM`."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def outcomes_chart(
    counts: DecisionCounts, side: str, country: str, outcomes: list[str], today: date
) -> dict[str, Any]:
    """Outcomes per month over the last `MONTHS_SHOWN` months, stacked (one country, or every
    country when `country` is empty), and every country's totals by outcome (the most
    decisions first, `COUNTRIES_SHOWN` of them)."""
    counter = counts.by_side[side]
    months = _months_back(today, MONTHS_SHOWN)
    shown = set(months)
    known = list(outcomes) + sorted({o for (_c, _m, o) in counter} - set(outcomes))
    per_month = {m: Counter[str]() for m in months}
    per_country: dict[str, Counter[str]] = {}
    for (where, month, outcome), n in counter.items():
        if month in shown and (not country or where == country):
            per_month[month][outcome] += n
        per_country.setdefault(where, Counter())[outcome] += n
    tallest = max([sum(c.values()) for c in per_month.values()] + [1])
    slot = (WIDTH - PLOT_LEFT) // len(months)
    columns = []
    for index, month in enumerate(months):
        y = PLOT_TOP + PLOT_HEIGHT
        segments = []
        for kind, outcome in enumerate(known):
            n = per_month[month][outcome]
            if not n:
                continue
            height = max(PLOT_HEIGHT * n // tallest, 1)
            y -= height
            segments.append({"outcome": outcome, "kind": kind, "n": n, "y": y, "h": height})
        columns.append(
            {
                "month": date.fromisoformat(f"{month}-01"),
                "x": PLOT_LEFT + index * slot + 4,
                "w": slot - 8,
                "total": sum(per_month[month].values()),
                "counts": per_month[month],
                "segments": segments,
            }
        )
    countries = sorted(per_country.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {
        "outcomes": known,
        "columns": columns,
        "tallest": tallest,
        "ticks": [
            {"n": n, "y": PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * n // tallest}
            for n in sorted({0, tallest // 2, tallest})
        ],
        "countries": [
            {"country": c, "counts": n, "total": sum(n.values())}
            for c, n in countries[:COUNTRIES_SHOWN]
        ],
        "country_count": len(per_country),
        "height": PLOT_TOP + PLOT_HEIGHT + 24,
    }


def nearest_rank(values: list[int], fraction: float) -> int:
    """The nearest-rank percentile: the smallest value with at least `fraction` of the values
    at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1]


def processing_chart(
    counts: DecisionCounts, side: str, country: str, today: date
) -> dict[str, Any]:
    """Processing days per month over the last `MONTHS_SHOWN` months (one country, or every
    country when `country` is empty): each month's median and 90th percentile, drawn as two
    bars side by side, and the decisions left out for having no processing time."""
    days = counts.days_by_side.get(side, {})
    no_days = counts.no_days_by_side.get(side, Counter())
    months = _months_back(today, MONTHS_SHOWN)
    per_month: dict[str, list[int]] = {m: [] for m in months}
    left_out = Counter[str]()
    for (where, month), values in days.items():
        if month in per_month and (not country or where == country):
            per_month[month].extend(values)
    for (where, month), n in no_days.items():
        if month in per_month and (not country or where == country):
            left_out[month] += n
    figures = {
        m: (statistics.median(v), nearest_rank(v, 0.9)) if v else None for m, v in per_month.items()
    }
    tallest = max([f[1] for f in figures.values() if f] + [1])
    slot = (WIDTH - PLOT_LEFT) // len(months)
    bar = (slot - 8) // 2
    bottom = PLOT_TOP + PLOT_HEIGHT

    def height(n: float) -> int:
        return max(round(PLOT_HEIGHT * n / tallest), 1) if n else 0

    columns = []
    for index, month in enumerate(months):
        x = PLOT_LEFT + index * slot + 4
        figure = figures[month]
        median, p90 = figure if figure else (None, None)
        columns.append(
            {
                "month": date.fromisoformat(f"{month}-01"),
                "x": x,
                "w": slot - 8,
                "bar": bar,
                "decisions": len(per_month[month]),
                "left_out": left_out[month],
                "median": median,
                "p90": p90,
                "median_h": height(median or 0),
                "p90_h": height(p90 or 0),
            }
        )
    return {
        "columns": columns,
        "bottom": bottom,
        "tallest": tallest,
        "left_out": sum(left_out.values()),
        "ticks": [
            {"n": n, "y": bottom - PLOT_HEIGHT * n // tallest}
            for n in sorted({0, tallest // 2, tallest})
        ],
        "height": bottom + 24,
    }


async def qa_coverage(calls: ServiceCalls) -> list[dict[str, Any]] | Answer:
    """Per country: institutions, those with a valid QA status, and the share, the most
    institutions first (at most `COUNTRIES_SHOWN` countries); the directory's error answer
    if it fails."""
    answers = await asyncio.gather(
        calls.get("/v1/institutions", {"limit": 1}),
        *(calls.get("/v1/institutions", {"limit": 1, "qa_status": s}) for s in VALID_QA_STATUSES),
    )
    for answer in answers:
        if not answer.ok:
            return answer
    every, *valid = (a.body.get("facets", {}).get("country", {}) for a in answers)
    rows = []
    for country, total in sorted(every.items(), key=lambda item: (-item[1], item[0])):
        if not total:
            continue
        covered = sum(v.get(country, 0) for v in valid)
        rows.append(
            {
                "country": country,
                "total": total,
                "valid": covered,
                "share": covered / total,
                "w": round((WIDTH - 160) * covered / total),
            }
        )
    return rows[:COUNTRIES_SHOWN]


@dataclass
class LagHistory:
    """Samples of each peer's lag (events not yet copied), oldest first, in memory."""

    samples: deque[tuple[datetime, dict[str, int | None]]] = field(
        default_factory=lambda: deque(maxlen=LAG_KEPT)
    )
    _last: float = 0.0

    def _due(self) -> bool:
        """One sample a minute at most: true (and counted as taken) when one is due."""
        now = time.monotonic()
        if self.samples and now - self._last < LAG_EVERY.total_seconds():
            return False
        self._last = now
        return True

    async def sample(self, lags: Callable[[], Awaitable[dict[str, int | None]]]) -> None:
        """Take a sample (`lags()`) if one is due."""
        if self._due():
            self.samples.append((datetime.now(UTC), dict(await lags())))

    def record(self, lags: dict[str, int | None]) -> None:
        """Keep a sample already taken (the federation page's) if one is due."""
        if self._due():
            self.samples.append((datetime.now(UTC), dict(lags)))

    def chart(self) -> dict[str, Any]:
        """One line per peer over the samples kept: points in SVG units."""
        samples = list(self.samples)
        peers = sorted({peer for _at, lags in samples for peer in lags})
        highest = max([lag or 0 for _at, lags in samples for lag in lags.values()] + [1])
        if not samples:
            return {"peers": [], "lines": [], "samples": [], "highest": highest}
        first, last = samples[0][0], samples[-1][0]
        span = max((last - first).total_seconds(), 1.0)

        def x(at: datetime) -> int:
            return PLOT_LEFT + round((WIDTH - PLOT_LEFT - 8) * (at - first).total_seconds() / span)

        def y(lag: int) -> int:
            return PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * lag // highest

        lines = []
        for kind, peer in enumerate(peers):
            points = [(x(at), y(lags[peer] or 0)) for at, lags in samples if peer in lags]
            lines.append(
                {
                    "peer": peer,
                    "kind": kind,
                    "points": " ".join(f"{px},{py}" for px, py in points),
                    "dots": points,
                }
            )
        return {
            "peers": peers,
            "lines": lines,
            "samples": samples[-MONTHS_SHOWN * 2 :][::-1],  # the table: the newest 24
            "highest": highest,
            "first": first,
            "last": last,
            "ticks": [{"n": n, "y": y(n)} for n in sorted({0, highest // 2, highest})],
            "height": PLOT_TOP + PLOT_HEIGHT + 24,
        }
