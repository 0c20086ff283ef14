"""Federation benchmark: a hub and three real nodes (`edunode up` processes) on this machine.

Prints, for changes made at `cn` and read at `my`:
- propagation latency from the origin's commit (the 201 of the POST) to the record being
  readable through the peer's API, p50/p99 over `--changes` sequential changes;
- sustained replicated throughput: `--burst` records created at `cn` by its bulk CSV import
  (rows and events written by `edunode import institutions`, published by the running relay),
  events applied per second at `my`;
- catch-up: `my`'s leaf link cut (through a TCP relay), `--partition` records created at `cn`
  the same way and published, the link restored, and the time until `my` holds the same
  records and versions as `cn`; with the backlog all there at once, the rate from the first
  record arriving to the last is the apply rate a node sustains (its three services each
  apply every institution event).

Targets (issue 6): p99 ≤ 1 s, ≥ 500 events/s applied per node, catch-up ≤ 60 s (aim ≤ 15 s).
The links are the hardened ones (issue 16): each node signs in to the hub with its leaf NKey
over TLS, with sourcing-only permissions, as `edunode hub` and `edunode up --hub` run them.

    .venv/bin/python -m bench.federation [--changes 1000] [--burst 2000] [--partition 10000]
        [--background-load N]

`--background-load N` measures propagation on a busy machine: N processes of its own spin on the
CPU while the changes are made (one per core keeps every core busy), each stopping by itself
after `--background-seconds` even if the bench dies; the load average is printed with the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.conditions import RAISED_RATE_LIMITS, load_average, machine_load, require_2xx
from edunode.demo import DemoFederation, ensure_admin_client
from edunode.natsserver import find_free_port
from edunode.node import NodeConfig
from tests.support.network import Link, free_port_block

NODES = ("cn", "my", "de")


def start_federation(
    root: Path, *, relayed: str = "my", start_timeout: float = 180
) -> tuple[dict[str, NodeConfig], Link, list[Any]]:
    """The hub and the nodes, `relayed`'s leaf link through a `Link` that can be cut; returns
    the configs, the link and what to stop (the hub first, then the node processes)."""
    ports = {node: free_port_block() for node in NODES}
    demo = DemoFederation(
        data_dir=root,
        hub_port=find_free_port(),
        leafnode_port=find_free_port(),
        monitoring_port=find_free_port(),
        nodes=ports,
    )
    demo.write_trust_list()
    hub = demo.hub().server()
    hub.start()
    link = Link(target_port=demo.leafnode_port)
    configs = {config.node_id: config for config in demo.node_configs()}
    configs[relayed].hub = f"nats-leaf://127.0.0.1:{link.port}"
    processes = []
    for node, config in configs.items():
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "edunode.cli",
                    "up",
                    "--node",
                    node,
                    "--port",
                    str(config.port),
                    "--data-dir",
                    str(config.data_dir),
                    "--hub",
                    str(config.hub),
                    "--hub-ca",
                    str(config.hub_ca),
                    "--trust",
                    str(config.trust_file),
                    "--log-level",
                    "warning",
                ],
                stdout=subprocess.DEVNULL,
                stderr=(root / f"{node}.log").open("ab"),
            )
        )
    try:
        for config in configs.values():
            deadline = time.monotonic() + start_timeout
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{config.service_url('gateway')}/readyz").status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit(f"{config.node_id} did not start; see {root}")
                time.sleep(0.5)
        hub.wait_for_leafnodes(3, timeout=60)
    except BaseException:  # no node left running behind a failed start
        stop_federation([hub, *processes])
        raise
    return configs, link, [hub, *processes]


def stop_federation(owned: list[Any]) -> None:
    """Stop what `start_federation` started: the nodes (SIGTERM, then their supervisors stop
    their services), then the hub."""
    for process in owned[1:]:
        process.send_signal(signal.SIGTERM)
    for process in owned[1:]:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
    owned[0].stop()


def token(config: NodeConfig) -> str:
    credentials = ensure_admin_client(config)
    response = httpx.post(
        f"{config.service_url('gateway')}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
        },
    )
    response.raise_for_status()
    value: str = response.json()["access_token"]
    return value


# One busy process: spins until its own deadline, so it never outlives the bench by long.
_SPIN = """import sys, time
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    sum(range(1000))
"""


@contextlib.contextmanager
def background_load(processes: int, seconds: float) -> Any:
    """`processes` CPU-bound processes running for the block (at most `seconds`)."""
    spinners = [
        subprocess.Popen([sys.executable, "-c", _SPIN, str(seconds)]) for _ in range(processes)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
        for spinner in spinners:
            with contextlib.suppress(subprocess.TimeoutExpired):
                spinner.wait(timeout=10)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def propagation(cn: str, my: str, auth: dict[str, str], changes: int) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(timeout=10) as client:
        for i in range(changes):
            response = await client.post(
                f"{cn}/v1/institutions",
                json={"name": f"Propagation {i}", "country": "CN"},
                headers=auth,
            )
            response.raise_for_status()
            committed = time.perf_counter()
            url = f"{my}/v1/institutions/{response.json()['id']}"
            # Polling HTTP: nothing to wait on in this process.
            while (polled := await client.get(url)).status_code == 404:  # noqa: ASYNC110
                await asyncio.sleep(0.002)
            require_2xx(f"GET {url}", polled.status_code, polled.text)  # a 429 is no arrival
            latencies.append(time.perf_counter() - committed)
    return latencies


def bulk_create(config: NodeConfig, count: int, label: str, root: Path) -> float:
    """Create `count` institutions at a running node with its bulk CSV import; returns the
    seconds until its outbox relay has published them all."""
    path = root / f"{label}.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("name,country,city\n")
        for i in range(count):
            out.write(f"{label} institute {i},{config.countries[0]},Bench\n")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable, "-m", "edunode.cli", "import", "institutions", str(path),
            "--format", "csv", "--node", config.node_id, "--data-dir", str(config.data_dir),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    metrics = f"http://127.0.0.1:{config.service_port('institutions')}/metrics"
    while True:
        page = httpx.get(metrics)
        require_2xx(f"GET {metrics}", page.status_code, page.text)
        backlog = next(
            (
                float(line.split()[-1])
                for line in page.text.splitlines()
                if line.startswith('edunode_outbox_backlog{service="institutions"} ')
            ),
            1.0,
        )
        if backlog == 0:
            return time.perf_counter() - started
        time.sleep(0.2)


def institution_digest(base: str) -> dict[str, Any]:
    response = httpx.get(f"{base}/v1/federation/status", timeout=30)
    require_2xx(f"GET {base}/v1/federation/status", response.status_code, response.text)
    digest: dict[str, Any] = response.json()["records"]["institution"]
    return digest


def events_applied(config: NodeConfig) -> float:
    """How many events the node's institutions service has applied (its consumers' count,
    moved when a batch's transaction commits): a cheap read, unlike the digest."""
    metrics = f"http://127.0.0.1:{config.service_port('institutions')}/metrics"
    page = httpx.get(metrics, timeout=30)
    require_2xx(f"GET {metrics}", page.status_code, page.text)
    return sum(
        float(line.split()[-1])
        for line in page.text.splitlines()
        if line.startswith("edunode_events_consumed_total{") and 'outcome="applied"' in line
    )


