"""Console benchmark: every console page's server time and the first page load's size, on a
node holding the bench data (issue 21: 36k institutions, 50k evaluations, 10k decisions).

    .venv/bin/python -m bench.console [--data-dir ../shared/data] [--scale 1.0]
        [--requests 100] [--workdir DIR]

1. Fresh SQLite databases, migrated, filled as each service fills its own:
   - institutions: the ROR v2 dump through the directory's own ROR import (`edunode import
     institutions --format ror`), 35,990 records (every `1/scale`-th record at a smaller scale);
   - quality: the same institutions in its reference table (their directory ids), the eight
     agencies of `bench.quality`, and its DEQAR-style CSV of evaluations imported through the
     code path of `edunode import evaluations` (50,000 times the scale);
   - recognition: published decisions of four nodes (`DecisionService.apply_published`, as the
     consumer applies them; 10,000 times the scale) decided over the last two years, and 40
     open cases (through the API) for the queue.
2. The whole node served on real sockets in this process (`tests.served.served_node`: the
   gateway and every service, uvicorn, one event loop, a nats-server of its own); the quality
   service's events (QA statuses) reach the directory before anything is measured.
3. An admin signs in (the login form, its CSRF token) and every console page is fetched
   `--requests` times in turn, sequentially, after one warm-up round: the server time of a
   page is the wall time from sending the request to its last byte, on loopback, with the
   client in the same process (p50/p99; target p99 ≤ 100 ms). The first load of each page is
   its HTML plus the files it links (the stylesheet), as transferred (target ≤ 300 KB).

The rate limits are raised out of reach (`bench.conditions.RAISED_RATE_LIMITS`); a response
that is not 2xx stops the bench without a figure. `--scale` below 1 loads a fraction of the
data (for a busy machine); the report says which scale its figures are of.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import gzip
import json
import os
import random
import re
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from bench.conditions import RAISED_RATE_LIMITS, load_average, machine_load, require_2xx
from bench.quality import prepare as prepare_quality
from bench.quality import run_import, write_csv
from contracts.recognition import PublishedDecisionState
from edunode.natsserver import NatsServer, NatsServerConfig, find_free_port
from services.gateway.console.service import create_user_async
from services.institutions.bulk.formats import id_from_ror
from services.institutions.cli import ImportFormat, import_file
from services.quality.institutions.models import InstitutionCopy, InstitutionCopyIdentifier
from services.recognition.decisions.service import DecisionService
from services.recognition.settings import RecognitionSettings
from shared.auth import ROLE_SCOPES, Principal, Role, TokenIssuer, generate_token_key
from shared.db import Database, utcnow
from shared.migrations import upgrade
from tests.conftest import TokenKeys
from tests.served import served_node

ROOT = Path(__file__).resolve().parent.parent
NODE = "de"  # bench.quality's node: its agencies are this node's
PACKAGES = ("institutions", "quality", "recognition", "credentials", "mobility", "gateway")
INSTITUTIONS = 35_990
EVALUATIONS = 50_000
DECISIONS = 10_000
OPEN_CASES = 40
P99_TARGET_MS = 100.0
FIRST_LOAD_TARGET_KB = 300.0
PASSWORD = "bench console password"
OUTCOMES = ["recognised"] * 3 + ["conditional", "alternative", "partial", "refused"]
HOSTS = {"cn": "CN", "my": "MY", "de": "DE", "id": "ID"}


def ror_records(path: Path, scale: float) -> list[dict[str, Any]]:
    """The ROR v2 records, every `1/scale`-th of them below scale 1."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records: list[dict[str, Any]] = json.load(handle)
    if scale >= 1:
        return records
    stride = max(1, round(1 / scale))
    return records[::stride]


def country_of(record: dict[str, Any]) -> str:
    locations = record.get("locations") or [{}]
    return str((locations[0].get("geonames_details") or {}).get("country_code") or "XX").upper()


def name_of(record: dict[str, Any]) -> str:
    names = record.get("names") or []
    display = next((n["value"] for n in names if "ror_display" in n.get("types", [])), None)
    return str(display or (names[0]["value"] if names else record["id"]))[:500]


