"""Credentials benchmark: issue by batch at one node, verify at another with the issuer stopped.

    .venv/bin/python -m bench.credentials [--diplomas 10000] [--verifications 2000]
        [--revoked 100] [--duration 10] [--connections 16] [--keep]

Two nodes of one trust list, `cn` (the issuer) and `de` (the verifier), each with its
credentials service as `edunode up` runs it (`python -m edunode.serve credentials`, SQLite, no
broker: the outbox keeps the events), and de's quality service for the QA look-up of every
verification (`EDUNODE_CREDENTIALS_QUALITY_URL`); cn's service uses the same quality service
for a diploma's evidence. The university is in both nodes' copy of the directory.

1. Issue: `--diplomas` diplomas of a cn university through `POST
   /v1/credentials/diplomas/batch` (`--batch` a request), each with its QA evidence, a status list
   entry and its EdDSA signature. Target: 10,000 in ≤ 60 s.
2. Revoke `--revoked` of them (`POST /v1/credentials/{id}/revocation`); the status list served
   at `GET /v1/credentials/status/{id}` (a signed `BitstringStatusListCredential`: 131,072
   entries, GZIP'd as the spec says) is measured in bytes. Target: a list of ≥ 100,000 entries
   served compressed in ≤ 20 KB.
3. cn's status lists are applied at de as replication applies them (the service's own
   repository), then cn is STOPPED. Verify p99 at de: `--verifications` sequential `POST
   /v1/credentials/verify` on de's credentials service, credentials drawn at random (the revoked
   ones included), each report checked (valid unless revoked). Target: p99 ≤ 20 ms (signature,
   trust list, status list, directory and QA look-ups included).
4. Verifications/s through de's gateway (`python -m edunode.serve gateway`, rate limits raised;
   de's credentials service on `--workers` processes, as `edunode up --workers` runs it): `wrk`
   POSTs a credential for `--duration` seconds over `--connections` connections. Target:
   ≥ 300/s.

Every figure rests on 2xx answers only (`bench.conditions`); the machine's load average is
printed before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import gzip
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psutil
from sqlalchemy import select

from bench.conditions import RAISED_RATE_LIMITS, machine_load, require_2xx, require_success
from bench.gateway import PYTHON, parse_wrk, process, scheduling, wait_ready
from contracts.credentials import StatusListState
from contracts.institutions import InstitutionState
from services.credentials.institutions.repository import InstitutionRepository
from services.credentials.status.models import StatusList
from services.credentials.status.repository import StatusListRepository
from shared.auth import Principal, Role, Scope, TokenIssuer, generate_token_key
from shared.db import Database, utcnow
from shared.migrations import upgrade
from shared.signing import init_node_key
from shared.trust import TrustedKey, TrustedNode, TrustList
from tests.support.network import free_port_block

ISSUE_TARGET_S = 60.0
LIST_TARGET_BYTES = 20 * 1024
VERIFY_P99_TARGET_MS = 20.0
GATEWAY_TARGET_RPS = 300.0
ISSUER, VERIFIER = "cn", "de"


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def diploma(number: int, rng: random.Random) -> dict[str, Any]:
    return {
        "holder": {
            "given_name": rng.choice(["Wei", "Fang", "Min", "Jing", "Lei", "Yan"]),
            "family_name": rng.choice(["Li", "Wang", "Zhang", "Liu", "Chen", "Yang"]),
            "birth_date": date(1998 + number % 6, 1 + number % 12, 1 + number % 28).isoformat(),
            "identifier": {"scheme": "student-id", "value": f"2020{number:08d}"},
        },
        "qualification": {
            "titles": [
                {"lang": "zh", "value": "工学学士"},
                {"lang": "en", "value": "Bachelor of Engineering"},
            ],
            "level": {"framework": "CNDL", "level": "xueshi"},
            "referenced_levels": [{"framework": "EQF", "level": "6"}],
            "isced_f": "0714",
            "credits": 160,
            "credit_system": "CN-credits",
            "award_date": f"2024-06-{1 + number % 30:02d}",
            "mode_of_study": "full_time",
        },
    }


def federation(work: Path) -> Path:
    """Both nodes' federation keys and the trust list naming them."""
    nodes = []
    for node, country in ((ISSUER, "CN"), (VERIFIER, "DE")):
        kid, public = init_node_key(work / node / "keys", node)
        nodes.append(
            TrustedNode(
                id=node,
                countries=[country],
                gateway_url=f"https://{node}.edunode.example",
                keys=[TrustedKey(kid=kid, public_key=public.read_text())],
            )
        )
    trust_file = work / "trust.yaml"
    TrustList(nodes=nodes).dump(trust_file)
    return trust_file


