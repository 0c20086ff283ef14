"""API conformance: schemathesis drives every operation of the gateway's merged `/openapi.json`
on a real node (`edunode up`: four services, embedded NATS, SQLite) and fails on any server
error, undeclared status code, wrong content type, response that breaks its declared schema,
schema-violating request that is accepted, or declared authentication that is not enforced.

Bounded on purpose (see docs/conformance.md): a few examples per operation and phase, so the
whole run stays within a few minutes on a busy 2-core machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.network import free_port_block

pytestmark = pytest.mark.slow

# Examples per operation and phase. The coverage phase adds its own deterministic cases
# (boundaries, missing and wrongly typed parameters) on top of these.
MAX_EXAMPLES = int(os.environ.get("EDUNODE_CONFORMANCE_EXAMPLES", "5"))
# The same examples on every run, so `make test` fails only when the code changed; set
# EDUNODE_CONFORMANCE_RANDOM=1 to explore new ones (a failure prints its reproduction).
DERANDOMIZE = not os.environ.get("EDUNODE_CONFORMANCE_RANDOM")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]

# What a server may answer to a request that breaks the schema. Besides schemathesis's
# defaults: 412, because RFC 9110 §13.2.1 evaluates a precondition (a stale or malformed
# If-Match) before the request content is read.
NEGATIVE_DATA_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "412", "413"]
NEGATIVE_DATA_STATUSES += ["415", "422", "428", "429"]


def _edunode(*args: str) -> list[str]:
    return [sys.executable, "-m", "edunode.cli", *args]


@dataclass
class Node:
    base_url: str
    data_dir: Path
    tokens: dict[str, str]
    ids: dict[str, str]

    def token_for(self, path: str) -> str:
        """Cases belong to recognition officers; a node admin may do everything else."""
        if path.startswith("/v1/recognition/cases"):
            return self.tokens["officer"]
        return self.tokens["admin"]


def _create_client(data_dir: Path, role: str) -> dict[str, Any]:
    created = subprocess.run(
        _edunode(
            "clients",
            "create",
            *("--name", f"conformance-{role}", "--role", role),
            *("--node", "cn", "--data-dir", str(data_dir)),
        ),
        capture_output=True,
        check=True,
    )
    credentials: dict[str, Any] = json.loads(created.stdout)
    return credentials


def _token(base_url: str, credentials: dict[str, Any]) -> str:
    response = httpx.post(
        f"{base_url}/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
        },
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _seed(base_url: str, tokens: dict[str, str]) -> dict[str, str]:
    """A few real records, so that operations on one record reach real data, not only 404."""
    admin = httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {tokens['admin']}"}, timeout=30
    )
    officer = httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {tokens['officer']}"}, timeout=30
    )
    with admin, officer:
        institution = _created(
            admin.post(
                "/v1/institutions",
                json={
                    "name": "Peking University",
                    "country": "CN",
                    "city": "Beijing",
                    "identifiers": [{"resource": "ror", "value": "02v51f717"}],
                },
            )
        )
        programme = _created(
            admin.post(
                "/v1/programmes",
                json={
                    "institution_id": institution["id"],
                    "name": "Bachelor of Physics",
                    "qualification": "Bachelor of Science",
                    "levels": ["EQF:6"],
                    "field": "0533",
                },
            )
        )
        agency = _created(
            admin.post(
                "/v1/quality/agencies",
                json={
                    "name": "China Academic Degrees and Graduate Education Development Center",
                    "acronym": "CDGDC",
                    "country": "CN",
                    "registrations": [
                        {
                            "register": "national",
                            "valid_from": "2020-01-01",
                            "decision": "admission",
                        }
                    ],
                },
            )
        )
        # Quality knows the institution once its event has been applied there.
        deadline = time.monotonic() + 60
        while admin.get(f"/v1/quality/institutions/{institution['id']}").status_code != 200:
            assert time.monotonic() < deadline, "the institution never reached quality"
            time.sleep(0.2)
        evaluation = _created(
            admin.post(
                "/v1/quality/evaluations",
                json={
                    "agency_id": agency["id"],
                    "local_identifier": "CDGDC-2024-001",
                    "activity_type": "institutional",
                    "decision": "positive",
                    "valid_from": "2024-01-01",
                    "institutions": [{"id": institution["id"]}],
                },
            )
        )
        case = _created(
            officer.post(
                "/v1/recognition/cases",
                json={
                    "applicant": {"given_name": "Wei", "family_name": "Zhang"},
                    "purpose": "further_study",
                    "qualification": {
                        "institution_id": institution["id"],
                        "country": "CN",
                        "title": "Bachelor of Science",
                        "level": "CNDL:xueshi",
                        "awarded_on": "2024-07-01",
                    },
                    "target_level": "CNDL:xueshi",
                },
            )
        )
    return {
        "institution_id": institution["id"],
        "programme_id": programme["id"],
        "agency_id": agency["id"],
        "evaluation_id": evaluation["id"],
        "case_id": case["id"],
        "resource": "ror",
        "value": "02v51f717",
    }


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    workdir = tmp_path_factory.mktemp("conformance")
    port = free_port_block()
    data_dir = workdir / "cn"
    log_path = workdir / "up.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            _edunode("up", "--node", "cn", "--port", str(port), "--data-dir", str(data_dir)),
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("node did not start:\n" + log_path.read_text())
            time.sleep(0.3)
        tokens = {
            "admin": _token(base_url, _create_client(data_dir, "node_admin")),
            "officer": _token(base_url, _create_client(data_dir, "recognition_officer")),
        }
        yield Node(base_url, data_dir, tokens, _seed(base_url, tokens))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def api_schema(node: Node) -> Any:
    schema = schemathesis.openapi.from_url(f"{node.base_url}/openapi.json", timeout=30)
    schema.config.update(base_url=node.base_url, request_timeout=30)
    # Operations on one record get the seeded record's id, so they answer with real data.
    schema.config.update(parameters={f"path.{name}": value for name, value in node.ids.items()})
    schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    schema.config.generation.update(max_examples=MAX_EXAMPLES)
    schema.config.checks.negative_data_rejection.expected_statuses = NEGATIVE_DATA_STATUSES
    return schema


@pytest.fixture(autouse=True)
def _node_id_for_lazy_schema(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32's lazy schema reads and rewrites `Item._nodeid`, which pytest 9.2 no
    # longer has; give it one to read (its rewrite only renames subtests in reports).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=DERANDOMIZE,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_every_operation_conforms_to_the_merged_spec(case: Any, node: Node) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {node.token_for(case.operation.path)}"},
        checks=CHECKS,
    )
