"""Load benchmark: a mixed read/write workload against one node through its gateway.

    .venv/bin/python -m bench.load [--duration 60] [--connections 32] [--workers 1,2] [--postgres]

A node (`edunode up --node cn`) is started with the real ROR records of its country imported
and a registrar client; `wrk` (a real load generator, `apt-get install -y wrk`) then drives it
through the gateway for `--duration` seconds with this mix, cycled in a fixed order:

- 70 % search and lookups: `GET /v1/institutions?q=…` (names and words of the imported
  records, one in five with a typo), `GET /v1/institutions/{id}`, and
  `GET /v1/institutions/match?affiliation=…`;
- 20 % QA status: `GET /v1/quality/status?institution={id}`;
- 10 % writes: `POST /v1/institutions` with a registrar's bearer token.

It prints requests/s, p50/p95/p99 and the count of responses (every one must be 2xx: a run
with any other, a 429 included, or a socket error fails instead), for each `--workers` count
(processes per service, `edunode up --workers N`), and the ratio to the bare gateway ceiling
measured in the same run the way `bench/gateway.py` does (a cheap GET on a bare FastAPI app
through the gateway). The gateway's rate limits are raised for
the run: one load generator is one client at one address. `--postgres` puts the node's
databases on a throwaway PostgreSQL cluster (production's engine) instead of SQLite files.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.conditions import RAISED_RATE_LIMITS, load_average, machine_load, require_success
from bench.gateway import (
    PYTHON,
    ROOT,
    cheap_get,
    get_token,
    process,
    wait_ready,
)
from tests.support.network import free_port_block
from tests.support.postgres import PostgresCluster

ROR_DUMP = ROOT.parent / "shared" / "data" / "ror" / "ror-v2-records.json.gz"
NODE = "cn"

# wrk runs this in each of its threads: `paths` is the fixed cycle of reads, every tenth
# request is a write with a unique name; the statuses are counted per class.
LUA = r"""
local reads = {%(reads)s}
local token = "%(token)s"
local position = 0
local written = 0
local thread_number = 0
counts = {ok = 0, limited = 0, client = 0, server = 0, other = 0}

function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
  table.insert(threads, thread)
end

function init(args)
  position = thread_number * 7919
end