async def seed_directory(url: str, institution_id: uuid.UUID) -> None:
    """The university in a node's copy of the directory, as its events would put it."""
    database = Database(url)
    try:
        async with database.session() as session:
            state = InstitutionState(
                id=institution_id,
                origin_node=ISSUER,
                country="CN",
                name="Tsinghua University",
                updated_at=utcnow(),
            )
            await InstitutionRepository(session).apply([(state, 1)])
    finally:
        await database.dispose()


async def replicate_status_lists(issuer_url: str, verifier_url: str) -> int:
    """The issuer's status lists applied at the verifier, as `credentials.status_list.updated`
    events apply them (by version)."""
    source, target = Database(issuer_url), Database(verifier_url)
    try:
        async with source.session() as session:
            rows = list(await session.scalars(select(StatusList)))
            states = [
                (
                    StatusListState(
                        id=row.id,
                        origin_node=row.origin_node,
                        purpose=row.purpose,
                        size=row.size,
                        encoded_list=row.encoded_list,
                        updated_at=row.updated_at,
                    ),
                    row.version,
                )
                for row in rows
            ]
        async with target.session() as session:
            return await StatusListRepository(session).apply(states)
    finally:
        await source.dispose()
        await target.dispose()


def service_env(service: str, node: str, port: int, work: Path, **extra: str) -> dict[str, str]:
    prefix = f"EDUNODE_{service.upper()}_"
    values = {
        "NODE_ID": node,
        "DATABASE_URL": f"sqlite+aiosqlite:///{work / f'{service}-{node}.db'}",
        # No broker: the outbox keeps the events; nothing competes with the measured requests.
        "NATS_URL": f"nats://127.0.0.1:{free_port_block(1)}",
        "PORT": str(port),
        "LOG_LEVEL": "error",
        "TOKEN_PUBLIC_KEY_FILE": str(work / "token.pub"),
        **extra,
    }
    return {prefix + key: value for key, value in values.items()}


def cpu_seconds(*children: subprocess.Popen[bytes]) -> float:
    """Seconds the processes (and their worker processes) have spent on a CPU: a figure a busy
    machine does not inflate as it does wall-clock latency."""
    pids = [child.pid for child in children]
    pids += [p.pid for child in children for p in psutil.Process(child.pid).children(True)]
    return sum(scheduling(pid)[0] for pid in pids)


