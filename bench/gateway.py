"""Gateway benchmark: the same requests directly on a service and through the gateway.

    .venv/bin/python -m bench.gateway [--duration 10] [--connections 64] [--with-token]

1. A cheap GET (a bare FastAPI app, `bench/_stub_app.py`: 1 uvicorn worker, uvloop, httptools)
   directly, then through the gateway (`python -m edunode.serve gateway`, as `edunode up` runs
   it) anonymously and, with `--with-token`, carrying a bearer token so that the auth check runs.
2. The client decision: the same gateway with its hand-written upstream client
   (`services/gateway/upstream_client.py`) swapped for a tuned aiohttp session
   (`bench/_gateway_on_aiohttp.py`), anonymously. The hand-written client stays only while
   it beats the library on both throughput and p99 in the same run.
3. Unless `--no-reference`, two yardsticks: the issue's (`_reference_proxy.py`, a minimal
   FastAPI route on an aiohttp session) and the leanest proxy aiohttp allows
   (`_aiohttp_proxy.py`, bare ASGI, no work at all).
4. Unless `--no-node`: a whole node (`edunode up`) whose idle memory (PSS) is summed over all
   its processes (nats-server included), then a DB-backed `GET /v1/institutions/{id}` directly
   on the institutions service and through the gateway.

Load comes from `wrk` (`make bench-tools` installs the Debian package when missing). Figures are
printed as a table with the gateway/direct ratios; with `--rounds N` the targets are measured in
turn N times and the medians reported (the machine is shared: interleaving spreads the noise
evenly, and only ratios within one run compare). Each cheap-GET row also gives the CPU time
(user + system) that the answering process spent per request: the gateway's own cost next to the
service's, which the other work on a busy machine changes far less than it changes req/s and
p99. The gateway's rate limits are raised for the run (the limiter still runs and is measured),
and a run with any response that is not 2xx, or any socket error, fails instead of printing a
figure. The targets (issue 18): through the gateway, with and without a token, throughput ≥ 0.70
of direct and p99 ≤ 2 times direct on the cheap GET; an idle node ≤ 600 MB (issue 2)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from bench.conditions import RAISED_RATE_LIMITS, machine_load, require_success
from bench.memory import footprints
from tests.support.network import free_port_block

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

THROUGHPUT_TARGET = 0.70
P99_TARGET = 2.0
ANONYMOUS = "through the gateway"
ON_AIOHTTP = "through the gateway, aiohttp client"
MEMORY_TARGET_MB = 600


@dataclass(frozen=True)
class Measurement:
    """One wrk run."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad_responses: int
    socket_errors: int
    # CPU time (user + system) of the process that answered, per request: what the gateway
    # itself costs, which a busy machine hardly changes (None: not measured).
    cpu_us: float | None = None
    # Time the answering process spent runnable but waiting for a CPU, per request (Linux's
    # /proc/<pid>/schedstat): how much of the latency is the machine's other work.
    wait_us: float | None = None


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors:\s+(.+)")
_COUNT = re.compile(r"\d+")
_REQUESTS = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)


