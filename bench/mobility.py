"""Mobility benchmark: transcripts of records imported from ELMO and recognised at home, the
credit/grade conversion of one component, and learning agreements between the nodes of a real
federation (issue 19).

    .venv/bin/python -m bench.mobility [--transcripts 1000] [--components 6] [--conversions 10000]
        [--round-trips 50] [--link-down 200] [--no-federation]

1. `--transcripts` ELMO documents (each of `--components` courses, valid against the vendored
   ELMO schema: written by `export_elmo` from synthetic transcripts, grades and credits
   varied, one course in ten failed) are each imported as the service does it (the hardened
   parse, the schema validation, the reading: `import_elmo`) and recognised against a
   learning agreement of the same courses plus one missing, with both institutions' grade
   distribution tables (`recognition.recognise`). In process, one after the other: the
   figure is the work of the service's code, without the HTTP round trip, the database write
   and the direct channel. Target (issue 19): 1,000 transcripts ≤ 10 s.
2. One component's conversion (credits through ECTS, grade by two tables:
   `rules.credit_transfer.recognise_component`), `--conversions` times: p50 and p99.
   Target: p99 ≤ 5 ms.
3. The demo federation (the hub and the nodes cn, my, de as `edunode up` runs them, started by
   `bench.federation.start_federation`, so with the links and topology of the project's own
   federation; de's leaf link through a relay that can be cut). A university of cn and one of
   my (created in the directory, each with its own client) have an agreement. `--round-trips`
   times, one after the other: cn nominates a student (not timed), then the round trip of a
   learning agreement: proposed at cn (the POST) → readable and approved at my (polled, then
   its coordinator's POST) → my's approval readable at cn. p50/p99. Target: p99 ≤ 1 s.
4. de's link cut, `--link-down` learning agreements proposed at cn and approved at my; the
   link restored, and de shown back in the federation (a public record created at cn
   afterwards is read at de). Then: every one of them at both cn and my with my's approval
   (nothing lost), and none of the students' names nor the agreements' ids in any stream of
   de's server or any file of de's data directory (databases, JetStream store), and no
   student's name in the hub's streams (which hold direct messages sealed; their envelopes,
   with the record's id, in clear: counted apart). Target: nothing lost, nothing at de.

Every figure rests on 2xx answers only (`bench.conditions`); the machine's load average is
printed before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
from nats.js.errors import NotFoundError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.conditions import (  # noqa: E402
    RAISED_RATE_LIMITS,
    NotMeasured,
    machine_load,
    require_2xx,
)
from bench.federation import start_federation, stop_federation, token  # noqa: E402
from contracts.mobility import IiaPartner, Transcript  # noqa: E402
from edunode.hub import connect_admin  # noqa: E402
from edunode.natsserver import NatsServer  # noqa: E402
from edunode.node import NodeConfig  # noqa: E402
from rules.credit_transfer import Studied, grade_table, recognise_component  # noqa: E402
from rules.grading_scales import GRADING_SCALES  # noqa: E402
from services.gateway.clients.service import create_client_async  # noqa: E402
from services.mobility.elmo import elmo_schema, export_elmo, import_elmo  # noqa: E402
from services.mobility.transcripts.recognition import recognise  # noqa: E402
from services.mobility.transcripts.schemas import (  # noqa: E402
    GradeCount,
    GradeTableState,
    PlannedComponent,
    TranscriptMessage,
)
from shared.auth import ROLE_SCOPES, Role  # noqa: E402
from shared.nkeys import UserNkey  # noqa: E402
from tests.support.network import Link  # noqa: E402

TRANSCRIPTS_TARGET_S = 10.0
CONVERSION_P99_TARGET_MS = 5.0
ROUND_TRIP_P99_TARGET_S = 1.0
POLL_S = 0.01
WAIT_S = 300.0
START_TIMEOUT_S = 600.0  # three whole nodes starting on a shared machine
MOBILITY = "/v1/mobility"
HOST_GRADES = [("1.0", 8), ("1.3", 12), ("1.7", 18), ("2.0", 20), ("2.3", 15), ("2.7", 10),
               ("3.0", 9), ("3.3", 4), ("3.7", 3), ("4.0", 1)]  # fmt: skip
HOME_GRADES = [("95", 5), ("90", 10), ("85", 20), ("80", 25), ("75", 20), ("70", 10),
               ("60", 10)]  # fmt: skip
FIELDS = ["0613", "0612", "0541", "0713", "0413"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def synthetic_transcript(rng: random.Random, n: int, components: int) -> Transcript:
    return Transcript.model_validate(
        {
            "learner": {"given_names": f"Student {n}", "family_name": "Bench",
                        "birth_date": "2004-05-06", "citizenship": "CN"},
            "issuer": {"name": "Technische Universität Bench", "country": "DE",
                       "identifiers": [{"type": "schac", "value": "bench.example.de"}],
                       "url": "https://bench.example.de/"},
            "issued_at": "2027-02-15T10:00:00+01:00",
            "components": [
                {
                    "code": f"C{i}",
                    "title": f"Course {i}",
                    "isced_f": FIELDS[i % len(FIELDS)],
                    "status": "failed" if rng.random() < 0.1 else "passed",
                    "grade": rng.choice(HOST_GRADES)[0],
                    "credits": [{"scheme": "ects", "value": rng.choice([3, 5, 6, 7.5, 10])}],
                    "term": "Winter semester 2026/2027",
                    "start": "2026-10-01",
                    "end": "2027-02-15",
                    "language": "de",
                }
                for i in range(components)
            ],
        }
    )  # fmt: skip


def tables(
    institution: uuid.UUID, grades: list[tuple[str, int]], scale: str
) -> list[GradeTableState]:
    return [
        GradeTableState(
            institution_id=institution,
            isced_f=field[:2],
            label=f"{scale} {field[:2]}",
            academic_years="2024/2025-2025/2026",
            scale=scale,
            grades=[GradeCount(grade=g, count=c) for g, c in grades],
        )
        for field in sorted({f[:2] for f in FIELDS})
    ]


def bench_transcripts(count: int, components: int) -> None:
    rng = random.Random(19)
    sending = IiaPartner(institution_id=uuid.uuid4(), node="cn")
    receiving = IiaPartner(institution_id=uuid.uuid4(), node="de")
    host_tables = tables(receiving.institution_id, HOST_GRADES, "DE")
    home_tables = tables(sending.institution_id, HOME_GRADES, "CN")
    planned = [
        PlannedComponent(code=f"C{i}", title=f"Course {i}", credits=6) for i in range(components)
    ] + [PlannedComponent(title="Not taken", credits=5)]
    generated = datetime(2027, 2, 16, tzinfo=UTC)
    documents = [
        export_elmo(synthetic_transcript(rng, n, components), generated_at=generated)
        for n in range(count)
    ]
    size = statistics.mean(len(d) for d in documents)
    elmo_schema()  # built once per process, as the service does at its first import
    started = time.perf_counter()
    recognised = 0
    for document in documents:
        transcript = import_elmo(document)
        message = TranscriptMessage(
            id=uuid.uuid4(), mobility_id=uuid.uuid4(), sending=sending, receiving=receiving,
            transcript=transcript, host_tables=host_tables, planned=planned, version=1,
        )  # fmt: skip
        computed = recognise(message, home_tables)
        recognised += sum(c.outcome == "recognised" for c in computed.components)
    elapsed = time.perf_counter() - started
    verdict = "met" if elapsed <= TRANSCRIPTS_TARGET_S else "NOT met"
    print(
        f"{count} ELMO transcripts ({components} courses, {size / 1024:.1f} kB each) imported "
        f"and recognised: {elapsed:.2f} s, {count / elapsed:.0f}/s, {recognised} components "
        f"recognised (target ≤ {TRANSCRIPTS_TARGET_S:g} s: {verdict})",
        flush=True,
    )


def bench_conversion(count: int) -> None:
    rng = random.Random(5)
    host = grade_table("host", HOST_GRADES)
    home = grade_table("home", HOME_GRADES)
    de, cn = GRADING_SCALES["DE"], GRADING_SCALES["CN"]
    latencies = []
    for _ in range(count):
        studied = Studied(
            credits=rng.choice([3, 5, 6, 7.5]),
            system="ECTS",
            grade=rng.choice(HOST_GRADES)[0],
            passed=True,
        )
        started = time.perf_counter()
        recognise_component(
            "Course", studied, home_system="CN", source_scale=de, target_scale=cn,
            source_table=host, target_table=home,
        )  # fmt: skip
        latencies.append(time.perf_counter() - started)
    p50, p99 = statistics.median(latencies) * 1e3, percentile(latencies, 0.99) * 1e3
    verdict = "met" if p99 <= CONVERSION_P99_TARGET_MS else "NOT met"
    print(
        f"one component's credit and grade conversion, {count} times: p50 {p50:.3f} ms, "
        f"p99 {p99:.3f} ms (target p99 ≤ {CONVERSION_P99_TARGET_MS:g} ms: {verdict})",
        flush=True,
    )


# -- learning agreements across the demo federation ------------------------------------------


class University:
    """A university of one node: its gateway, its directory id and its own client's token."""

    def __init__(self, gateway: str, institution_id: str, client_id: str, secret: str) -> None:
        self.gateway, self.institution_id = gateway, institution_id
        self._credentials = {"client_id": client_id, "client_secret": secret}
        self.headers: dict[str, str] = {}

    async def sign_in(self, client: httpx.AsyncClient) -> None:
        """A fresh token (a phase of the bench may outlast one)."""
        response = await client.post(
            f"{self.gateway}/v1/auth/token",
            data={"grant_type": "client_credentials", **self._credentials},
        )
        require_2xx("POST /v1/auth/token", response.status_code, response.text)
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _university(
    client: httpx.AsyncClient, config: NodeConfig, admin: dict[str, str], name: str
) -> University:
    """A new university in the node's directory and a university client bound to it."""
    gateway = config.service_url("gateway")
    response = await client.post(
        f"{gateway}/v1/institutions",
        json={"name": name, "country": config.countries[0]},
        headers=admin,
    )
    require_2xx("POST /v1/institutions", response.status_code, response.text)
    institution_id = str(response.json()["id"])
    client_id, secret = await create_client_async(
        config.database_url_for("gateway"),
        name=f"{name} (bench)",
        role=Role.UNIVERSITY,
        scopes=sorted(ROLE_SCOPES[Role.UNIVERSITY]),
        institution_id=institution_id,
    )
    university = University(gateway, institution_id, client_id, secret)
    await university.sign_in(client)
    return university


