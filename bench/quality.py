"""Quality benchmark: 50,000 evaluations of the 35,990 real institutions of the ROR records.

    .venv/bin/python -m bench.quality [--data-dir ../shared/data] [--evaluations 50000]
        [--database-url postgresql+asyncpg://…] [--requests 2000] [--keep]

1. A fresh quality database (SQLite in a temporary dir unless `--database-url`), migrated; its
   institution reference table filled with every ROR record (id, country, status, ROR id), as
   the directory's events would fill it; eight agencies of six countries registered (the node
   has authority over those countries), most declaring cross-border work in a neighbour.
2. A DEQAR-style CSV of N evaluations (institutional 55 %, programme 40 %, joint programme
   5 %; every decision; validity windows from 2008 on) is generated and imported through the
   code path of `edunode import evaluations` (rows/s; target ≥ 1,000). The agencies take turns;
   88 % of an agency's evaluations are of institutions of its own country, 10 % of countries
   it declares cross-border work in, 2 % of any other country (flagged low, as undeclared
   cross-border QA); institutions closed in ROR give the few high flags (~3 % flagged in all).
3. The expiry pass: today (nothing to do: the import published today's statuses) and as of a
   year later (the validities ending within the year expire).
4. The quality service is started as `edunode up` runs it (`python -m edunode.serve quality`,
   uvicorn + uvloop) and measured sequentially over HTTP: `GET /v1/quality/status` at random
   dates for institutions that have evaluations (80 %) or any (20 %) (p99 target ≤ 20 ms) and
   filtered searches of `GET /v1/quality/evaluations` (p99 target ≤ 50 ms), also by filter.
   (On PostgreSQL the import has refreshed the planner's statistics: see
   `services.quality.evaluations.bulk.ANALYZE_AFTER_ROWS`.)
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from bench.conditions import machine_load, require_2xx
from edunode.natsserver import find_free_port
from services.quality.agencies.schemas import AgencyCreate
from services.quality.agencies.service import AgencyService
from services.quality.db import publisher
from services.quality.evaluations.bulk import import_rows, read_csv
from services.quality.institutions.models import InstitutionCopy, InstitutionCopyIdentifier
from services.quality.settings import QualitySettings
from services.quality.status.service import StatusService, today
from services.quality.status.worker import run_expiry_pass
from shared.auth import ROLE_SCOPES, Principal, Role
from shared.db import Database, utcnow
from shared.migrations import ensure_database, upgrade

ROOT = Path(__file__).resolve().parent.parent
NODE = "de"
IMPORT_TARGET = 1000.0
STATUS_P99_TARGET_MS = 20.0
SEARCH_P99_TARGET_MS = 50.0
# The filters of the measured searches, drawn evenly.
SEARCH_KINDS = [
    "country, decision",
    "institution",
    "activity type, year",
    "valid_on, decision",
    "active, country",
]
DECISIONS = [
    ("positive", 0.6),
    ("positive with conditions or restrictions", 0.2),
    ("negative", 0.15),
    ("not applicable", 0.05),
]
# Agencies of several countries, each with the countries it declares cross-border work in.
AGENCIES = {
    "ACQUIN": ("DE", ["AT", "CH"]),
    "AQAS": ("DE", ["TR"]),
    "ZEvA": ("DE", ["NL"]),
    "AQ Austria": ("AT", ["CH"]),
    "Hcéres": ("FR", ["BE"]),
    "A3ES": ("PT", []),
    "ANECA": ("ES", []),
    "NVAO": ("NL", ["BE"]),
}
# Where an agency's evaluations are: its own country mostly, some declared cross-border work,
# and a few undeclared (which the validation flags low).
HOME, DECLARED_ABROAD = 0.88, 0.10


def load_institutions(data_dir: Path) -> list[dict[str, Any]]:
    with gzip.open(data_dir / "ror" / "ror-v2-records.json.gz") as handle:
        records = json.loads(handle.read())
    institutions = []
    for record in records:
        locations = record.get("locations") or [{}]
        country = (locations[0].get("geonames_details") or {}).get("country_code") or "XX"
        name = next(
            (n["value"] for n in record["names"] if "ror_display" in n.get("types", [])),
            record["names"][0]["value"],
        )
        status = {"active": "active", "inactive": "inactive"}.get(record.get("status"), "closed")
        institutions.append(
            {"ror": record["id"], "country": country, "name": name[:500], "status": status}
        )
    return institutions


async def prepare(url: str, institutions: list[dict[str, Any]]) -> dict[str, uuid.UUID]:
    """The reference table and the agencies; returns ROR id → institution id."""
    database = Database(url)
    ids: dict[str, uuid.UUID] = {}
    now = utcnow()
    refs, identifiers = [], []
    for item in institutions:
        institution_id = uuid.uuid4()
        ids[item["ror"]] = institution_id
        refs.append(
            {
                "id": institution_id,
                "origin_node": item["country"].lower(),
                "country": item["country"],
                "name": item["name"],
                "status": item["status"],
                "version": 1,
                "updated_at": now,
            }
        )
        identifiers.append(
            {"institution_id": institution_id, "resource": "ROR", "value": item["ror"]}
        )
    async with database.session() as session:
        for start in range(0, len(refs), 2000):
            await session.execute(insert(InstitutionCopy), refs[start : start + 2000])
            await session.execute(
                insert(InstitutionCopyIdentifier), identifiers[start : start + 2000]
            )
        # The node registers the agencies of every country the benchmark has agencies of.
        countries = sorted({country for country, _ in AGENCIES.values()})
        settings = QualitySettings(node_id=NODE, database_url=url, countries=countries)
        service = AgencyService(session, publisher(settings.node_id), settings)
        for agency in agency_payloads():
            await service.create(admin(), AgencyCreate.model_validate(agency))
    await database.dispose()
    return ids


def agency_payloads() -> list[dict[str, Any]]:
    """The benchmark's agencies (`AGENCIES`) as `POST /v1/agencies` takes them."""
    return [
        {
            "name": f"{acronym} (benchmark)",
            "acronym": acronym,
            "country": country,
            "focus_countries": [{"country": c, "kind": "cross-border"} for c in abroad],
            "registrations": [{"register": "EQAR", "valid_from": "2008-01-01"}],
            "activities": [
                {"type": "institutional"},
                {"type": "programme"},
                {"type": "joint programme"},
            ],
            "framework": "ESG 2015",
        }
        for acronym, (country, abroad) in AGENCIES.items()
    ]


