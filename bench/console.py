"""Console benchmark: every console page's server time and the first page load's size, on a
node holding the bench data (issue 21: 36k institutions, 50k evaluations, 10k decisions),
started and loaded as an operator does it.

    .venv/bin/python -m bench.console [--data-dir ../shared/data] [--scale 1.0]
        [--requests 100] [--workdir DIR]

1. A node's data dir filled the product's way, before the node starts:
   - `edunode migrate`; `edunode import institutions --format ror` of the ROR v2 dump, 35,990
     records (every `1/scale`-th record at a smaller scale), the node having authority over
     every country in it;
   - `edunode import agencies`: the eight agencies of `bench.quality`;
   - published decisions of four nodes (10,000 times the scale), decided over the last two
     years, written into the node's recognition database through the consumer's own code
     (`DecisionService.apply_published`: what the node does with a peer's published decision);
   - `edunode users create --role admin` (the console's user; password on stdin).
2. `edunode up --node de` as a subprocess (its embedded nats-server, every service and the
   gateway, uvicorn on uvloop, as in production; the rate limits raised out of reach with
   `bench.conditions.RAISED_RATE_LIMITS`), ready on `/readyz`. The quality service's copies of
   the directory's institutions arrive through the node's events; then `edunode import
   evaluations` of `bench.quality`'s DEQAR-style CSV (50,000 times the scale) against the
   running node's data dir, and the QA statuses it publishes reach the directory before
   anything is measured. 40 cases are opened, submitted and completed through the API (a
   recognition officer's client from `edunode clients create`), one assessed.
3. The admin signs in through the login form (its CSRF token) and every console page is
   fetched `--requests` times in turn, sequentially, after one warm-up round, on one
   keep-alive connection from this process (another process than the node's): per page the
   wall time from sending the request to its last byte on loopback (p50/p99; target p99 ≤
   100 ms), and the CPU time the node spent on it (`/proc/<pid>/task/*/schedstat`, every
   thread): the gateway's own and the whole node's (gateway, services, nats-server). The first
   load of each page is its HTML plus the files it links (the stylesheet), as transferred
   (target ≤ 300 KB).

A response that is not 2xx stops the bench without a figure. `--scale` below 1 loads a
fraction of the data (for a busy machine); the report says which scale its figures are of.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.conditions import RAISED_RATE_LIMITS, load_average, machine_load, require_2xx
from bench.gateway import get_token, process, wait_ready
from bench.quality import agency_payloads, write_csv
from contracts.recognition import PublishedDecisionState
from edunode.node import NodeConfig
from services.institutions.bulk.formats import id_from_ror
from services.recognition.decisions.service import DecisionService
from services.recognition.settings import RecognitionSettings
from shared.db import Database
from tests.support.network import free_port_block

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NODE = "de"  # bench.quality's node: its agencies are this node's
INSTITUTIONS = 35_990
EVALUATIONS = 50_000
DECISIONS = 10_000
OPEN_CASES = 40
P99_TARGET_MS = 100.0
FIRST_LOAD_TARGET_KB = 300.0
ADMIN = "bench.admin"
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


def edunode(*args: str, data_dir: Path, stdin: str | None = None) -> str:
    """One `edunode` command against the node's data dir, as an operator runs it; its
    output (it must succeed)."""
    command = [PYTHON, "-m", "edunode.cli", *args, "--node", NODE, "--data-dir", str(data_dir)]
    done = subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"edunode {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def timed(what: str, *args: str, data_dir: Path) -> str:
    started = time.perf_counter()
    output = edunode(*args, data_dir=data_dir)
    summary = output.strip().splitlines()[-1][:300] if output.strip() else ""
    print(f"{what}: {time.perf_counter() - started:.1f} s {summary}".rstrip(), flush=True)
    return output


def agencies_file(work: Path) -> Path:
    """`bench.quality`'s agencies as `POST /v1/agencies` takes them."""
    path = work / "agencies.json"
    path.write_text(
        json.dumps(agency_payloads()),
        encoding="utf-8",
    )
    return path


async def load_decisions(config: NodeConfig, records: list[dict[str, Any]], count: int) -> None:
    """Published decisions of four nodes, decided over the last two years, applied to the
    node's recognition database as its consumer applies a peer's."""
    url = config.database_url_for("recognition")
    settings = RecognitionSettings(
        node_id=NODE,
        database_url=url,
        nats_url="nats://127.0.0.1:1",
        token_public_key_file=config.token_public_key,
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
    print(f"recognition: {count} published decisions: {time.perf_counter() - started:.1f} s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def wait_until(what: str, check: Callable[[], bool], timeout: float, every: float = 2) -> float:
    """Poll `check()` until it is true; seconds taken."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)
    return time.perf_counter() - started


def rows(database: Path, table: str) -> int:
    """A table's row count, read-only (the node's own database, as it runs)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        count: int = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


# -- the node's CPU time --------------------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """Seconds on a CPU of every thread of these processes (`/proc/<pid>/task/*/schedstat`,
    nanoseconds; the threads SQLite runs in count too)."""
    total = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            with contextlib.suppress(OSError, ValueError):
                total += int(task.read_text().split()[0])
    return total / 1e9


def node_processes(node: subprocess.Popen[bytes]) -> tuple[list[int], int]:
    """Every process of the node (the supervisor, nats-server, the services, the gateway) and
    the gateway's."""
    tree = [psutil.Process(node.pid), *psutil.Process(node.pid).children(recursive=True)]
    # A service forked by the supervisor keeps its command line but carries its service's
    # name (`comm`); one started on its own (`--workers`) ends its command line with it.
    gateway = [p.pid for p in tree if p.name() == "gateway" or p.cmdline()[-1:] == ["gateway"]]
    if len(gateway) != 1:
        raise RuntimeError(f"the gateway's process: {[p.cmdline() for p in tree]}")
    return [p.pid for p in tree], gateway[0]