Done = Callable[[dict[str, Any]], bool]


async def _poll(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], done: Done, what: str
) -> dict[str, Any]:
    """GET `url` until `done(body)`; a 404 is "not there yet", any other non-2xx refuses the
    figure."""
    deadline = time.monotonic() + WAIT_S
    while True:
        response = await client.get(url, headers=headers)
        if response.status_code != 404:
            require_2xx(f"GET {url}", response.status_code, response.text)
            body = dict(response.json())
            if done(body):
                return body
        if time.monotonic() > deadline:
            raise NotMeasured(f"{what}: not there after {WAIT_S:.0f} s")
        await asyncio.sleep(POLL_S)  # polling HTTP: nothing to wait on in this process


async def _post(
    client: httpx.AsyncClient, url: str, body: Any, headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=headers)
    require_2xx(f"POST {url}", response.status_code, response.text)
    return dict(response.json())


def _approved_by(party: str) -> Done:
    """Whether a learning agreement as read carries `party`'s approval."""
    return lambda la: any(a["party"] == party for a in la["current"]["approvals"])


async def _agreement(
    client: httpx.AsyncClient, cn: University, my: University, places: int
) -> dict[str, Any]:
    """An agreement from cn's university to my's, approved by both; proposed once cn's copy
    of the directory holds my's university (replication brings it)."""
    body = {
        "partner": {"institution_id": my.institution_id, "node": "my"},
        "conditions": {
            "cooperation_conditions": [
                {
                    "mobility_type": "student_studies",
                    "sending_institution_id": cn.institution_id,
                    "receiving_institution_id": my.institution_id,
                    "isced_f": ["041"],
                    "eqf_levels": [6],
                    "places_per_year": places,
                    "months_per_place": 5,
                }
            ],
            "academic_years": ["2026/2027"],
        },
    }
    deadline = time.monotonic() + WAIT_S
    while True:
        response = await client.post(f"{cn.gateway}{MOBILITY}/agreements", json=body,
                                     headers=cn.headers)  # fmt: skip
        if response.status_code != 422 or "not in this node's directory" not in response.text:
            break
        if time.monotonic() > deadline:
            raise NotMeasured(f"my's university not in cn's directory after {WAIT_S:.0f} s")
        await asyncio.sleep(0.5)
    require_2xx("POST /v1/mobility/agreements", response.status_code, response.text)
    agreement = dict(response.json())
    path = f"{MOBILITY}/agreements/{agreement['id']}"
    await _poll(client, my.gateway + path, my.headers, lambda _: True, "the agreement at my")
    await _post(client, f"{my.gateway}{path}/approval", {"digest": agreement["digest"]},
                my.headers)  # fmt: skip

    def approved(read: dict[str, Any]) -> bool:
        return bool(read["status"] == "approved")

    return await _poll(client, cn.gateway + path, cn.headers, approved, "approved at cn")