def admin() -> Principal:
    return Principal(
        client_id="bench", role=Role.NODE_ADMIN, scopes=ROLE_SCOPES[Role.NODE_ADMIN], node=NODE
    )


def write_csv(
    path: Path, count: int, institutions: list[dict[str, Any]], rng: random.Random
) -> list[str]:
    """N evaluations, the agencies taking turns: 88 % of an agency's are of institutions of its
    own country, 10 % of the countries it declares cross-border work in, 2 % of any other
    country (flagged low: undeclared cross-border). Institutions closed in ROR give the few
    high flags. Returns the ROR ids of the institutions evaluated."""
    by_country: dict[str, list[str]] = {}
    for institution in institutions:
        by_country.setdefault(institution["country"], []).append(institution["ror"])
    everywhere = [i["ror"] for i in institutions]
    agencies = list(AGENCIES.items())

    evaluated: set[str] = set()

    def institution_of(country: str, abroad: list[str]) -> str:
        where = rng.random()
        if where < HOME or (where < HOME + DECLARED_ABROAD and not abroad):
            ror = rng.choice(by_country[country])
        elif where < HOME + DECLARED_ABROAD:
            ror = rng.choice(by_country[rng.choice(abroad)])
        else:
            ror = rng.choice(everywhere)
        evaluated.add(ror)
        return ror

    columns = [
        "agency", "local_identifier", "activity_type", "status", "decision", "date_format",
        "valid_from", "valid_to", "institution[1].identifier", "institution[1].resource",
        "institution[2].identifier", "programme[1].name_primary", "programme[1].level",
        "programme[1].workload_ects", "file[1].original_location", "file[1].report_language[1]",
    ]  # fmt: skip
    decisions = [d for d, _ in DECISIONS]
    weights = [w for _, w in DECISIONS]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for number in range(count):
            kind = rng.random()
            start = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 17 * 365))
            acronym, (country, abroad) = agencies[number % len(agencies)]
            row = {
                "agency": acronym,
                "local_identifier": f"BENCH-{number:06d}",
                "status": "part of obligatory EQA system" if rng.random() < 0.8 else "voluntary",
                "decision": rng.choices(decisions, weights)[0],
                "date_format": "%d.%m.%Y",
                "valid_from": start.strftime("%d.%m.%Y"),
                "valid_to": (start + timedelta(days=6 * 365)).strftime("%d.%m.%Y"),
                "institution[1].identifier": institution_of(country, abroad),
                "institution[1].resource": "ROR",
                "file[1].original_location": f"https://reports.example.org/{number}.pdf",
                "file[1].report_language[1]": "en",
            }
            if kind < 0.55:
                row["activity_type"] = "institutional"
            else:
                row["activity_type"] = "programme" if kind < 0.95 else "joint programme"
                row["programme[1].name_primary"] = f"Programme {number}"
                row["programme[1].level"] = "EQF:6"
                row["programme[1].workload_ects"] = "180"
                if row["activity_type"] == "joint programme":
                    row["institution[2].identifier"] = institution_of(country, abroad)
            writer.writerow(row)
    return sorted(evaluated)


