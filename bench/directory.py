"""Directory benchmark: the full ROR import, the service's memory with every record loaded,
search and match latency, and `GET /v1/institutions/{id}` against a bare baseline.

    .venv/bin/python -m bench.directory [--ror ../shared/data/ror/ror-v2-records.json.gz]
        [--postgres | --database-url postgresql+asyncpg://…] [--workers 1,2]
        [--duration 10] [--connections 64]

1. `edunode import institutions FILE --format ror --reference` into a fresh database (the
   command as a user runs it; wall time, target ≤ 60 s), then the same again (idempotent).
2. The institutions service (`python -m edunode.serve institutions`, as `edunode up` runs it)
   on that database; once its index is loaded, its resident memory (target ≤ 400 MB).
3. Search (`GET /v1/institutions?q=`) and match (`GET /v1/institutions/match?affiliation=`)
   latency p50/p99, alone and with 16 concurrent clients (targets, p99 with 16 clients: search
   ≤ 50 ms, match ≤ 100 ms), beside a yardstick (one institution by id, from memory), for each
   `--workers` count (processes serving the one port, `edunode up --workers N`; each holds its
   own index). 16 clients twice: this bench's httpx client, whose own CPU per request is about
   the service's on a 2-core machine, and 16 wrk connections cycling through the queries for
   10 s (the service's figure; the queries repeat). Queries: real names from the file (some
   with a typo) and affiliation strings from `../shared/data/matching/logs-train.csv`.
4. `GET /v1/institutions/{id}` with wrk (64 connections) on the service and on a bare FastAPI
   app doing one SQLAlchemy primary-key read per request on the same database
   (`bench/_pk_baseline.py`), measured in the same run; target: ≥ 1.5 times the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.conditions import load_average, machine_load, require_2xx, require_success
from bench.gateway import parse_wrk, process, run_wrk, wait_ready
from tests.support.network import free_port_block
from tests.support.postgres import PostgresCluster

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
PYTHON = sys.executable


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def latencies(
    base: str, path: str, param: str, queries: list[str], concurrency: int
) -> list[float]:
    timings: list[float] = []
    pending = list(queries)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def worker() -> None:
            while pending:
                query = pending.pop()
                started = time.perf_counter()
                response = await client.get(path, params={param: query})
                timings.append((time.perf_counter() - started) * 1000)
                require_2xx(f"{path}?{param}={query!r}", response.status_code, response.text)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return timings


# wrk cycles through the queries: a load generator in C, so that at 16 clients the figure is the
# service's, not this bench's Python client's (which costs about as much CPU per request).
WRK_CYCLE = """
local paths = {%s}
local position = 0
request = function()
  position = position + 1
  return wrk.format("GET", paths[(position %% #paths) + 1])
end
"""


def wrk_latencies(
    base: str, path: str, param: str, queries: list[str], connections: int, seconds: int
) -> tuple[float, float, float]:
    """Requests/s, p50 and p99 (ms) of `connections` wrk connections cycling through the
    queries for `seconds`; every response must be 2xx."""
    paths = [f"{path}?{urllib.parse.urlencode({param: q})}" for q in queries]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_CYCLE % ", ".join(f'"{p}"' for p in paths))
        script.flush()
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
        output = subprocess.run(
            [*command, "-s", script.name, base], check=True, capture_output=True, text=True
        ).stdout
    m = parse_wrk(path, output)
    require_success(f"{path} with wrk", m.bad_responses, detail="wrk")
    require_success(f"{path} with wrk", m.socket_errors, detail="socket errors")
    return m.requests_per_second, m.p50_ms, m.p99_ms


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ror", type=Path, default=DATA / "ror" / "ror-v2-records.json.gz")
    parser.add_argument("--matching", type=Path, default=DATA / "matching" / "logs-train.csv")
    parser.add_argument("--database-url", help="PostgreSQL base URL (SQLite when left out).")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="Put the database on a throwaway PostgreSQL cluster (production's engine).",
    )
    parser.add_argument("--workers", default="1,2", help="processes serving the service, per run")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(7)

    with (
        tempfile.TemporaryDirectory(prefix="edunode-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        work = Path(tmp)
        if args.postgres:
            args.database_url = stack.enter_context(PostgresCluster()).url_for("edunode_cn")
        logs = work / "logs"
        logs.mkdir()
        node = ["--node", "cn", "--data-dir", str(work / "cn")]
        if args.database_url:
            node += ["--database-url", args.database_url]
        command = [
            PYTHON,
            "-m",
            "edunode.cli",
            "import",
            "institutions",
            str(args.ror),
            "--format",
            "ror",
            "--reference",
            *node,
        ]
        for label in ("import", "re-import (idempotent)"):
            started = time.perf_counter()
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                raise SystemExit(result.stderr[-3000:])
            summary = [line for line in result.stderr.splitlines() if "│" in line][-1:]
            print(f"{label:<24} {elapsed:6.1f} s   {' '.join(summary)}", flush=True)

        from edunode.node import NodeConfig

        config = NodeConfig(node_id="cn", data_dir=work / "cn", database_url=args.database_url)
        database_url = config.database_url_for("institutions")
        with gzip.open(args.ror) as stream:
            records = json.loads(stream.read())
        names = [n["value"] for r in rng.sample(records, args.queries) for n in r["names"][:1]]
        search_queries = [typo(n, rng) if i % 3 == 0 else n for i, n in enumerate(names)]
        with args.matching.open(encoding="utf-8-sig") as stream:
            affiliations = [row[0] for row in csv.reader(stream)][1 : args.queries + 1]
        engine = "PostgreSQL" if args.database_url else "SQLite"
        for position, workers in enumerate(int(w) for w in args.workers.split(",")):
            print(f"\n{engine}, {workers} worker process(es); {load_average()}", flush=True)
            measure_service(
                database_url,
                workers,
                logs,
                records,
                search_queries,
                affiliations,
                args if position == 0 else None,
            )


def measure_service(
    database_url: str,
    workers: int,
    logs: Path,
    records: list[dict[str, Any]],
    search_queries: list[str],
    affiliations: list[str],
    wrk_args: argparse.Namespace | None,
) -> None:
    """Start the institutions service with `workers` processes on the database and print its
    memory, search and match latency, and (with `wrk_args`) GET by id against the baseline."""
    base_port = free_port_block(4)
    env = {
        "EDUNODE_INSTITUTIONS_NODE_ID": "cn",
        "EDUNODE_INSTITUTIONS_DATABASE_URL": database_url,
        "EDUNODE_INSTITUTIONS_NATS_URL": f"nats://127.0.0.1:{base_port + 3}",  # no broker
        "EDUNODE_INSTITUTIONS_PORT": str(base_port),
        "EDUNODE_INSTITUTIONS_LOG_LEVEL": "warning",
        "EDUNODE_INSTITUTIONS_WORKERS": str(workers),
    }
    service_url = f"http://127.0.0.1:{base_port}"
    baseline_url = f"http://127.0.0.1:{base_port + 1}"
    with (
        process(
            f"institutions-{workers}",
            [PYTHON, "-m", "edunode.serve", "institutions"],
            logs,
            env,
        ) as service,
        process(
            f"baseline-{workers}",
            [
                PYTHON,
                "-m",
                "uvicorn",
                "bench._pk_baseline:app",
                "--port",
                str(base_port + 1),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            logs,
            {"BASELINE_DATABASE_URL": database_url},
        ) as baseline,
    ):
        wait_ready(f"{service_url}/healthz", service, logs / f"institutions-{workers}.log")
        wait_ready(f"{baseline_url}/docs", baseline, logs / f"baseline-{workers}.log")
        started = time.perf_counter()
        # Each worker loads its own index and answers a search only then: wait until many
        # searches in a row, each on a new connection (any worker may take it), succeed.
        answered = 0
        while answered < 10 * workers:
            try:  # a worker loading its index may keep a request waiting
                search = httpx.get(f"{service_url}/v1/institutions", params={"q": "x"}, timeout=60)
            except httpx.TransportError:
                answered = 0
                continue
            answered = answered + 1 if search.status_code == 200 else 0
            if not answered:
                time.sleep(0.2)
        print(f"index loaded after        {time.perf_counter() - started:6.1f} s")
        parent = psutil.Process(service.pid)
        rss = sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])
        print(f"service RSS, all loaded   {rss / 2**20:6.0f} MB   (target ≤ 400 per process)")
        institution = httpx.get(
            f"{service_url}/v1/institutions/by-identifier/ror/{records[0]['id'][-9:]}"
        ).json()
        path = f"/v1/institutions/{institution['id']}"
        # The yardstick: one institution by id, answered from memory through the same stack,
        # as often as the searches; on a busy machine its tail shows what the machine adds.
        for label, path_, param, queries in (
            ("by id", path, "yardstick", [""] * len(search_queries)),
            ("search", "/v1/institutions", "q", search_queries),
            ("match", "/v1/institutions/match", "affiliation", affiliations),
        ):
            target = {"search": 50, "match": 100}.get(label)
            goal = f"   (target ≤ {target})" if target else ""
            for concurrency in (1, 16):
                timings = asyncio.run(latencies(service_url, path_, param, queries, concurrency))
                print(
                    f"{label:<7} {concurrency:>2} client(s)      p50 "
                    f"{percentile(timings, 50):6.1f} ms   p99 {percentile(timings, 99):6.1f} ms"
                    f"{'   (httpx client)' if concurrency > 1 else ''}"
                )
            rps, p50, p99 = wrk_latencies(service_url, path_, param, queries, 16, 10)
            print(
                f"{label:<7} 16 wrk connections  p50 {p50:6.1f} ms   p99 {p99:6.1f} ms"
                f"   {rps:5.0f} req/s{goal}",
                flush=True,
            )
        if wrk_args is None:
            return
        figures = {}
        for name, url in (("baseline", baseline_url + path), ("service", service_url + path)):
            run_wrk(name, url, wrk_args, seconds=wrk_args.warmup)
            figures[name] = run_wrk(name, url, wrk_args, seconds=wrk_args.duration)
        for name, m in figures.items():  # every response 2xx (`run_wrk` refuses others)
            print(
                f"GET by id {name:<9}       {m.requests_per_second:7.0f} req/s   "
                f"p50 {m.p50_ms:6.2f} ms   p99 {m.p99_ms:6.2f} ms"
            )
        ratio = figures["service"].requests_per_second / figures["baseline"].requests_per_second
        print(f"GET by id service/baseline {ratio:5.2f}x   (target ≥ 1.5)")


if __name__ == "__main__":
    with machine_load():
        main()