COMPONENTS = {
    "abroad": [{"code": "BFM3013", "title": "International Financial Management",
                "credits": 4, "credit_system": "MY", "term": "1/2"}],
    "home": [{"code": "FIN301", "title": "Corporate Finance", "credits": 4,
              "credit_system": "CN", "term": "1/2", "replaced_by": ["BFM3013"]}],
}  # fmt: skip


async def _nominate(
    client: httpx.AsyncClient, cn: University, agreement: dict[str, Any], family_name: str
) -> str:
    """A student of cn nominated to my within the agreement: the nomination's id."""
    nomination = await _post(
        client,
        f"{cn.gateway}{MOBILITY}/nominations",
        {
            "agreement_id": agreement["id"],
            "academic_year": "2026/2027",
            "term": "1/2",
            "isced_f": "041",
            "eqf_level": 6,
            "student": {"given_names": "Bench", "family_name": family_name,
                        "email": f"{family_name.replace(' ', '.').lower()}@student.cn.example"},
        },
        cn.headers,
    )  # fmt: skip
    return str(nomination["id"])


async def _propose(client: httpx.AsyncClient, cn: University, nomination_id: str) -> dict[str, Any]:
    """The nominated student's learning agreement, proposed at cn (approved by cn's
    coordinator with the proposal)."""
    return await _post(
        client,
        f"{cn.gateway}{MOBILITY}/learning-agreements",
        {"nomination_id": nomination_id, "components": COMPONENTS},
        cn.headers,
    )