async def run_import(url: str, path: Path) -> tuple[float, dict[str, int]]:
    database = Database(url)
    settings = QualitySettings(node_id=NODE, database_url=url)
    started = time.perf_counter()
    report = await import_rows(
        database, publisher(settings.node_id), settings, admin(), read_csv(path)
    )
    elapsed = time.perf_counter() - started
    await database.dispose()
    return elapsed, report.summary.model_dump()


async def expiry_pass(url: str, as_of: date | None = None) -> int:
    """The worker's pass (today), or a pass as of a later date (the validities ending by then
    expire)."""
    database = Database(url)
    settings = QualitySettings(node_id=NODE, database_url=url)
    quality_publisher = publisher(settings.node_id)
    if as_of is None:
        emitted = await run_expiry_pass(database, quality_publisher, settings)
    else:
        async with database.session() as session:
            emitted = await StatusService(session, quality_publisher, settings).expiry_pass(as_of)
    await database.dispose()
    return emitted


def start_service(url: str, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = find_free_port()
    env = os.environ | {
        "EDUNODE_QUALITY_NODE_ID": NODE,
        "EDUNODE_QUALITY_DATABASE_URL": url,
        # No broker: the outbox keeps the events; nothing competes with the measured requests.
        "EDUNODE_QUALITY_NATS_URL": f"nats://127.0.0.1:{find_free_port()}",
        "EDUNODE_QUALITY_PORT": str(port),
        "EDUNODE_QUALITY_LOG_LEVEL": "error",
        "EDUNODE_QUALITY_EXPIRY_INTERVAL_SECONDS": "86400",
    }
    log = (work / "quality.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, "-m", "edunode.serve", "quality"],
        env=env,
        stdout=log,
        stderr=log,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return child, base
        except httpx.HTTPError:
            time.sleep(0.2)
    child.terminate()
    raise SystemExit(f"the quality service did not start; see {work / 'quality.log'}")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: httpx.Client, requests: list[tuple[str, dict[str, str]]]) -> list[float]:
    for path, params in requests[:50]:  # warm-up
        warm = client.get(path, params=params)
        require_2xx(f"{path} {params}", warm.status_code, warm.text)
    timings = []
    for path, params in requests:
        started = time.perf_counter()
        response = client.get(path, params=params)
        timings.append((time.perf_counter() - started) * 1000)
        require_2xx(f"{path} {params}", response.status_code, response.text)
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--evaluations", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=2000, help="per measured endpoint")
    parser.add_argument("--database-url", help="a PostgreSQL URL (default: SQLite)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-quality-"))
    url = args.database_url or f"sqlite+aiosqlite:///{work / 'quality.db'}"
    try:
        institutions = load_institutions(args.data_dir)
        ensure_database(url)
        upgrade("services.quality", url)
        ids = asyncio.run(prepare(url, institutions))
        path = work / "evaluations.csv"
        evaluated = [ids[ror] for ror in write_csv(path, args.evaluations, institutions, rng)]
        elapsed, summary = asyncio.run(run_import(url, path))
        rate = args.evaluations / elapsed
        print(f"institutions {len(institutions):,}; evaluations {args.evaluations:,}")
        print(
            f"CSV import      {elapsed:7.1f} s  {rate:8.0f} rows/s  "
            f"(target ≥ {IMPORT_TARGET:.0f}) {summary}"
        )

        # Today: the import published today's statuses, so nothing is left to expire.
        started = time.perf_counter()
        emitted = asyncio.run(expiry_pass(url))
        print(
            f"expiry pass     {time.perf_counter() - started:7.1f} s  "
            f"({emitted:,} status events; run again: {asyncio.run(expiry_pass(url))})"
        )
        # A year on: the validities that end within the year expire.
        later = today() + timedelta(days=365)
        started = time.perf_counter()
        emitted = asyncio.run(expiry_pass(url, later))
        print(
            f"expiry +1 year  {time.perf_counter() - started:7.1f} s  "
            f"({emitted:,} status events; run again: {asyncio.run(expiry_pass(url, later))})"
        )

        child, base = start_service(url, work)
        try:
            with httpx.Client(base_url=base, timeout=10) as client:
                institution_ids = list(ids.values())
                status_requests = [
                    (
                        "/v1/quality/status",
                        {
                            # Mostly institutions with evaluations, some without.
                            "institution": str(
                                rng.choice(evaluated if rng.random() < 0.8 else institution_ids)
                            ),
                            "at": str(date(2008, 1, 1) + timedelta(days=rng.randrange(0, 6500))),
                        },
                    )
                    for _ in range(args.requests)
                ]
                status_ms = measure(client, status_requests)
                countries = sorted({i["country"] for i in institutions})
                decisions = [d for d, _ in DECISIONS]
                search_requests = []
                search_kinds = []
                for _ in range(args.requests):
                    params = {"limit": "50"}
                    choice = rng.randrange(5)
                    search_kinds.append(SEARCH_KINDS[choice])
                    if choice == 0:
                        params |= {
                            "country": rng.choice(countries),
                            "decision": rng.choice(decisions),
                        }
                    elif choice == 1:
                        params |= {"institution": str(rng.choice(institution_ids))}
                    elif choice == 2:
                        params |= {
                            "activity_type": "programme",
                            "year": str(rng.randrange(2008, 2026)),
                        }
                    elif choice == 3:
                        params |= {
                            "valid_on": str(
                                date(2010, 1, 1) + timedelta(days=rng.randrange(0, 5000))
                            ),
                            "decision": "negative",
                        }
                    else:
                        params |= {"active": "true", "country": rng.choice(countries)}
                    search_requests.append(("/v1/quality/evaluations", params))
                search_ms = measure(client, search_requests)
        finally:
            child.terminate()
            child.wait(timeout=20)
        for name, timings, target in (
            ("status", status_ms, STATUS_P99_TARGET_MS),
            ("search", search_ms, SEARCH_P99_TARGET_MS),
        ):
            p50, p99 = percentile(timings, 0.5), percentile(timings, 0.99)
            print(
                f"{name:<15} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  "
                f"mean {statistics.mean(timings):6.2f} ms  "
                f"(p99 target ≤ {target:.0f} ms, {len(timings)} sequential requests)"
            )
        for kind in SEARCH_KINDS:
            timings = [t for t, k in zip(search_ms, search_kinds, strict=True) if k == kind]
            print(
                f"  search by {kind:<22} p50 {percentile(timings, 0.5):6.2f} ms  "
                f"p99 {percentile(timings, 0.99):6.2f} ms"
            )
    finally:
        if args.keep:
            print(f"work dir: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    with machine_load():
        raise SystemExit(main())