async def load_quality(url: str, records: list[dict[str, Any]], count: int, work: Path) -> None:
    """Quality's reference copies of the directory's institutions (by their directory ids),
    `bench.quality`'s agencies, and its evaluations CSV imported."""
    institutions = [
        {
            "ror": r["id"],
            "country": country_of(r),
            "name": name_of(r),
            "status": {"active": "active", "inactive": "inactive"}.get(
                str(r.get("status")), "closed"
            ),
        }
        for r in records
    ]
    database = Database(url)
    now = utcnow()
    async with database.session() as session:
        for start in range(0, len(institutions), 2000):
            batch = institutions[start : start + 2000]
            await session.execute(
                insert(InstitutionCopy),
                [
                    {
                        "id": id_from_ror(i["ror"]),
                        "origin_node": i["country"].lower(),
                        "country": i["country"],
                        "name": i["name"],
                        "status": i["status"],
                        "version": 1,
                        "updated_at": now,
                    }
                    for i in batch
                ],
            )
            await session.execute(
                insert(InstitutionCopyIdentifier),
                [
                    {"institution_id": id_from_ror(i["ror"]), "resource": "ROR", "value": i["ror"]}
                    for i in batch
                ],
            )
    await database.dispose()
    await prepare_quality(url, [])  # the agencies only
    csv_path = work / "evaluations.csv"
    write_csv(csv_path, count, institutions, random.Random(11))
    elapsed, summary = await run_import(url, csv_path)
    print(f"quality: {count} evaluations imported in {elapsed:.1f} s: {summary}", flush=True)


async def load_decisions(url: str, records: list[dict[str, Any]], count: int, work: Path) -> None:
    """Published decisions of four nodes, decided over the last two years, as the consumer
    applies them."""
    settings = RecognitionSettings(
        node_id=NODE,
        database_url=url,
        nats_url="nats://127.0.0.1:1",
        token_public_key_file=work / "token.pub",
        environment="test",
    )
    database = Database(url)
    rng = random.Random(13)
    today = date.today()
    started = time.perf_counter()
    for start in range(0, count, 2000):
        async with database.session() as session:
            decisions = DecisionService(session, settings)
            for _ in range(start, min(start + 2000, count)):
                record = rng.choice(records)
                origin_node = rng.choice(list(HOSTS))
                await decisions.apply_published(
                    PublishedDecisionState.model_validate(
                        {
                            "id": uuid.uuid4(),
                            "origin_node": origin_node,
                            "institution_id": id_from_ror(record["id"]),
                            "institution_name": name_of(record),
                            "qualification": "Bachelor",
                            "programme_level": "MQF:6",
                            "origin_country": country_of(record),
                            "host_country": HOSTS[origin_node],
                            "outcome": rng.choice(OUTCOMES),
                            "comparable_level": "CNDL:xueshi",
                            "reasons": ["level: comparable"],
                            "legal_basis": "national law",
                            "decided_on": today - timedelta(days=rng.randrange(730)),
                        }
                    ),
                    1,
                )
    await database.dispose()
    print(f"recognition: {count} published decisions in {time.perf_counter() - started:.1f} s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def wait_until(what: str, check: Callable[[], Any], timeout: float) -> float:
    """Poll `check()` (an awaitable's factory) until it is true; seconds taken."""
    started = time.perf_counter()
    while not await check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        await asyncio.sleep(5)
    return time.perf_counter() - started


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    """The login form as a browser sends it (its double-submit CSRF token)."""
    form = await client.get("/console/login")
    require_2xx("the login page", form.status_code, form.text)
    token = client.cookies.get("edunode_console_csrf")
    sent = await client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token or "", "next": ""},
    )
    if sent.status_code != 303 or "edunode_console" not in client.cookies:
        raise RuntimeError(f"sign-in failed: {sent.status_code} {sent.text[:300]}")


async def first_load_bytes(client: httpx.AsyncClient, path: str) -> int:
    """The page and every file it links (stylesheets, scripts, images), as transferred."""
    page = await client.get(path)
    require_2xx(path, page.status_code, page.text)
    total = page.num_bytes_downloaded + len(str(page.headers).encode())
    linked = set(re.findall(r'(?:href|src)="(/console/static/[^"]+)"', page.text))
    for asset in sorted(linked):
        fetched = await client.get(asset)
        require_2xx(asset, fetched.status_code)
        total += fetched.num_bytes_downloaded + len(str(fetched.headers).encode())
    return total