async def _approve_at_my(client: httpx.AsyncClient, my: University, la: dict[str, Any]) -> None:
    """Once the learning agreement is readable at my, its coordinator approves it."""
    path = f"{MOBILITY}/learning-agreements/{la['id']}"
    await _poll(client, my.gateway + path, my.headers, lambda _: True, "the LA at my")
    await _post(client, f"{my.gateway}{path}/approval",
                {"digest": la["current"]["digest"]}, my.headers)  # fmt: skip


async def _approval_at_cn(client: httpx.AsyncClient, cn: University, la: dict[str, Any]) -> None:
    path = f"{MOBILITY}/learning-agreements/{la['id']}"
    await _poll(client, cn.gateway + path, cn.headers, _approved_by("receiving"),
                "my's approval at cn")  # fmt: skip


async def _round_trips(
    client: httpx.AsyncClient, cn: University, my: University, agreement: dict[str, Any],
    count: int, marker: str,
) -> list[float]:  # fmt: skip
    latencies = []
    for index in range(count):
        nomination_id = await _nominate(client, cn, agreement, f"{marker} round {index}")
        started = time.perf_counter()
        la = await _propose(client, cn, nomination_id)
        await _approve_at_my(client, my, la)
        await _approval_at_cn(client, cn, la)
        latencies.append(time.perf_counter() - started)
    return latencies