def scheduling(pid: int) -> tuple[float, float | None]:
    """Seconds a process has spent on a CPU and, where Linux tells, runnable but waiting for
    one (`/proc/<pid>/schedstat`); elsewhere its user + system time and None."""
    try:
        on_cpu, waiting, _slices = Path(f"/proc/{pid}/schedstat").read_text().split()
    except OSError:
        return sum(psutil.Process(pid).cpu_times()[:2]), None
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def parse_wrk(name: str, output: str) -> Measurement:
    """Requests/s and the 50th/99th latency percentiles from `wrk --latency` output."""
    rps = _RPS.search(output)
    percentiles = {p: float(v) * _UNIT_MS[u] for p, v, u in _PERCENTILE.findall(output)}
    if rps is None or set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    errors = _SOCKET_ERRORS.search(output)
    return Measurement(
        name=name,
        requests_per_second=float(rps.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        bad_responses=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(map(int, _COUNT.findall(errors.group(1)))) if errors else 0,
    )


def run_wrk(
    name: str,
    url: str,
    args: argparse.Namespace,
    headers: Sequence[str] = (),
    *,
    seconds: int,
    server: int | None = None,
) -> Measurement:
    """One wrk run against `url`; with `server` (the pid of the process that answers), also
    that process's CPU time per request."""
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--latency",
        *(part for header in headers for part in ("-H", header)),
        url,
    ]
    before = scheduling(server) if server is not None else None
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    measurement = parse_wrk(name, output)
    requests = _REQUESTS.search(output)
    if server is not None and before is not None and requests and int(requests.group(1)):
        count = int(requests.group(1))
        (cpu, wait), (cpu_before, wait_before) = scheduling(server), before
        measurement = dataclasses.replace(
            measurement,
            cpu_us=(cpu - cpu_before) / count * 1e6,
            wait_us=(
                (wait - wait_before) / count * 1e6
                if wait is not None and wait_before is not None
                else None
            ),
        )
    # wrk counts 3xx as answered; none of the benches' URLs redirects, so this is every failure.
    require_success(f"{name} ({url})", measurement.bad_responses, detail="wrk")
    require_success(f"{name} ({url})", measurement.socket_errors, detail="socket errors")
    return measurement


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    headers: tuple[str, ...] = ()
    server: int | None = None  # the pid of the process that answers, for its CPU time


def measure_all(targets: Sequence[Target], args: argparse.Namespace) -> dict[str, Measurement]:
    """Each target in turn, `--rounds` times, after a warm-up; the median of each figure."""
    runs: dict[str, list[Measurement]] = {target.name: [] for target in targets}
    for target in targets:
        check = httpx.get(
            target.url, headers=dict(h.split(": ", 1) for h in target.headers), timeout=10
        )
        if check.status_code != 200:
            raise RuntimeError(f"{target.url} answered {check.status_code}: {check.text[:300]}")
        run_wrk(target.name, target.url, args, target.headers, seconds=args.warmup)
    for round_number in range(1, args.rounds + 1):
        for target in targets:
            result = run_wrk(
                target.name,
                target.url,
                args,
                target.headers,
                seconds=args.duration,
                server=target.server,
            )
            runs[target.name].append(result)
            cpu = f"   CPU {result.cpu_us:5.0f} µs/req" if result.cpu_us is not None else ""
            if result.wait_us is not None:
                cpu += f", waiting for one {result.wait_us:5.0f}"
            print(
                f"  [{round_number}/{args.rounds}] {target.name:<36} "
                f"{result.requests_per_second:>7.0f} req/s   p50 {result.p50_ms:7.2f} ms   "
                f"p99 {result.p99_ms:7.2f} ms{cpu}",
                flush=True,
            )
    return {name: _median(name, results) for name, results in runs.items()}


