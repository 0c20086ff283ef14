"""A transcript between two nodes of a real federation (issue 19, items 4 and 5): the hub and
the nodes cn, my, de of tests/federation/test_direct_messages.py, each running the mobility
service on its own migrated SQLite database.

A university of my (receiving) imports, as ELMO, the transcript of a student of a university
of cn (sending); cn receives it over the direct channel with my's grade table and computes the
recognition at home. de holds nothing of it (database, streams), and the student's name is in
no stream of any node (the message is sealed to cn)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.mobility import Transcript
from services.mobility.elmo import export_elmo
from tests.conftest import MakeToken, eventually
from tests.federation.test_direct_messages import (
    Federation,
    _database_holds,
    _streams_holding,
    federation,  # noqa: F401  (the module's federation: hub, cn, my, de)
)
from tests.mobility.test_agreements_federation import (  # noqa: F401  (its fixture)
    MobilityNode,
    nodes,
    university,
)
from tests.mobility.test_transcripts_api import HOME_TABLE

pytestmark = pytest.mark.slow

CN_UNI, MY_UNI, DE_UNI = (uuid.uuid4() for _ in range(3))
# my's table for 0613, in grade points: 3.33 is the top 25-45 %.
MY_TABLE = {
    "label": "Universiti Malaya, software",
    "academic_years": "2024/2025-2025/2026",
    "scale": "MY",
    "grades": [{"grade": g, "count": n} for g, n in
               [("4.00", 10), ("3.67", 15), ("3.33", 20), ("3.00", 25), ("2.67", 15),
                ("2.33", 10), ("2.00", 5)]],
}  # fmt: skip


async def test_a_transcript_from_my_is_recognised_at_cn_and_reaches_nobody_else(
    federation: Federation,  # noqa: F811
    nodes: dict[str, MobilityNode],  # noqa: F811
    make_token: MakeToken,
) -> None:
    cn, my, de = nodes["cn"], nodes["my"], nodes["de"]
    at_cn, at_my = university(make_token, "cn", CN_UNI), university(make_token, "my", MY_UNI)
    student = f"Nur Aisyah {uuid.uuid4().hex[:10]}"
    put = await my.client.put("/v1/mobility/grade-tables/0613", json=MY_TABLE, headers=at_my)
    assert put.status_code == 200, put.text
    put = await cn.client.put("/v1/mobility/grade-tables/06", json=HOME_TABLE, headers=at_cn)
    assert put.status_code == 200, put.text
    transcript = Transcript.model_validate(
        {
            "learner": {"given_names": student, "family_name": "Tan"},
            "issuer": {"name": "Universiti Malaya", "country": "MY",
                       "identifiers": [{"type": "schac", "value": "um.edu.my"}],
                       "url": "https://www.um.edu.my/"},
            "issued_at": "2027-02-01T09:00:00+08:00",
            "components": [{"code": "WIA2003", "title": "Software engineering",
                            "isced_f": "0613", "grade": "3.33",
                            "credits": [{"scheme": "MY", "value": 4}]}],
        }
    )  # fmt: skip
    response = await my.client.post(
        "/v1/mobility/transcripts/elmo",
        params={
            "mobility_id": str(uuid.uuid4()),
            "sending_institution_id": str(CN_UNI),
            "sending_node": "cn",
        },
        content=export_elmo(transcript, generated_at=datetime.now(UTC)),
        headers=at_my | {"content-type": "application/xml"},
    )
    assert response.status_code == 201, response.text
    transcript_id = response.json()["id"]

    async def recognised_at_cn() -> Any:
        found = await cn.client.get(f"/v1/mobility/recognitions/{transcript_id}", headers=at_cn)
        return found.json() if found.status_code == 200 else None

    recognition = await eventually(recognised_at_cn, timeout=60, interval=0.2, what="at cn")
    # 4 MY credits x 1.4545 = 5.818 ECTS = 3.9 CN credits; 3.33 is the top 25-45 % at my,
    # middle 35 %: the end of 85's band (15-35 %) in cn's table
    assert recognition["summary"] == "recognised: 5.8 of 5.8 ECTS as 3.9 CN credits"
    (component,) = recognition["components"]
    assert component["grade"]["grade"] == "85"
    assert "Universiti Malaya, software" in component["grade"]["explanation"]
    held = await cn.client.get(f"/v1/mobility/transcripts/{transcript_id}", headers=at_cn)
    assert held.json()["transcript"]["learner"]["given_names"] == student

    # de holds nothing of it; no stream anywhere holds the student's name (sealed to cn)
    at_de = university(make_token, "de", DE_UNI)
    missing = await de.client.get(f"/v1/mobility/transcripts/{transcript_id}", headers=at_de)
    assert missing.status_code == 404
    for form in (transcript_id, uuid.UUID(transcript_id).hex, student):
        assert not _database_holds(de.database_file, form.encode())
    for node in ("cn", "my", "de"):
        assert await _streams_holding(federation.servers[node], student.encode()) == set()
    assert await _streams_holding(federation.servers["de"], transcript_id.encode()) == set()
    for node in ("cn", "my"):
        holding = await _streams_holding(federation.servers[node], transcript_id.encode())
        assert holding <= {"DIRECT_CN", "DIRECT_MY", "INBOX_CN", "INBOX_MY"}, holding

    # the student asks cn to erase their data: erased at cn and at my; the recognition stays
    erased = await cn.client.delete(
        f"/v1/mobility/transcripts/{transcript_id}/learner", headers=at_cn
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["transcript"]["learner"]["given_names"] == ""

    async def erased_at_my() -> Any:
        found = await my.client.get(f"/v1/mobility/transcripts/{transcript_id}", headers=at_my)
        body = found.json()
        return body if body["learner_erased_at"] else None

    at_my_now = await eventually(erased_at_my, timeout=60, interval=0.2, what="erasure at my")
    assert at_my_now["transcript"]["learner"] == erased.json()["transcript"]["learner"]
    assert at_my_now["transcript"]["components"] == held.json()["transcript"]["components"]
    kept = await cn.client.get(f"/v1/mobility/recognitions/{transcript_id}", headers=at_cn)
    assert kept.json()["summary"] == recognition["summary"]