async def _streams_holding(
    url: str, needles: list[bytes], key: UserNkey | None = None
) -> dict[str, int]:
    """Every stream of the server at `url` whose stored messages (payload or headers) hold
    any of `needles`, with how many messages do; read message by message (with `key`, as
    the hub's administrator, the only user of its client port)."""
    found: dict[str, int] = {}
    client = await (connect_admin(url, key) if key is not None else nats.connect(url))
    try:
        jsm = client.jsm()
        for info in await jsm.streams_info():
            name = info.config.name
            assert name is not None
            if not info.state.messages:
                continue
            for sequence in range(info.state.first_seq, info.state.last_seq + 1):
                try:
                    message = await jsm.get_msg(name, sequence)
                except NotFoundError:
                    continue
                stored = (message.data or b"") + json.dumps(message.headers or {}).encode()
                if any(needle in stored for needle in needles):
                    found[name] = found.get(name, 0) + 1
    finally:
        await client.close()
    return found


def _files_holding(root: Path, needles: list[bytes]) -> list[str]:
    """Every file under `root` (SQLite databases and their journals, the JetStream store)
    that holds any of `needles`."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.endswith(".log"):
            content = path.read_bytes()
            if any(needle in content for needle in needles):
                found.append(str(path.relative_to(root)))
    return found


async def _link_down(
    client: httpx.AsyncClient, cn: University, my: University, agreement: dict[str, Any],
    count: int, marker: str, link: Link, hub: NatsServer, configs: dict[str, NodeConfig],
    admin: dict[str, str],
) -> None:  # fmt: skip
    link.cut()
    started = time.perf_counter()
    proposed = [
        await _propose(client, cn, await _nominate(client, cn, agreement, f"{marker} cut {i}"))
        for i in range(count)
    ]
    for la in proposed:
        await _approve_at_my(client, my, la)
    for la in proposed:
        await _approval_at_cn(client, cn, la)
    exchanged = time.perf_counter() - started
    print(f"de's link cut: {count} learning agreements proposed at cn and approved at my in "
          f"{exchanged:.1f} s ({count / exchanged:.1f}/s)", flush=True)  # fmt: skip

    link.heal()
    healed = time.perf_counter()
    await asyncio.to_thread(hub.wait_for_leafnodes, 3, 120)
    # de is back in the federation: a public record made at cn now reaches it.
    de = configs["de"].service_url("gateway")
    probe_name = f"Probe {uuid.uuid4().hex[:10]}"
    probe = await _post(client, f"{cn.gateway}/v1/institutions",
                        {"name": probe_name, "country": "CN"}, admin)  # fmt: skip
    await _poll(client, f"{de}/v1/institutions/{probe['id']}", {}, lambda _: True,
                "a public record of cn at de")  # fmt: skip
    print(f"de's link restored: a public record created at cn afterwards read at de "
          f"{time.perf_counter() - healed:.1f} s after the link came back", flush=True)  # fmt: skip

    # Nothing lost: every one at both sides, with my's approval.
    lost = 0
    for la in proposed:
        path = f"{MOBILITY}/learning-agreements/{la['id']}"
        held = []
        for side in (cn, my):
            response = await client.get(side.gateway + path, headers=side.headers)
            require_2xx(f"GET {path}", response.status_code, response.text)
            held.append(response.json())
        lost += not (held[0] == held[1] and _approved_by("receiving")(held[0]))
    # Nothing at de: neither the students' names nor the agreements' or nominations' ids.
    # An id as JSON carries it, and as a UUID column of SQLite stores it (32 hex digits).
    ids = [value for la in proposed for value in (la["id"], la["nomination_id"])]
    needles = [marker.encode()] + [
        form.encode() for value in ids for form in (value, value.replace("-", ""))
    ]
    streams = await _streams_holding(configs["de"].effective_nats_url, needles)
    files = _files_holding(configs["de"].data_dir, needles)
    # The hub keeps its two aggregates (FED_EVENTS, FED_DIRECT): a direct message's content
    # sealed, its envelope in clear (sender, recipient, type, time, the record's id).
    names_on_hub = sum(
        (await _streams_holding(hub.url, [marker.encode()], hub.client_key)).values()
    )
    ids_on_hub = sum((await _streams_holding(hub.url, needles[1:], hub.client_key)).values())
    verdict = "met" if not (lost or streams or files or names_on_hub) else "NOT met"
    print(f"after de came back: {count - lost} of {count} the same at cn and my, with my's "
          "approval; "
          f"at de: {sum(streams.values())} stream messages{f' {streams}' if streams else ''} and "
          f"{len(files)} files{f' {files}' if files else ''} holding a student's name or an id; "
          f"on the hub: {names_on_hub} messages holding a student's name, {ids_on_hub} an "
          f"agreement's or nomination's id in their envelope (target nothing lost, nothing at "
          f"de, no name on the hub: {verdict})",
          flush=True)  # fmt: skip


async def bench_federation(round_trips: int, link_down: int, root: Path) -> None:
    for name, value in RAISED_RATE_LIMITS.items():  # the probes poll every 10 ms
        os.environ.setdefault(name, value)
    print("starting the demo federation (hub, cn, my, de) ...", flush=True)
    configs, link, owned = await asyncio.to_thread(
        start_federation, root, relayed="de", start_timeout=START_TIMEOUT_S
    )
    try:
        # In every student's name (never to reach de), not in the public universities'.
        marker = f"Mobbench{uuid.uuid4().hex[:10]}"
        run = uuid.uuid4().hex[:8]
        admin = {"Authorization": f"Bearer {await asyncio.to_thread(token, configs['cn'])}"}
        my_admin = {"Authorization": f"Bearer {await asyncio.to_thread(token, configs['my'])}"}
        async with httpx.AsyncClient(timeout=30) as client:
            cn = await _university(client, configs["cn"], admin, f"Bench University {run} CN")
            my = await _university(client, configs["my"], my_admin, f"Bench University {run} MY")
            agreement = await _agreement(client, cn, my, places=round_trips + link_down)
            latencies = await _round_trips(client, cn, my, agreement, round_trips, marker)
            p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
            verdict = "met" if p99 <= ROUND_TRIP_P99_TARGET_S else "NOT met"
            print(f"learning agreement round trip (proposed at cn → read and approved at my → "
                  f"approval read at cn), {len(latencies)} in a row: p50 {p50 * 1e3:.0f} ms, "
                  f"p99 {p99 * 1e3:.0f} ms, max {max(latencies) * 1e3:.0f} ms "
                  f"(target p99 ≤ {ROUND_TRIP_P99_TARGET_S * 1e3:.0f} ms: {verdict})",
                  flush=True)  # fmt: skip
            if link_down:
                await cn.sign_in(client)
                await my.sign_in(client)
                admin = {"Authorization": f"Bearer {await asyncio.to_thread(token, configs['cn'])}"}
                await _link_down(client, cn, my, agreement, link_down, marker, link,
                                 owned[0], configs, admin)  # fmt: skip
    finally:
        stop_federation(owned)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--components", type=int, default=6)
    parser.add_argument("--conversions", type=int, default=10_000)
    parser.add_argument("--round-trips", type=int, default=50)
    parser.add_argument("--link-down", type=int, default=200)
    parser.add_argument("--no-federation", action="store_true",
                        help="only the in-process figures (1 and 2)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the federation's data dir")
    args = parser.parse_args()
    with machine_load():
        if args.transcripts:
            bench_transcripts(args.transcripts, args.components)
        if args.conversions:
            bench_conversion(args.conversions)
        if not args.no_federation:
            root = Path(tempfile.mkdtemp(prefix="edunode-bench-mobility-"))
            try:
                asyncio.run(bench_federation(args.round_trips, args.link_down, root))
            finally:
                if args.keep:
                    print(f"kept {root}")
                else:
                    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