def wait_converged(cn: str, my: NodeConfig, timeout: float) -> tuple[float, float]:
    """Seconds until `my` holds what `cn` holds, and until the first record arrived there
    (the rest of the time is `my` applying, the rate a node sustains). The first arrival is
    watched every 50 ms in `my`'s count of applied events; convergence is the digests'
    agreement, polled every 0.5 s since each poll has both nodes checksum every record."""
    gateway = my.service_url("gateway")
    started = time.perf_counter()
    before = events_applied(my)
    first: float | None = None
    next_digest = started
    while (now := time.perf_counter()) - started < timeout:
        if first is None and events_applied(my) != before:
            first = now - started
        if now >= next_digest:
            if institution_digest(cn) == institution_digest(gateway):
                elapsed = time.perf_counter() - started
                return elapsed, elapsed if first is None else first
            next_digest = time.perf_counter() + 0.5
        time.sleep(0.05)
    raise SystemExit(f"not converged after {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--partition", type=int, default=10000)
    parser.add_argument(
        "--background-load",
        type=int,
        default=0,
        metavar="N",
        help="CPU-bound processes of its own running while propagation is measured.",
    )
    parser.add_argument("--background-seconds", type=float, default=600)
    args = parser.parse_args()
    # The propagation probe polls `my` anonymously every 2 ms: far beyond an anonymous
    # caller's default rate limit, which would measure the limiter instead of replication.
    for name, value in RAISED_RATE_LIMITS.items():
        os.environ.setdefault(name, value)
    root = Path(tempfile.mkdtemp(prefix="edunode-bench-federation-"))
    configs, link, owned = start_federation(root)
    try:
        cn = configs["cn"].service_url("gateway")
        my = configs["my"].service_url("gateway")
        auth = {"Authorization": f"Bearer {token(configs['cn'])}"}

        with background_load(args.background_load, args.background_seconds):
            latencies = asyncio.run(propagation(cn, my, auth, args.changes))
            loaded = load_average()
        busy = f" with {args.background_load} busy processes ({loaded})"
        busy = busy if args.background_load else ""
        print(f"propagation cn→my over {len(latencies)} changes{busy}: "
              f"p50 {statistics.median(latencies) * 1e3:.0f} ms, "
              f"p99 {percentile(latencies, 0.99) * 1e3:.0f} ms (target p99 ≤ 1000 ms)")  # fmt: skip

        written = bulk_create(configs["cn"], args.burst, "Burst", root)
        converged, _ = wait_converged(cn, configs["my"], timeout=600)
        total = written + converged
        print(f"burst of {args.burst} at cn: imported and published in {written:.1f} s, "
              f"all applied at my {converged:.1f} s later: "
              f"{args.burst / total:.0f} events/s end to end, bound by cn's own import "
              f"(the apply rate is measured in the catch-up below)")  # fmt: skip

        link.cut()
        written = bulk_create(configs["cn"], args.partition, "Partition", root)
        print(f"partition: {args.partition} records created and published at cn in "
              f"{written:.1f} s while my was cut off")  # fmt: skip
        link.heal()
        caught_up, first = wait_converged(cn, configs["my"], timeout=900)
        print(f"catch-up: my converged {caught_up:.1f} s after the link returned "
              f"(target ≤ 60 s, aim ≤ 15 s); the first record arrived after {first:.1f} s, "
              f"then {args.partition / max(caught_up - first, 1e-3):.0f} events/s applied at my "
              f"(each of its three services applies them all; target ≥ 500/s)")  # fmt: skip
    finally:
        stop_federation(owned)
        if os.environ.get("KEEP") is None:
            import shutil

            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    with machine_load():
        main()