async def open_cases(
    client: httpx.AsyncClient, headers: dict[str, str], count: int, institution: dict[str, Any]
) -> str:
    """`count` cases opened, submitted and completed through the API; one assessed. Returns
    the assessed one's id."""
    case_id = ""
    for n in range(count):
        opened = await client.post(
            "/v1/recognition/cases",
            headers=headers,
            json={
                "applicant": {"given_name": "Bench", "family_name": f"Applicant {n}"},
                "purpose": "further_study",
                "qualification": {
                    "institution_id": institution["id"],
                    "country": institution["country"],
                    "title": f"Bachelor of Science {n}",
                    "level": "MQF:6",
                    "credits": 130,
                    "credit_system": "MY",
                    "awarded_on": "2020-06-30",
                },
                "target_level": "CNDL:xueshi",
            },
        )
        require_2xx("open a case", opened.status_code, opened.text)
        case_id = str(opened.json()["id"])
        for target in ("submitted", "complete"):
            moved = await client.post(
                f"/v1/recognition/cases/{case_id}/status",
                headers=headers,
                json={"to": target, "legal_reason": "bench"},
            )
            require_2xx(f"case to {target}", moved.status_code, moved.text)
    assessed = await client.post(f"/v1/recognition/cases/{case_id}/assessment", headers=headers)
    require_2xx("assessment", assessed.status_code, assessed.text)
    return case_id