function request()
  position = position + 1
  if position %% 10 == 0 then
    written = written + 1
    local body = string.format(
      '{"name": "Load Test Institute %%d-%%d", "country": "CN", "city": "Beijing"}',
      thread_number, written)
    return wrk.format("POST", "/v1/institutions",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
  end
  return wrk.format("GET", reads[(position %% #reads) + 1])
end

function response(status, headers, body)
  if status >= 200 and status < 300 then counts.ok = counts.ok + 1
  elseif status == 429 then counts.limited = counts.limited + 1
  elseif status >= 400 and status < 500 then counts.client = counts.client + 1
  elseif status >= 500 then counts.server = counts.server + 1
  else counts.other = counts.other + 1 end
end

threads = {}

function done(summary, latency, requests)
  local total = {ok = 0, limited = 0, client = 0, server = 0, other = 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for key, value in pairs(c) do total[key] = total[key] + value end
  end
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, ' ..
    '"ok": %%d, "limited": %%d, "client": %%d, "server": %%d, "other": %%d, ' ..
    '"socket_errors": %%d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    total.ok, total.limited, total.client, total.server, total.other,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class LoadResult:
    workers: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    counts: dict[str, int]


def country_records(country: str, work: Path) -> Path:
    """The ROR records of one country, as a plain JSON file for `edunode import`."""
    with gzip.open(ROR_DUMP, "rt", encoding="utf-8") as source:
        records = json.load(source)
    mine = [
        record
        for record in records
        if any(
            (location.get("geonames_details") or {}).get("country_code") == country
            for location in record.get("locations") or []
        )
    ]
    path = work / f"ror-{country}.json"
    path.write_text(json.dumps(mine), encoding="utf-8")
    return path


def cli(*args: str, data_dir: Path, database_url: str | None) -> str:
    command = [PYTHON, "-m", "edunode.cli", *args, "--node", NODE, "--data-dir", str(data_dir)]
    if database_url:
        command += ["--database-url", database_url]
    completed = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return completed.stdout


def read_paths(gateway: str, count: int, seed: int = 7) -> list[str]:
    """The reads of the mix, in a shuffled fixed order: 7 of search/lookup to 2 of status."""
    ids: list[str] = []
    names: list[str] = []
    cursor: str | None = None
    while len(ids) < 2000:
        params: dict[str, Any] = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = httpx.get(f"{gateway}/v1/institutions", params=params, timeout=30).json()
        ids += [item["id"] for item in page["items"]]
        names += [item["name"] for item in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    if not ids:
        raise SystemExit("the node holds no institutions to read")
    rng = random.Random(seed)
    words = [w for name in names for w in re.findall(r"\w{4,}", name)]

    def typo(text: str) -> str:
        if len(text) < 4:
            return text
        at = rng.randrange(1, len(text) - 1)
        return text[:at] + text[at + 1 :]

    def search() -> str:
        kind = rng.random()
        if kind >= 0.8:
            affiliation = f"Dept. of Physics, {rng.choice(names)}, Beijing, China"
            return "/v1/institutions/match?" + str(httpx.QueryParams({"affiliation": affiliation}))
        if kind < 0.4:
            query = rng.choice(names)
        elif kind < 0.6:
            query = typo(rng.choice(names))
        else:
            query = " ".join(rng.sample(words, 2)) if len(words) > 1 else "university"
        return "/v1/institutions?" + str(httpx.QueryParams({"q": query}))

    paths: list[str] = []
    for _ in range(count):
        for _ in range(7):
            paths.append(search() if rng.random() < 0.5 else f"/v1/institutions/{rng.choice(ids)}")
        for _ in range(2):
            paths.append(
                f"/v1/quality/status?{httpx.QueryParams({'institution': rng.choice(ids)})}"
            )
    return paths


def lua_script(paths: list[str], token: str, work: Path) -> Path:
    reads = ", ".join(json.dumps(path) for path in paths)
    script = work / "mix.lua"
    script.write_text(LUA % {"reads": reads, "token": token}, encoding="utf-8")
    return script


def run_mix(gateway: str, script: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--timeout", "10s", "-s", str(script), gateway,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next((ln for ln in output.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


def measure_node(workers: int, data_dir: Path, source: Path, args: argparse.Namespace,
                 work: Path, database_url: str | None) -> LoadResult:  # fmt: skip
    port = free_port_block(6)
    gateway = f"http://127.0.0.1:{port}"
    command = [
        PYTHON, "-m", "edunode.cli", "up", "--node", NODE, "--port", str(port),
        "--data-dir", str(data_dir), "--log-level", "warning", "--workers", str(workers),
        *(["--database-url", database_url] if database_url else []),
    ]  # fmt: skip
    print(f"\nnode with {workers} worker process(es) per service", flush=True)
    with process(f"node-{workers}", command, work, dict(RAISED_RATE_LIMITS)) as node:
        wait_ready(f"{gateway}/readyz", node, work / f"node-{workers}.log", timeout=300)
        started = time.perf_counter()
        cli("import", "institutions", str(source), "--format", "ror", data_dir=data_dir,
            database_url=database_url)  # fmt: skip
        print(f"  imported the ROR records of CN in {time.perf_counter() - started:.1f} s")
        created = cli("clients", "create", "--name", "load", "--role", "registrar",
                      data_dir=data_dir, database_url=database_url)  # fmt: skip
        credentials = json.loads(created)
        token = get_token(gateway, credentials["client_id"], credentials["client_secret"])
        deadline = time.monotonic() + 120
        while httpx.get(f"{gateway}/v1/institutions?limit=1", timeout=30).json()["items"] == []:
            if time.monotonic() > deadline:
                raise SystemExit("the imported records did not become readable")
            time.sleep(1)
        script = lua_script(read_paths(gateway, args.paths), token, work)
        warmup = argparse.Namespace(**{**vars(args), "duration": args.warmup})
        run_mix(gateway, script, warmup)
        result = run_mix(gateway, script, args)
    counts = {key: int(result[key]) for key in ("ok", "limited", "client", "server", "other")}
    counts["socket_errors"] = int(result["socket_errors"])
    require_success(
        f"the mix with {workers} worker process(es) per service",
        sum(counts.values()) - counts["ok"],
        out_of=sum(counts.values()),
        detail=", ".join(f"{key} {value}" for key, value in counts.items()),
    )
    measured = LoadResult(
        workers=workers,
        requests_per_second=result["requests"] / result["seconds"],
        p50_ms=result["p50"],
        p95_ms=result["p95"],
        p99_ms=result["p99"],
        counts=counts,
    )
    print(
        f"  {measured.requests_per_second:.0f} req/s, p50 {measured.p50_ms:.1f} ms, "
        f"p95 {measured.p95_ms:.1f} ms, p99 {measured.p99_ms:.1f} ms, responses {counts}",
        flush=True,
    )
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of measured load")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", default="1,2", help="processes per service, per run")
    parser.add_argument("--paths", type=int, default=300, help="cycles of 9 reads in the mix")
    parser.add_argument(
        "--postgres", action="store_true",
        help="the node's databases on a throwaway PostgreSQL cluster instead of SQLite files",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian/Ubuntu: apt-get install -y wrk)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="edunode-bench-load-"))
    try:
        ceiling_args = argparse.Namespace(
            threads=args.threads, connections=args.connections, duration=10, warmup=2,
            rounds=1, with_token=False, no_reference=True, no_client_comparison=True,
        )  # fmt: skip
        ((_direct, through),) = cheap_get(ceiling_args, work)
        ceiling = through.requests_per_second
        source = country_records("CN", work)
        with contextlib.ExitStack() as stack:
            cluster = stack.enter_context(PostgresCluster()) if args.postgres else None
            # Each run on a node of its own, from the same import: a run on the node the one
            # before had written to would search thousands more institutions, all named alike
            # ("Load Test Institute 1-2"), and its figures would not compare.
            results = [
                measure_node(
                    int(workers),
                    work / f"node-{workers}",
                    source,
                    args,
                    work,
                    cluster.url_for(f"edunode_cn_{workers}") if cluster else None,
                )
                for workers in args.workers.split(",")
            ]
    finally:
        if args.keep:
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\n{'PostgreSQL' if args.postgres else 'SQLite'}, "
        f"{args.connections} connections, {args.threads} wrk threads, {args.duration} s, "
        f"{load_average()}; every response 2xx; bare gateway ceiling "
        f"(cheap GET through the gateway) {ceiling:.0f} req/s\n"
    )
    header = (
        f"{'workers':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'ceiling':>8} {'2xx':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.workers:>7} {r.requests_per_second:>8.0f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} "
            f"{r.p99_ms:>8.1f} {r.requests_per_second / ceiling:>8.2f} {r.counts['ok']:>8}"
        )
    return 0


if __name__ == "__main__":
    with machine_load():
        raise SystemExit(main())