def wrk_post(url: str, body: bytes, work: Path, args: argparse.Namespace) -> Any:
    script = work / "verify.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {json.dumps(body.decode())}\n"
    )
    command = [
        "wrk",
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    measurement = parse_wrk("verify through the gateway", output)
    require_success("verify through the gateway", measurement.bad_responses, detail="wrk")
    require_success("verify through the gateway", measurement.socket_errors, detail="sockets")
    return measurement


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diplomas", type=int, default=10_000)
    parser.add_argument("--verifications", type=int, default=2000)
    parser.add_argument("--revoked", type=int, default=100)
    parser.add_argument("--batch", type=int, default=500, help="diplomas a request (≤ 1000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=2, help="processes of de's credentials service"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-credentials-"))
    try:
        trust_file = federation(work)
        private_pem, public_pem = generate_token_key()
        (work / "token.key").write_bytes(private_pem)
        (work / "token.pub").write_bytes(public_pem)
        institution_id = uuid.uuid4()
        ports = {name: free_port_block(1) for name in ("quality", "cn", "de", "gateway")}
        quality_env = service_env("quality", VERIFIER, ports["quality"], work)
        credentials_env = {
            node: service_env(
                "credentials",
                node,
                ports[node],
                work,
                TRUST_FILE=str(trust_file),
                FEDERATION_KEYS_DIR=str(work / node / "keys"),
                QUALITY_URL=f"http://127.0.0.1:{ports['quality']}",
            )
            for node in (ISSUER, VERIFIER)
        }
        for env, service in [(quality_env, "quality")] + [
            (credentials_env[n], "credentials") for n in (ISSUER, VERIFIER)
        ]:
            upgrade(f"services.{service}", env[f"EDUNODE_{service.upper()}_DATABASE_URL"])
        for node in (ISSUER, VERIFIER):
            url = credentials_env[node]["EDUNODE_CREDENTIALS_DATABASE_URL"]
            asyncio.run(seed_directory(url, institution_id))
        token = TokenIssuer(private_pem, issuer="edunode", key_id="bench", ttl_seconds=3600).issue(
            Principal(
                client_id="bench-registrar",
                role=Role.UNIVERSITY,
                scopes=frozenset({Scope.CREDENTIALS_ISSUE}),
                node=ISSUER,
                institution_id=institution_id,
            )
        )
        headers = {"authorization": f"Bearer {token}"}
        serve = [PYTHON, "-m", "edunode.serve"]
        with contextlib.ExitStack() as stack:
            quality = stack.enter_context(
                process("quality", [*serve, "quality"], work, quality_env)
            )
            wait_ready(f"http://127.0.0.1:{ports['quality']}/healthz", quality, work / "q.log")
            issuer_base = f"http://127.0.0.1:{ports[ISSUER]}"
            with process(
                "credentials-cn", [*serve, "credentials"], work, credentials_env[ISSUER]
            ) as cn:
                wait_ready(f"{issuer_base}/healthz", cn, work / "credentials-cn.log")
                cpu_before = cpu_seconds(cn, quality)
                issued, elapsed, list_bytes, list_entries = issue_and_revoke(
                    issuer_base, headers, args, rng
                )
                issue_cpu_ms = (cpu_seconds(cn, quality) - cpu_before) / args.diplomas * 1000
            # cn is stopped from here on.
            print(
                f"issue by batch  {elapsed:7.1f} s  {args.diplomas / elapsed:8.0f} diplomas/s  "
                f"({args.diplomas:,} diplomas, {args.batch:,} a request; target ≤ "
                f"{ISSUE_TARGET_S:.0f} s for 10,000: "
                f"{10_000 * elapsed / args.diplomas:.0f} s at this rate)\n"
                f"                CPU {issue_cpu_ms:.2f} ms a diploma (credentials + quality "
                "processes, revocations and the list included)",
                flush=True,
            )
            print(
                f"status list     {list_bytes / 1024:7.1f} KB served ({list_entries:,} entries, "
                f"{args.revoked} revoked; target ≤ {LIST_TARGET_BYTES // 1024} KB)",
                flush=True,
            )
            replicated = asyncio.run(
                replicate_status_lists(
                    credentials_env[ISSUER]["EDUNODE_CREDENTIALS_DATABASE_URL"],
                    credentials_env[VERIFIER]["EDUNODE_CREDENTIALS_DATABASE_URL"],
                )
            )
            verifier_base = f"http://127.0.0.1:{ports[VERIFIER]}"
            verifier_env = credentials_env[VERIFIER] | {
                "EDUNODE_CREDENTIALS_WORKERS": str(args.workers)
            }
            de = stack.enter_context(
                process("credentials-de", [*serve, "credentials"], work, verifier_env)
            )
            wait_ready(f"{verifier_base}/healthz", de, work / "credentials-de.log")
            before = cpu_seconds(de), cpu_seconds(quality)
            timings = verify_sequentially(verifier_base, issued, args.verifications, rng)
            verify_cpu_ms = [
                (cpu_seconds(child) - start) / (len(timings) + 50) * 1000
                for child, start in zip((de, quality), before, strict=True)
            ]
            print(
                f"verify at de    p50 {percentile(timings, 0.5):6.2f} ms  "
                f"p99 {percentile(timings, 0.99):6.2f} ms  mean {statistics.mean(timings):6.2f} ms "
                f"(target p99 ≤ {VERIFY_P99_TARGET_MS:.0f} ms; {len(timings)} sequential, "
                f"issuer stopped, {replicated} status list(s) replicated, QA look-up included)\n"
                f"                CPU {sum(verify_cpu_ms):.2f} ms a verification (credentials "
                f"{verify_cpu_ms[0]:.2f} + quality {verify_cpu_ms[1]:.2f})",
                flush=True,
            )
            gateway_env = {
                "EDUNODE_GATEWAY_NODE_ID": VERIFIER,
                "EDUNODE_GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'gateway.db'}",
                "EDUNODE_GATEWAY_TOKEN_PRIVATE_KEY_FILE": str(work / "token.key"),
                "EDUNODE_GATEWAY_TOKEN_PUBLIC_KEY_FILE": str(work / "token.pub"),
                "EDUNODE_GATEWAY_CREDENTIALS_URL": verifier_base,
                "EDUNODE_GATEWAY_PORT": str(ports["gateway"]),
                "EDUNODE_GATEWAY_LOG_LEVEL": "warning",
                **RAISED_RATE_LIMITS,
            }
            upgrade("services.gateway", gateway_env["EDUNODE_GATEWAY_DATABASE_URL"])
            gateway_base = f"http://127.0.0.1:{ports['gateway']}"
            gw = stack.enter_context(process("gateway", [*serve, "gateway"], work, gateway_env))
            wait_ready(f"{gateway_base}/healthz", gw, work / "gateway.log")
            body = json.dumps({"credential": issued[0][1]}).encode()
            warm = httpx.post(
                f"{gateway_base}/v1/credentials/verify",
                content=body,
                timeout=10,
                headers={"content-type": "application/json"},
            )
            require_2xx("verify through the gateway (warm-up)", warm.status_code, warm.text)
            measured = wrk_post(f"{gateway_base}/v1/credentials/verify", body, work, args)
            print(
                f"via the gateway {measured.requests_per_second:7.0f} verifications/s  "
                f"p50 {measured.p50_ms:6.2f} ms  p99 {measured.p99_ms:6.2f} ms  "
                f"(target ≥ {GATEWAY_TARGET_RPS:.0f}/s; wrk, {args.connections} connections, "
                f"{args.duration} s; one gateway process, {args.workers} of de's credentials)",
                flush=True,
            )
    finally:
        if args.keep:
            print(f"work dir: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def issue_and_revoke(
    base: str, headers: dict[str, str], args: argparse.Namespace, rng: random.Random
) -> tuple[list[tuple[str, str, bool]], float, int, int]:
    """Issue by batch (timed), revoke some; the issued (id, jwt, revoked), the seconds, and
    the served status list's size in bytes and entries."""
    issued: list[tuple[str, str, bool]] = []
    # A busy machine may take minutes for a batch: no client timeout decides the figure.
    with httpx.Client(base_url=base, timeout=3600, headers=headers) as client:
        started = time.perf_counter()
        for first in range(0, args.diplomas, args.batch):
            count = min(args.batch, args.diplomas - first)
            body = {"diplomas": [diploma(first + n, rng) for n in range(count)]}
            response = client.post("/v1/credentials/diplomas/batch", json=body)
            require_2xx("issue by batch", response.status_code, response.text)
            issued += [(item["id"], item["jwt"], False) for item in response.json()["items"]]
        elapsed = time.perf_counter() - started
        revoked = set(rng.sample(range(len(issued)), min(args.revoked, len(issued))))
        for position in revoked:
            credential_id, jwt, _ = issued[position]
            response = client.post(
                f"/v1/credentials/{credential_id}/revocation", json={"reason": "bench: revoked"}
            )
            require_2xx("revocation", response.status_code, response.text)
            issued[position] = (credential_id, jwt, True)
        one = client.get(f"/v1/credentials/{issued[0][0]}").json()
        served = client.get(f"/v1/credentials/status/{one['status_list_id']}")
        require_2xx("status list", served.status_code, served.text)
        payload = served.text.split(".")[1]
        document = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        encoded = document["credentialSubject"]["encodedList"][1:]
        bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    return issued, elapsed, len(served.content), len(bits) * 8


def verify_sequentially(
    base: str, issued: list[tuple[str, str, bool]], count: int, rng: random.Random
) -> list[float]:
    timings = []
    with httpx.Client(base_url=base, timeout=10) as client:
        chosen = [rng.choice(issued) for _ in range(count + 50)]
        for position, (_, jwt, revoked) in enumerate(chosen):
            started = time.perf_counter()
            response = client.post("/v1/credentials/verify", json={"credential": jwt})
            took = (time.perf_counter() - started) * 1000
            require_2xx("verify", response.status_code, response.text)
            report = response.json()
            if report["valid"] is revoked:  # a wrong answer is no figure either
                raise RuntimeError(f"verify: valid={report['valid']} for revoked={revoked}")
            if position >= 50:  # the first 50 warm up
                timings.append(took)
    return timings


if __name__ == "__main__":
    with machine_load():
        raise SystemExit(main())