async def run(args: argparse.Namespace) -> None:
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-console-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work directory: {work}; scale {args.scale:g}", flush=True)
    records = ror_records(args.data_dir / "ror" / "ror-v2-records.json.gz", args.scale)
    ror_path = work / "ror.json.gz"
    with gzip.open(ror_path, "wt", encoding="utf-8") as handle:
        json.dump(records, handle)
    evaluations = round(EVALUATIONS * args.scale)
    decisions = round(DECISIONS * args.scale)
    urls = {p: f"sqlite+aiosqlite:///{work / f'{p}.db'}" for p in PACKAGES}
    for package, url in urls.items():
        upgrade(f"services.{package}", url)
    private_pem, public_pem = generate_token_key()
    (work / "token.key").write_bytes(private_pem)
    (work / "token.pub").write_bytes(public_pem)
    keys = TokenKeys(private_pem, public_pem, work / "token.key", work / "token.pub")

    started = time.perf_counter()
    countries = sorted({country_of(r) for r in records})
    summary = await import_file(urls["institutions"], NODE, countries, ror_path, ImportFormat.ROR)
    print(
        f"institutions: {summary.created} imported (ROR) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    await load_quality(urls["quality"], records, evaluations, work)
    await load_decisions(urls["recognition"], records, decisions, work)
    await create_user_async(urls["gateway"], "bench.admin", "Bench Admin", "admin", PASSWORD)

    os.environ.update(RAISED_RATE_LIMITS)
    nats = NatsServer(
        NatsServerConfig(
            name="bench-console",
            port=find_free_port(),
            store_dir=work / "nats" / "store",
            domain=NODE,
        ),
        work / "nats",
    )
    nats.start()
    try:
        async with served_node(
            NODE,
            nats_url=nats.url,
            new_migrated_database_url=lambda package, _label: urls[package.split(".")[1]],
            token_keys=keys,
        ) as served:
            await measure(args, served.gateway_url, private_pem, len(records))
    finally:
        nats.stop()


async def measure(args: argparse.Namespace, base: str, private_pem: bytes, records: int) -> None:
    issuer = TokenIssuer(private_pem, issuer="edunode", key_id="bench", ttl_seconds=3600)
    officer = issuer.issue(
        Principal(
            client_id="bench-officer",
            role=Role.RECOGNITION_OFFICER,
            scopes=ROLE_SCOPES[Role.RECOGNITION_OFFICER],
            node=NODE,
        )
    )
    headers = {"Authorization": f"Bearer {officer}"}
    async with (
        httpx.AsyncClient(base_url=base, timeout=120) as client,
        httpx.AsyncClient(base_url=base, timeout=120) as signed_out,
    ):

        async def directory_loaded() -> bool:
            answer = await client.get("/v1/institutions", params={"limit": 1})
            return answer.status_code == 200 and bool(answer.json().get("facets"))

        last_count = [-1]

        async def statuses_settled() -> bool:
            """The directory's count of accredited institutions, unchanged since the last
            poll (and not zero): quality's events have all been applied."""
            answer = await client.get(
                "/v1/institutions", params={"limit": 1, "qa_status": "accredited"}
            )
            if answer.status_code != 200:
                return False
            count: int = sum(answer.json().get("facets", {}).get("country", {}).values())
            settled = count > 0 and count == last_count[0]
            last_count[0] = count
            return settled

        print(f"directory index: {await wait_until('index', directory_loaded, 900):.0f} s")
        waited = await wait_until("QA statuses", statuses_settled, 1800)
        print(f"QA statuses in the directory: {waited:.0f} s", flush=True)
        search = await client.get("/v1/institutions", params={"q": "University", "limit": 1})
        require_2xx("a search", search.status_code, search.text)
        institution = search.json()["items"][0]
        institution_id = institution["id"]
        case_id = await open_cases(client, headers, OPEN_CASES, institution)
        agencies = await client.get("/v1/quality/agencies", params={"limit": 1})
        require_2xx("agencies", agencies.status_code, agencies.text)
        agency_id = agencies.json()["items"][0]["id"]

        pages = {
            "login": "/console/login",
            "home": "/console",
            "search (q)": "/console/institutions?q=University+of+Technology",
            "search (country)": "/console/institutions?country=DE",
            "institution": f"/console/institutions/{institution_id}",
            "workspace": f"/console/institutions/{institution_id}/workspace",
            "case queue": "/console/cases",
            "case": f"/console/cases/{case_id}",
            "decisions": "/console/decisions",
            "decisions (filtered)": "/console/decisions?origin_country=DE&outcome=refused",
            "evaluations": f"/console/evaluations?agency={agency_id}",
            "frameworks": "/console/frameworks?left=MQF&right=CNDL",
            "agreements": "/console/agreements?country=MY",
            "federation": "/console/federation",
            "charts": "/console/charts",
            "charts (a country)": "/console/charts?side=origin&country=DE",
            "users": "/console/users",
        }
        # The login page signed out, the others as the admin.
        await sign_in(client, "bench.admin")
        as_whom = {name: signed_out if name == "login" else client for name in pages}
        sizes = {}
        for name, path in pages.items():
            sizes[name] = await first_load_bytes(as_whom[name], path)  # also the warm-up round
        gc.collect()
        gc.freeze()  # the loading's objects out of the measured requests' GC passes
        timings: dict[str, list[float]] = {name: [] for name in pages}
        # This process's CPU time too: the node and the client are all in it, so on a shared
        # machine it is the work a page costs, where the wall time also counts the wait for a
        # core.
        cpu: dict[str, list[float]] = {name: [] for name in pages}
        for _round in range(args.requests):
            for name, path in pages.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                answer = await as_whom[name].get(path)
                timings[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                require_2xx(f"{name} {path}", answer.status_code, answer.text)

    print(
        f"\nconsole pages, {args.requests} sequential GETs each, as an admin; data at scale "
        f"{args.scale:g} ({records} institutions, {round(EVALUATIONS * args.scale)} "
        f"evaluations, {round(DECISIONS * args.scale)} published decisions); {load_average()}"
    )
    print(f"  {'page':22} {'p50':>8} {'p99':>8} {'max':>8}  p99 ≤ {P99_TARGET_MS:.0f} ms"
          f"   first load  ≤ {FIRST_LOAD_TARGET_KB:.0f} KB   CPU p50    p99")  # fmt: skip
    missed = []
    for name, values in timings.items():
        p99 = percentile(values, 0.99)
        kb = sizes[name] / 1000
        time_ok = p99 <= P99_TARGET_MS
        size_ok = kb <= FIRST_LOAD_TARGET_KB
        if not (time_ok and size_ok):
            missed.append(name)
        print(
            f"  {name:22} {percentile(values, 0.5):6.1f}ms {p99:6.1f}ms {max(values):6.1f}ms"
            f"  {'met' if time_ok else 'MISSED':6}   {kb:7.1f} KB   "
            f"{'met' if size_ok else 'MISSED':6}   {percentile(cpu[name], 0.5):6.1f}ms "
            f"{percentile(cpu[name], 0.99):6.1f}ms"
        )
    print(f"\npages missing a target: {', '.join(missed) if missed else 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="the fraction of the issue's data to load (1: 36k institutions, 50k evaluations, "
        "10k decisions)",
    )
    parser.add_argument("--requests", type=int, default=100, help="GETs of each page")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if not 0 < args.scale <= 1:
        parser.error("--scale must be above 0 and at most 1")
    with machine_load():
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
