"""Memory benchmark: what an idle node holds in memory, process by process.

Starts one node as `edunode up` runs it (its own nats-server, SQLite databases in a temporary
directory), waits until the node says it is up, lets it settle, and prints for every process of
the node (the supervisor, nats-server, each service) its resident set (RSS), its proportional
share (PSS: each shared page divided among the processes that map it) and what is its alone
(USS), in MB, with its thread count. The total that is compared with the target is the PSS sum:
what the node takes from the machine, pages shared between its processes counted once. The
RSS sum counts those pages again in every process and is printed beside it.

Targets (issue 18): ≤ 400 MB for a node, ≤ 250 MB with `--single-process` (the small-country
mode: every service in one Python process).

    .venv/bin/python -m bench.memory [--single-process] [--settle 10]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from bench.conditions import machine_load
from edunode.node import ALL_SERVICES, SERVICE_PORT_OFFSETS
from tests.support.network import free_port_block

MB = 2**20
TARGET_MB = 400
SINGLE_PROCESS_TARGET_MB = 250
PORT_BLOCK = max(SERVICE_PORT_OFFSETS.values()) + 1


@dataclass(frozen=True)
class Footprint:
    name: str
    pid: int
    rss: float
    pss: float
    uss: float
    threads: int


def process_name(process: psutil.Process, supervisor: int) -> str:
    """What a process of the node is: the supervisor, nats-server, or the service it serves."""
    if process.pid == supervisor:
        return "supervisor (edunode up)"
    name: str = process.name()
    if name in ALL_SERVICES:  # forked from the supervisor, named after its service
        return name
    command: list[str] = process.cmdline()
    if command and Path(command[0]).name.startswith("nats-server"):
        return "nats-server"
    if command[-2:-1] == ["edunode.serve"]:  # `python -m edunode.serve SERVICE`
        return command[-1]
    return " ".join(command)[:40]


def footprints(supervisor: int) -> list[Footprint]:
    """Every process of the node (the supervisor and its descendants), measured now."""
    root = psutil.Process(supervisor)
    measured = []
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            memory = process.memory_full_info()
            measured.append(
                Footprint(
                    name=process_name(process, supervisor),
                    pid=process.pid,
                    rss=memory.rss / MB,
                    pss=memory.pss / MB,
                    uss=memory.uss / MB,
                    threads=process.num_threads(),
                )
            )
    return measured


@contextlib.contextmanager
def running_node(single_process: bool, timeout: float = 300.0) -> Iterator[int]:
    """An `edunode up` node in a temporary directory; yields its supervisor's pid once up."""
    port = free_port_block(PORT_BLOCK)
    with tempfile.TemporaryDirectory(prefix="edunode-memory-") as work:
        log_path = Path(work) / "up.log"
        command = [
            sys.executable, "-m", "edunode.cli", "up", "--node", "cn", "--port", str(port),
            "--data-dir", str(Path(work) / "cn"),
        ]  # fmt: skip
        if single_process:
            command.append("--single-process")
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + timeout
            while b"is up" not in log_path.read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the node did not start:\n" + log_path.read_text())
                time.sleep(0.3)
            assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).status_code == 200
            print(f"up after {time.monotonic() - deadline + timeout:.1f} s", flush=True)
            yield process.pid
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def report(measured: Sequence[Footprint], target: int) -> bool:
    """Print the table and the totals against `target`; whether the node is within it."""
    print(f"{'process':<26} {'pid':>7} {'RSS MB':>8} {'PSS MB':>8} {'USS MB':>8} {'threads':>8}")
    for item in sorted(measured, key=lambda f: -f.pss):
        print(
            f"{item.name:<26} {item.pid:>7} {item.rss:>8.1f} {item.pss:>8.1f} {item.uss:>8.1f} "
            f"{item.threads:>8}"
        )
    rss = sum(f.rss for f in measured)
    pss = sum(f.pss for f in measured)
    uss = sum(f.uss for f in measured)
    print(f"{'total':<26} {len(measured):>7} {rss:>8.1f} {pss:>8.1f} {uss:>8.1f}")
    within = pss <= target
    print(
        f"node in memory (PSS sum): {pss:.0f} MB, target ≤ {target} MB: "
        f"{'met' if within else 'MISSED'} (RSS sum {rss:.0f} MB)"
    )
    return within


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--single-process", action="store_true", help="every service in one Python process"
    )
    parser.add_argument(
        "--settle", type=float, default=10.0, help="seconds idle after start-up before measuring"
    )
    args = parser.parse_args(argv)
    target = SINGLE_PROCESS_TARGET_MB if args.single_process else TARGET_MB
    with machine_load(), running_node(args.single_process) as supervisor:
        time.sleep(args.settle)
        within = report(footprints(supervisor), target)
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
