"""The mobility step of the demo (docs/mobility.md): what an exchange between a `cn` and a `my`
university goes through, over the two nodes' private channel.

Tsinghua University (cn) proposes an inter-institutional agreement to Universiti Malaya (my),
which approves it; Tsinghua nominates a student, Malaya accepts; the learning agreement is
approved by the student (with the token their coordinator hands them) and both coordinators;
at the end of the stay Malaya sends the transcript, and Tsinghua's node computes the credits
that count at home and its coordinator confirms them. Every step goes through the gateways'
public API with each university's own client, as an international office's system would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from edunode.demo import university_client
from edunode.node import Node

SENDING = ("cn", "Tsinghua University")
RECEIVING = ("my", "Universiti Malaya")
YEAR = "2026/2027"


def _conditions(sending: str, receiving: str) -> dict[str, Any]:
    return {
        "cooperation_conditions": [
            {
                "mobility_type": "student_studies",
                "sending_institution_id": sending,
                "receiving_institution_id": receiving,
                "isced_f": ["041"],
                "eqf_levels": [6],
                "places_per_year": 2,
                "months_per_place": 5,
                "languages": [{"language": "en", "cefr_level": "B2"}],
            }
        ],
        "academic_years": [YEAR],
    }


COMPONENTS = {
    "abroad": [
        {
            "code": "BFM3013",
            "title": "International Financial Management",
            "credits": 4,
            "credit_system": "MY",
            "term": "1/2",
        }
    ],
    "home": [
        {
            "code": "FIN301",
            "title": "Corporate Finance",
            "credits": 4,
            "credit_system": "CN",
            "term": "1/2",
            "replaced_by": ["BFM3013"],
        }
    ],
}


async def _until(
    fetch: Callable[[], Awaitable[dict[str, Any] | None]], what: str, timeout: float
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = await fetch()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not there after {timeout:.0f} s")
        await asyncio.sleep(0.5)


async def demo_mobility(
    nodes: Mapping[str, Node], say: Any, *, wait_seconds: float = 120.0
) -> dict[str, Any] | None:
    """Run the exchange; returns the recognition at home as confirmed (None when the demo has
    no cn or my)."""
    if SENDING[0] not in nodes or RECEIVING[0] not in nodes:
        return None
    cn, my = nodes[SENDING[0]].config, nodes[RECEIVING[0]].config
    at_cn_url, at_my_url = cn.service_url("gateway"), my.service_url("gateway")
    async with httpx.AsyncClient(timeout=30) as client:
        cn_token, cn_uni = await university_client(client, cn, SENDING[1])
        my_token, my_uni = await university_client(client, my, RECEIVING[1])
        at_cn = {"authorization": f"Bearer {cn_token}"}
        at_my = {"authorization": f"Bearer {my_token}"}

        async def post(url: str, body: Any, headers: dict[str, str]) -> dict[str, Any]:
            response = await client.post(url, json=body, headers=headers)
            if not response.is_success:
                raise ValueError(f"{url}: {response.status_code} {response.text[:300]}")
            return dict(response.json())

        def read(url: str, headers: dict[str, str], **want: Any) -> Callable[[], Any]:
            async def fetch() -> dict[str, Any] | None:
                response = await client.get(url, headers=headers)
                if not response.is_success:
                    return None
                body = dict(response.json())
                return body if all(body.get(k) == v for k, v in want.items()) else None

            return fetch

        async def propose() -> dict[str, Any] | None:
            """The agreement, once cn's copy of the directory holds both universities (my's
            arrives with the federation's replication: until then, a 422 naming it)."""
            response = await client.post(
                f"{at_cn_url}/v1/mobility/agreements",
                json={
                    "partner": {"institution_id": my_uni, "node": "my"},
                    "conditions": _conditions(cn_uni, my_uni),
                },
                headers=at_cn,
            )
            if response.status_code == 422 and "not in this node's directory" in response.text:
                return None
            if not response.is_success:
                raise ValueError(f"agreement: {response.status_code} {response.text[:300]}")
            return dict(response.json())

        agreement = await _until(propose, "both universities in cn's directory", wait_seconds)
        path = f"/v1/mobility/agreements/{agreement['id']}"
        await _until(read(at_my_url + path, at_my), "the agreement at my", wait_seconds)
        await post(f"{at_my_url}{path}/approval", {"digest": agreement["digest"]}, at_my)
        await _until(read(at_cn_url + path, at_cn, status="approved"), "approved", wait_seconds)
        say(
            f"[bold]mobility[/] {SENDING[1]} and {RECEIVING[1]}: an inter-institutional agreement "
            "signed by both nodes"
        )

        nomination = await post(
            f"{at_cn_url}/v1/mobility/nominations",
            {
                "agreement_id": agreement["id"],
                "mobility_type": "student_studies",
                "academic_year": YEAR,
                "term": "1/2",
                "isced_f": "0412",
                "eqf_level": 6,
                "student": {
                    "given_names": "Mei",
                    "family_name": "Lin",
                    "email": "mei.lin@student.example",
                },
            },
            at_cn,
        )
        path = f"/v1/mobility/nominations/{nomination['id']}"
        await _until(read(at_my_url + path, at_my), "the nomination at my", wait_seconds)
        await post(f"{at_my_url}{path}/acceptance", None, at_my)
        await _until(read(at_cn_url + path, at_cn, status="accepted"), "accepted", wait_seconds)

        la = await post(
            f"{at_cn_url}/v1/mobility/learning-agreements",
            {"nomination_id": nomination["id"], "components": COMPONENTS},
            at_cn,
        )
        path = f"/v1/mobility/learning-agreements/{la['id']}"
        digest = la["current"]["digest"]
        token = (await post(f"{at_cn_url}{path}/student-token", {"digest": digest}, at_cn))["token"]
        await post(
            f"{at_cn_url}/v1/mobility/student-approvals", {"token": token, "digest": digest}, {}
        )

        async def student_approved() -> dict[str, Any] | None:
            found = await read(at_my_url + path, at_my)()
            return found if found and len(found["current"]["approvals"]) == 2 else None

        await _until(student_approved, "the student's approval at my", wait_seconds)
        await post(f"{at_my_url}{path}/approval", {"digest": digest}, at_my)

        async def approved_by_three() -> dict[str, Any] | None:
            found = await read(at_cn_url + path, at_cn)()
            return found if found and len(found["current"]["approvals"]) == 3 else None

        await _until(approved_by_three, "the three approvals at cn", wait_seconds)
        say(
            "[bold]mobility[/] a student nominated and accepted; the learning agreement approved "
            "by the student and both coordinators"
        )

        transcript = await post(
            f"{at_my_url}/v1/mobility/transcripts",
            {
                "mobility_id": la["id"],
                "transcript": {
                    "learner": {"given_names": "Mei", "family_name": "Lin"},
                    "issuer": {
                        "name": RECEIVING[1],
                        "country": "MY",
                        "identifiers": [{"type": "schac", "value": "um.edu.my"}],
                        "url": "https://www.um.edu.my/",
                    },
                    "issued_at": "2027-02-01T09:00:00+08:00",
                    "components": [
                        {
                            "code": "BFM3013",
                            "title": "International Financial Management",
                            "isced_f": "0412",
                            "grade": "A",
                            "credits": [{"scheme": "MY", "value": 4}],
                        }
                    ],
                },
            },
            at_my,
        )
        path = f"/v1/mobility/recognitions/{transcript['id']}"
        recognition = await _until(read(at_cn_url + path, at_cn), "the recognition", wait_seconds)
        say(f"[bold]mobility[/] transcript sent by my; at home (cn): {recognition['summary']}")
        etag = (await client.get(at_cn_url + path, headers=at_cn)).headers.get("etag", "")
        response = await client.post(
            f"{at_cn_url}{path}/decision",
            json={"decision": "confirmed"},
            headers=at_cn | {"if-match": etag},
        )
        if response.is_success:
            say("[bold]mobility[/] the coordinator at cn confirmed it")
            return dict(response.json())
        say(f"[yellow]mobility[/] not confirmed: {response.status_code} {response.text[:200]}")
        return dict(recognition)
