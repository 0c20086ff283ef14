"""Public, anonymous mobility statistics across a real federation (issue 19, item 6): the
hub and the nodes cn, my, de of tests/federation/test_direct_messages.py. cn's university
sends students to my's; the flows of students accepted (per academic year, country pair,
ISCED-F broad field, EQF level) are public records of cn, replicated to every node and served
to anybody — with no person in them, and without the flows of fewer than 5 students."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import MakeToken, eventually
from tests.federation.test_direct_messages import (
    Federation,
    _streams_holding,
    federation,  # noqa: F401  (the module's federation: hub, cn, my, de)
)
from tests.mobility.test_agreements_federation import (
    MobilityNode,
    nodes,  # noqa: F401  (the mobility service at each node)
    university,
)
from tests.mobility.test_learning_agreements_federation import (
    CN_UNI,
    MY_UNI,
    NOMINATIONS,
    _read,
    approved_agreement,
    rows_holding,
)

pytestmark = pytest.mark.slow

STATISTICS = "/v1/mobility/statistics"


async def test_accepted_students_are_counted_publicly_with_small_flows_left_out(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],  # noqa: F811
    make_token: MakeToken,
) -> None:
    cn, my, de = nodes["cn"], nodes["my"], nodes["de"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    agreement = await approved_agreement(cn, my, at_cn, at_my, places=10)
    family = f"Tan{uuid.uuid4().hex[:8]}"

    async def nominate(index: int, level: int) -> str:
        response = await cn.client.post(
            NOMINATIONS,
            json={
                "agreement_id": agreement["id"],
                "academic_year": "2026/2027",
                "term": "1/2",
                "isced_f": "0413" if index % 2 else "041",
                "eqf_level": level,
                "student": {
                    "given_names": f"Student {index}",
                    "family_name": family,
                    "email": f"s{index}@cn.example",
                },
            },
            headers=at_cn,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    # 6 bachelor students and 2 master students of business, all accepted by my; then one
    # bachelor student withdraws: 5 bachelor students go (published), 2 master students (not).
    made = [await nominate(i, 6) for i in range(6)] + [await nominate(i, 7) for i in range(2)]
    for nomination_id in made:
        path = f"{NOMINATIONS}/{nomination_id}"

        async def at_my_node(path: str = path) -> Any:
            return await _read(my, at_my, path)

        await eventually(at_my_node, timeout=60, interval=0.2, what="the nomination at my")
        response = await my.client.post(f"{path}/acceptance", headers=at_my)
        assert response.status_code == 200, response.text
    for nomination_id in made:

        async def accepted(path: str = f"{NOMINATIONS}/{nomination_id}") -> Any:
            read = await _read(cn, at_cn, path)
            return read if read and read["status"] == "accepted" else None

        await eventually(accepted, timeout=60, interval=0.2, what="acceptance at cn")
    response = await cn.client.post(
        f"{NOMINATIONS}/{made[0]}/cancellation", json={"reason": "withdrew"}, headers=at_cn
    )
    assert response.status_code == 200, response.text

    expected = [
        {
            "sending_country": "CN",
            "receiving_country": "MY",
            "isced_f": "04",
            "eqf_level": 6,
            "students": 5,
        }
    ]
    for node in (cn, my, de):

        async def published(node: MobilityNode = node) -> Any:
            response = await node.client.get(STATISTICS, params={"academic_year": "2026/2027"})
            assert response.status_code == 200, response.text  # anybody, no token
            items = response.json()["items"]
            return items if items and items[0]["flows"] == expected else None

        items = await eventually(published, timeout=90, interval=0.3, what=f"at {node.node}")
        assert [(i["origin_node"], i["academic_year"]) for i in items] == [("cn", "2026/2027")]
    # No person in it, anywhere at de.
    assert rows_holding(de.database_file, family) == []
    assert await _streams_holding(federation.servers["de"], family.encode()) == set()