# -- the console ----------------------------------------------------------------------------------


def sign_in(client: httpx.Client, username: str) -> None:
    """The login form as a browser sends it (its double-submit CSRF token)."""
    form = client.get("/console/login")
    require_2xx("the login page", form.status_code, form.text)
    token = client.cookies.get("edunode_console_csrf")
    sent = client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token or "", "next": ""},
    )
    if sent.status_code != 303 or "edunode_console" not in client.cookies:
        raise RuntimeError(f"sign-in failed: {sent.status_code} {sent.text[:300]}")


def first_load_bytes(client: httpx.Client, path: str) -> int:
    """The page and every file it links (stylesheets, scripts, images), as transferred."""
    page = client.get(path)
    require_2xx(path, page.status_code, page.text)
    total = page.num_bytes_downloaded + len(str(page.headers).encode())
    linked = set(re.findall(r'(?:href|src)="(/console/static/[^"]+)"', page.text))
    for asset in sorted(linked):
        fetched = client.get(asset)
        require_2xx(asset, fetched.status_code)
        total += fetched.num_bytes_downloaded + len(str(fetched.headers).encode())
    return total


def open_cases(
    client: httpx.Client, headers: dict[str, str], count: int, institution: dict[str, Any]
) -> str:
    """`count` cases opened, submitted and completed through the API; one assessed. Returns
    the assessed one's id."""
    case_id = ""
    for n in range(count):
        opened = client.post(
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
            moved = client.post(
                f"/v1/recognition/cases/{case_id}/status",
                headers=headers,
                json={"to": target, "legal_reason": "bench"},
            )
            require_2xx(f"case to {target}", moved.status_code, moved.text)
    assessed = client.post(f"/v1/recognition/cases/{case_id}/assessment", headers=headers)
    require_2xx("assessment", assessed.status_code, assessed.text)
    return case_id


def run(args: argparse.Namespace) -> None:
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-console-"))
    work.mkdir(parents=True, exist_ok=True)
    data_dir = work / "node"
    print(f"work directory: {work}; scale {args.scale:g}", flush=True)
    records = ror_records(args.data_dir / "ror" / "ror-v2-records.json.gz", args.scale)
    ror_path = work / "ror.json.gz"
    with gzip.open(ror_path, "wt", encoding="utf-8") as handle:
        json.dump(records, handle)
    countries = ",".join(sorted({country_of(r) for r in records}))
    evaluations = round(EVALUATIONS * args.scale)
    decisions = round(DECISIONS * args.scale)
    port = free_port_block(7)  # the gateway, five services and nats-server
    config = NodeConfig(node_id=NODE, data_dir=data_dir, port=port)

    timed("edunode migrate", "migrate", data_dir=data_dir)
    timed(
        f"edunode import institutions ({len(records)} ROR records)",
        *("import", "institutions", str(ror_path), "--format", "ror", "--countries", countries),
        data_dir=data_dir,
    )
    edunode("import", "agencies", str(agencies_file(work)), "--countries", countries,
            data_dir=data_dir)  # fmt: skip
    asyncio.run(load_decisions(config, records, decisions))
    edunode(
        *("users", "create", "--username", ADMIN, "--name", "Bench Admin", "--role", "admin"),
        "--password-stdin",
        data_dir=data_dir,
        stdin=PASSWORD + "\n",
    )

    gateway = f"http://127.0.0.1:{port}"
    command = [
        PYTHON, "-m", "edunode.cli", "up", "--node", NODE, "--port", str(port),
        "--data-dir", str(data_dir), "--countries", countries, "--log-level", "warning",
    ]  # fmt: skip
    print(f"edunode up --node {NODE} --port {port} --data-dir {data_dir}", flush=True)
    with process("node", command, work, dict(RAISED_RATE_LIMITS)) as node:
        wait_ready(f"{gateway}/readyz", node, work / "node.log", timeout=300)
        quality_db = data_dir / "db" / "quality.db"
        institutions = rows(data_dir / "db" / "institutions.db", "institution")
        waited = wait_until(
            "quality's copies of the institutions",
            lambda: rows(quality_db, "institution_ref") >= institutions,
            1800,
        )
        print(f"quality's copies of {institutions} institutions (events): {waited:.0f} s")
        csv_path = work / "evaluations.csv"
        write_csv(
            csv_path,
            evaluations,
            [{"ror": r["id"], "country": country_of(r)} for r in records],
            random.Random(11),
        )
        timed(
            f"edunode import evaluations ({evaluations} rows)",
            *("import", "evaluations", str(csv_path), "--format", "csv"),
            data_dir=data_dir,
        )
        pids, gateway_pid = node_processes(node)
        measure(args, gateway, data_dir, len(records), pids, gateway_pid)


def measure(
    args: argparse.Namespace,
    base: str,
    data_dir: Path,
    records: int,
    pids: list[int],
    gateway_pid: int,
) -> None:
    officer = json.loads(
        edunode(
            *("clients", "create", "--name", "bench-officer", "--role", "recognition_officer"),
            data_dir=data_dir,
        )
    )
    token = get_token(base, officer["client_id"], officer["client_secret"])
    headers = {"Authorization": f"Bearer {token}"}
    with (
        httpx.Client(base_url=base, timeout=120) as client,
        httpx.Client(base_url=base, timeout=120) as signed_out,
    ):
        last_count = [-1]

        def statuses_settled() -> bool:
            """The directory's count of accredited institutions, unchanged since the last
            poll (and not zero): quality's events have all been applied."""
            answer = client.get("/v1/institutions", params={"limit": 1, "qa_status": "accredited"})
            if answer.status_code != 200:
                return False
            count: int = sum(answer.json().get("facets", {}).get("country", {}).values())
            settled = count > 0 and count == last_count[0]
            last_count[0] = count
            return settled

        waited = wait_until("QA statuses", statuses_settled, 1800, every=5)
        print(f"QA statuses in the directory (events): {waited:.0f} s", flush=True)
        search = client.get("/v1/institutions", params={"q": "University", "limit": 1})
        require_2xx("a search", search.status_code, search.text)
        institution = search.json()["items"][0]
        institution_id = institution["id"]
        case_id = open_cases(client, headers, OPEN_CASES, institution)
        agencies = client.get("/v1/quality/agencies", params={"limit": 1})
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
        sign_in(client, ADMIN)
        as_whom = {name: signed_out if name == "login" else client for name in pages}
        sizes = {}
        for name, path in pages.items():
            sizes[name] = first_load_bytes(as_whom[name], path)  # also the warm-up round
        timings: dict[str, list[float]] = {name: [] for name in pages}
        gateway_cpu: dict[str, list[float]] = {name: [] for name in pages}
        node_cpu: dict[str, list[float]] = {name: [] for name in pages}
        print(f"before the measured requests: {load_average()}", flush=True)
        for _round in range(args.requests):
            for name, path in pages.items():
                node_before, gateway_before = cpu_seconds(pids), cpu_seconds([gateway_pid])
                started = time.perf_counter()
                answer = as_whom[name].get(path)
                timings[name].append((time.perf_counter() - started) * 1000)
                require_2xx(f"{name} {path}", answer.status_code, answer.text)
                gateway_cpu[name].append((cpu_seconds([gateway_pid]) - gateway_before) * 1000)
                node_cpu[name].append((cpu_seconds(pids) - node_before) * 1000)

    print(
        f"\nconsole pages of `edunode up`, {args.requests} sequential GETs each (one keep-alive "
        f"connection), as an admin; data at scale {args.scale:g} ({records} institutions, "
        f"{round(EVALUATIONS * args.scale)} evaluations, {round(DECISIONS * args.scale)} "
        f"published decisions); {load_average()}"
    )
    print(f"  {'':22} {'wall time':^27}  {'':6}   {'first load':^17}   "
          f"{'CPU, gateway':^15} {'CPU, node':^15}")  # fmt: skip
    print(f"  {'page':22} {'p50':>8} {'p99':>8} {'max':>8}  p99 ≤ {P99_TARGET_MS:.0f} ms"
          f"   ≤ {FIRST_LOAD_TARGET_KB:.0f} KB         {'p50':>7} {'p99':>7} {'p50':>7} "
          f"{'p99':>7}")  # fmt: skip
    missed = []

    def cpu(values: list[float]) -> str:
        return f"{percentile(values, 0.5):5.1f}ms {percentile(values, 0.99):5.1f}ms"

    for name, values in timings.items():
        p99 = percentile(values, 0.99)
        kb = sizes[name] / 1000
        time_ok = p99 <= P99_TARGET_MS
        size_ok = kb <= FIRST_LOAD_TARGET_KB
        if not (time_ok and size_ok):
            missed.append(name)
        print(
            f"  {name:22} {percentile(values, 0.5):6.1f}ms {p99:6.1f}ms {max(values):6.1f}ms"
            f"  {'met' if time_ok else 'MISSED':6}   {kb:7.1f} KB "
            f"{'met' if size_ok else 'MISSED':6}  "
            f"{cpu(gateway_cpu[name])} {cpu(node_cpu[name])}"
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
        run(args)


if __name__ == "__main__":
    main()