def _median(name: str, results: list[Measurement]) -> Measurement:
    return Measurement(
        name=name,
        requests_per_second=statistics.median(r.requests_per_second for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        bad_responses=sum(r.bad_responses for r in results),
        socket_errors=sum(r.socket_errors for r in results),
        wait_us=statistics.median(waits)
        if (waits := [r.wait_us for r in results if r.wait_us is not None])
        else None,
        cpu_us=statistics.median(cpus)
        if (cpus := [r.cpu_us for r in results if r.cpu_us])
        else None,
    )


# -- processes ----------------------------------------------------------------------------------


@contextlib.contextmanager
def process(
    name: str, command: Sequence[str], log_dir: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command`; on exit SIGTERM it (its supervisor stops its children), then SIGKILL."""
    log = (log_dir / f"{name}.log").open("wb")
    child = subprocess.Popen(
        list(command),
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        log.close()


def uvicorn_command(app: str, port: int) -> list[str]:
    """One uvicorn worker on uvloop and httptools, as the services run."""
    return [
        PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log",
        "--log-level", "warning",
    ]  # fmt: skip


def wait_ready(url: str, child: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"{child.args!r} exited; see {log}:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout}s; see {log}")


def resident_mb(root: subprocess.Popen[bytes]) -> tuple[float, int]:
    """What a process and all its descendants hold in memory (PSS: a page shared by n of them
    counts 1/n in each, so the sum is what the machine gets back when they stop; the RSS sum
    counts the pages the supervisor's forked services share once per process), and how many
    processes there are. `bench/memory.py` prints each process's RSS, PSS and USS."""
    measured = footprints(root.pid)
    return sum(f.pss for f in measured), len(measured)


def get_token(gateway: str, client_id: str, client_secret: str) -> str:
    response = httpx.post(
        f"{gateway}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
        timeout=10,
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


# -- the two scenarios --------------------------------------------------------------------------


def cheap_get(args: argparse.Namespace, work: Path) -> list[tuple[Measurement, Measurement]]:
    from services.gateway.clients.service import create_client
    from shared.auth import generate_token_key
    from shared.migrations import upgrade

    private_pem, public_pem = generate_token_key()
    (work / "token.key").write_bytes(private_pem)
    (work / "token.pub").write_bytes(public_pem)
    database_url = f"sqlite+aiosqlite:///{work / 'gateway.db'}"
    upgrade("services.gateway", database_url)
    client_id, client_secret = create_client(
        database_url, "bench", "node_admin", "institutions:write"
    )

    stub_port, gateway_port = free_port_block(1), free_port_block(1)
    stub = f"http://127.0.0.1:{stub_port}"
    gateway = f"http://127.0.0.1:{gateway_port}"
    stub_command = uvicorn_command("bench._stub_app:app", stub_port)
    gateway_env = {
        "EDUNODE_GATEWAY_NODE_ID": "cn",
        "EDUNODE_GATEWAY_DATABASE_URL": database_url,
        "EDUNODE_GATEWAY_TOKEN_PRIVATE_KEY_FILE": str(work / "token.key"),
        "EDUNODE_GATEWAY_TOKEN_PUBLIC_KEY_FILE": str(work / "token.pub"),
        "EDUNODE_GATEWAY_INSTITUTIONS_URL": stub,
        "EDUNODE_GATEWAY_QUALITY_URL": stub,
        "EDUNODE_GATEWAY_RECOGNITION_URL": stub,
        "EDUNODE_GATEWAY_PORT": str(gateway_port),
        "EDUNODE_GATEWAY_LOG_LEVEL": "warning",
        # The limiter runs (its cost is measured) but never refuses the load generator.
        **RAISED_RATE_LIMITS,
    }
    path = "/v1/institutions/ping"
    print(f"\ncheap GET {path} (bare FastAPI app, 1 uvicorn worker)", flush=True)
    with contextlib.ExitStack() as stack:
        stub_process = stack.enter_context(process("stub", stub_command, work))
        gateway_command = [PYTHON, "-m", "edunode.serve", "gateway"]
        gw = stack.enter_context(process("gateway", gateway_command, work, gateway_env))
        wait_ready(f"{stub}/readyz", stub_process, work / "stub.log")
        wait_ready(f"{gateway}/healthz", gw, work / "gateway.log")
        targets = [
            Target("direct", stub + path, server=stub_process.pid),
            Target(ANONYMOUS, gateway + path, server=gw.pid),
        ]
        if args.with_token:
            token = get_token(gateway, client_id, client_secret)
            targets.append(
                Target(
                    "through the gateway, bearer token",
                    gateway + path,
                    (f"Authorization: Bearer {token}",),
                    server=gw.pid,
                )
            )
        if not args.no_client_comparison:
            targets.append(on_aiohttp(stack, gateway_env, path, work))
        if not args.no_reference:
            for name, module, label in (
                ("reference", "bench._reference_proxy:app", "reference: FastAPI route + aiohttp"),
                ("bare-aiohttp", "bench._aiohttp_proxy:app", "yardstick: bare ASGI + aiohttp"),
            ):
                port = free_port_block(1)
                command = uvicorn_command(module, port)
                child = stack.enter_context(process(name, command, work, {"UPSTREAM": stub}))
                url = f"http://127.0.0.1:{port}"
                wait_ready(url + path, child, work / f"{name}.log")
                targets.append(Target(label, url + path, server=child.pid))
        results = measure_all(targets, args)
    direct = results.pop("direct")
    return [(direct, result) for result in results.values()]


def on_aiohttp(
    stack: contextlib.ExitStack, gateway_env: dict[str, str], path: str, work: Path
) -> Target:
    """A second gateway, the same but for its upstream client: aiohttp's."""
    port = free_port_block(1)
    child = stack.enter_context(
        process(
            "gateway-on-aiohttp",
            [PYTHON, "-m", "bench._gateway_on_aiohttp"],
            work,
            {**gateway_env, "EDUNODE_GATEWAY_PORT": str(port)},
        )
    )
    wait_ready(f"http://127.0.0.1:{port}/healthz", child, work / "gateway-on-aiohttp.log")
    return Target(ON_AIOHTTP, f"http://127.0.0.1:{port}{path}", server=child.pid)


def whole_node(
    args: argparse.Namespace, work: Path
) -> tuple[float, int, list[tuple[Measurement, Measurement]]]:
    port = free_port_block(6)
    data_dir = work / "node"
    gateway = f"http://127.0.0.1:{port}"
    institutions = f"http://127.0.0.1:{port + 1}"
    command = [
        PYTHON, "-m", "edunode.cli", "up", "--node", "cn", "--port", str(port),
        "--data-dir", str(data_dir), "--log-level", "warning",
    ]  # fmt: skip
    print(f"\nwhole node (edunode up --node cn --port {port})", flush=True)
    # The DB-backed GET below is anonymous: at the default limits it would measure 429s.
    with process("node", command, work, dict(RAISED_RATE_LIMITS)) as node:
        wait_ready(f"{gateway}/readyz", node, work / "node.log", timeout=120)
        time.sleep(args.idle)
        memory, count = resident_mb(node)
        print(f"  idle node in memory (PSS sum): {memory:.0f} MB in {count} processes", flush=True)

        created = subprocess.run(
            [
                PYTHON,
                "-m",
                "edunode.cli",
                "clients",
                "create",
                "--name",
                "bench",
                "--role",
                "registrar",
                "--node",
                "cn",
                "--data-dir",
                str(data_dir),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        credentials = json.loads(created.stdout)
        token = get_token(gateway, credentials["client_id"], credentials["client_secret"])
        response = httpx.post(
            f"{gateway}/v1/institutions",
            json={"name": "Universiti Benchmark", "country": "CN", "city": "Beijing"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        response.raise_for_status()
        path = f"/v1/institutions/{response.json()['id']}"
        print(f"  DB-backed GET {path}", flush=True)
        direct_name = "direct (institutions service)"
        results = measure_all(
            [
                Target(direct_name, institutions + path),
                Target(ANONYMOUS, gateway + path),
            ],
            args,
        )
    return memory, count, [(results[direct_name], results[ANONYMOUS])]


# -- report -------------------------------------------------------------------------------------


def report(
    cheap: list[tuple[Measurement, Measurement]],
    node: tuple[float, int, list[tuple[Measurement, Measurement]]] | None,
    args: argparse.Namespace,
) -> bool:
    rows = [("cheap GET", pair) for pair in cheap]
    if node is not None:
        rows += [("DB-backed GET", pair) for pair in node[2]]
    print(
        f"\n{args.connections} connections, {args.threads} wrk threads, {args.duration} s per "
        f"run, median of {args.rounds} round(s), every response 2xx\n"
    )
    header = (
        f"{'case':<52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/req':>10} "
        f"{'wait µs/req':>11}   "
        f"{'ratio req/s':>11} {'ratio p99':>9} {'ratio CPU':>9}"
    )
    print(header)
    print("-" * len(header))
    printed: set[int] = set()
    ok = True
    for label, (direct, through) in rows:
        if id(direct) not in printed:
            print(
                f"{label + ': ' + direct.name:<52} {direct.requests_per_second:>9.0f} "
                f"{direct.p50_ms:>8.2f} {direct.p99_ms:>8.2f} {_cpu(direct.cpu_us):>10} "
                f"{_cpu(direct.wait_us):>11}"
            )
            printed.add(id(direct))
        throughput = through.requests_per_second / direct.requests_per_second
        latency = through.p99_ms / direct.p99_ms
        cpu = (
            f"{through.cpu_us / direct.cpu_us:>9.2f}"
            if through.cpu_us is not None and direct.cpu_us is not None
            else ""
        )
        print(
            f"{label + ': ' + through.name:<52} {through.requests_per_second:>9.0f} "
            f"{through.p50_ms:>8.2f} {through.p99_ms:>8.2f} {_cpu(through.cpu_us):>10} "
            f"{_cpu(through.wait_us):>11}   "
            f"{throughput:>11.2f} {latency:>9.2f} {cpu}"
        )
        if (
            label == "cheap GET"
            and through.name.startswith(ANONYMOUS)
            and through.name != ON_AIOHTTP
        ):
            ok &= throughput >= THROUGHPUT_TARGET and latency <= P99_TARGET
    print(
        f"\ntargets (cheap GET, through the gateway with and without a token): throughput "
        f"ratio >= {THROUGHPUT_TARGET}, p99 ratio <= {P99_TARGET:g}\n"
        "(CPU µs/req: the time the answering process alone spent on a CPU, per request; what a\n"
        "busy machine changes least: the gateway's own cost next to the service's. wait µs/req:\n"
        "the time it was ready to run but waiting for a CPU, per request: the machine's share\n"
        "of the latency)"
    )
    measured = {through.name: through for _direct, through in cheap}
    if ON_AIOHTTP in measured:
        ok &= client_decision(measured)
    if node is not None:
        memory, count, _ = node
        print(
            f"idle node: {memory:.0f} MB in memory (PSS sum) in {count} processes "
            f"(target <= {MEMORY_TARGET_MB} MB)"
        )
        ok &= memory <= MEMORY_TARGET_MB
    print("result:", "all targets met" if ok else "TARGET MISSED")
    return ok


def client_decision(measured: dict[str, Measurement]) -> bool:
    """Whether the hand-written upstream client beats aiohttp's in the same gateway, in this
    run, on both throughput and p99: the condition for keeping it (issue 18)."""
    own, library = measured[ANONYMOUS], measured[ON_AIOHTTP]
    faster = own.requests_per_second / library.requests_per_second
    tail = own.p99_ms / library.p99_ms
    keep = faster > 1 and tail < 1
    cpu = (
        f", {own.cpu_us / library.cpu_us:.2f}x its CPU per request"
        if own.cpu_us is not None and library.cpu_us is not None
        else ""
    )
    if any(m.wait_us is not None and m.cpu_us and m.wait_us > m.cpu_us for m in (own, library)):
        print(
            "(a busy machine: these gateways waited longer for a CPU than they ran, so their "
            "p99 is\n mostly that wait and one short round can reverse it; take several rounds)"
        )
    print(
        f"upstream client: the hand-written one does {faster:.2f}x aiohttp's requests/s at "
        f"{tail:.2f}x its p99{cpu} -> "
        + ("keep it (it beats the library on both)" if keep else "REPLACE IT with the library")
    )
    return keep


def _cpu(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--with-token", action="store_true", help="also run through the gateway with a token"
    )
    parser.add_argument("--rounds", type=int, default=1, help="measure each target N times")
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the two aiohttp yardsticks"
    )
    parser.add_argument(
        "--no-client-comparison",
        action="store_true",
        help="skip the gateway on aiohttp's client (the hand-written client's justification)",
    )
    parser.add_argument("--no-node", action="store_true", help="skip the whole-node part")
    parser.add_argument("--idle", type=float, default=5, help="seconds idle before memory")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs)")
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: install it (Debian/Ubuntu: sudo apt-get install -y wrk; "
            "macOS: brew install wrk) and run again.",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(ROOT))
    work = Path(tempfile.mkdtemp(prefix="edunode-bench-"))
    try:
        cheap = cheap_get(args, work)
        node = None if args.no_node else whole_node(args, work)
        ok = report(cheap, node, args)
    finally:
        if args.keep:
            print(f"work dir kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    with machine_load():
        raise SystemExit(main())
