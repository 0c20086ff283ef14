"""Reference data: shipped files where every fact names its source, served at /v1/frameworks
and /v1/recognition/agreements; comparisons through reference frameworks; a node admin's own
levels and agreements, published as events and applied from peers by version."""

from __future__ import annotations

import yaml

from rules.credit_systems import CREDIT_SYSTEMS
from services.recognition.catalogue.catalogue import data_file, load_shipped
from shared.auth import Role
from shared.events import new_event
from tests.recognition.conftest import StartNode


def test_every_shipped_fact_names_its_source() -> None:
    for name in (
        "frameworks.yaml",
        "referencing.yaml",
        "agreements.yaml",
        "fields.yaml",
    ):
        raw = yaml.safe_load(data_file(name).read_text(encoding="utf-8"))
        if name == "fields.yaml":
            assert raw["source"]["title"]
            continue
        key = {
            "frameworks.yaml": "frameworks",
            "referencing.yaml": "referencing",
            "agreements.yaml": "agreements",
        }[name]
        for record in raw[key]:
            assert record.get("source", {}).get("title"), (name, record)
            assert "verified" in record["source"], (name, record)
    # the credit systems live in the shared reference data both recognition and mobility read
    assert all(s.source.title for s in CREDIT_SYSTEMS.values())
    catalogue = load_shipped()
    assert set(catalogue.credit_systems) == set(CREDIT_SYSTEMS)
    assert all(level.source.title for level in catalogue.levels.values())
    assert {f"EQF:{n}" for n in range(1, 9)} <= set(catalogue.levels)
    assert {f"AQRF:{n}" for n in range(1, 9)} <= set(catalogue.levels)
    assert {f"KKNI:{n}" for n in range(1, 10)} <= set(catalogue.levels)
    assert {f"ISCED:{n}" for n in range(0, 9)} <= set(catalogue.levels)
    assert {"QF-EHEA:short", "QF-EHEA:first", "QF-EHEA:second", "QF-EHEA:third"} <= set(
        catalogue.levels
    )
    assert {"CNDL:zhuanke", "CNDL:xueshi", "CNDL:shuoshi", "CNDL:boshi"} <= set(catalogue.levels)
    cn = [r for r in catalogue.referencing if r.from_.startswith("CNDL:")]
    assert cn and all(
        r.basis.value == "comparability_statement" and not r.source.verified for r in cn
    )
    assert catalogue.fields["0613"].level == "detailed"
    cn_my = catalogue.agreements["cn-my-2011"]
    assert str(cn_my.signed_on) == "2011-04-28" and set(cn_my.parties) == {"CN", "MY"}
    assert str(catalogue.agreements["benelux-baltic-2021"].in_force_on) == "2024-05-01"


async def test_frameworks_levels_and_comparisons_are_public(start_recognition: StartNode) -> None:
    node = await start_recognition("cn", sqlite=True)
    client = node.client
    frameworks = (await client.get("/v1/frameworks")).json()
    assert {"EQF", "QF-EHEA", "AQRF", "ISCED", "MQF", "KKNI", "DQR", "CNDL"} <= {
        f["code"] for f in frameworks
    }
    mqf = (await client.get("/v1/frameworks/MQF")).json()
    assert [lv["level"] for lv in mqf["levels"]] == [str(n) for n in range(1, 9)]
    assert all(lv["source"]["title"] for lv in mqf["levels"])
    one = (await client.get("/v1/frameworks/cndl/levels/xueshi")).json()
    assert one["code"] == "CNDL:xueshi"
    compared = (
        await client.get("/v1/frameworks/compare", params={"from": "MQF:6", "to": "CNDL"})
    ).json()
    assert compared["result_levels"] == ["CNDL:xueshi"]
    assert [(s["from"], s["to"]) for s in compared["path"]] == [
        ("MQF:6", "AQRF:6"),
        ("CNDL:xueshi", "AQRF:6"),
    ]
    assert compared["verified"] is False  # the CN statement is the node's own
    to_level = (
        await client.get("/v1/frameworks/compare", params={"from": "CNDL:xueshi", "to": "DQR:7"})
    ).json()
    assert to_level["result_levels"] == ["DQR:6"] and to_level["comparable"] is False
    assert (
        await client.get("/v1/frameworks/compare", params={"from": "XX:1", "to": "EQF"})
    ).status_code == 404
    systems = {s["code"]: s for s in (await client.get("/v1/frameworks/credit-systems")).json()}
    assert systems["CN"]["ects_per_credit"] == 1.5 and systems["ECTS"]["per_year_full_time"] == 60
    assert "27.5" in systems["MY"]["assumption"]
    broad = (await client.get("/v1/frameworks/fields", params={"level": "broad"})).json()
    assert {f["code"] for f in broad} >= {"00", "01", "06", "10"}
    agreements = (await client.get("/v1/recognition/agreements", params={"country": "MY"})).json()
    assert [a["id"] for a in agreements] == ["cn-my-2011"]
    in_force = (
        await client.get("/v1/recognition/agreements", params={"in_force_on": "2024-04-30"})
    ).json()
    assert "benelux-baltic-2021" not in {a["id"] for a in in_force}


async def test_a_node_admin_adds_levels_and_agreements_that_federate(
    start_recognition: StartNode,
) -> None:
    node = await start_recognition("cn")
    admin = node.token(Role.NODE_ADMIN)
    body = {
        "framework": "THQF",
        "level": "6",
        "rank": 6,
        "name": "Bachelor's degree",
        "framework_name": "Thai Qualifications Framework",
        "country": "TH",
        "references": [{"to": "AQRF:6", "basis": "official_referencing"}],
        "source": {"title": "Thai referencing report (test)", "verified": False},
    }
    for who, headers in [
        ("registrar", node.token(Role.REGISTRAR)),
        ("officer", node.token(Role.RECOGNITION_OFFICER)),
        ("peer admin", node.token(Role.NODE_ADMIN, node="my")),
    ]:
        refused = await node.client.post("/v1/frameworks/levels", json=body, headers=headers)
        assert refused.status_code == 403, who
    assert (await node.client.post("/v1/frameworks/levels", json=body)).status_code == 401
    created = await node.client.post("/v1/frameworks/levels", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["origin_node"] == node.node and created.headers["etag"] == '"1"'
    again = await node.client.post("/v1/frameworks/levels", json=body, headers=admin)
    assert again.status_code == 409
    shipped = await node.client.post(
        "/v1/frameworks/levels", json=body | {"framework": "EQF", "level": "9"}, headers=admin
    )
    assert shipped.status_code == 403
    compared = (
        await node.client.get("/v1/frameworks/compare", params={"from": "THQF:6", "to": "CNDL"})
    ).json()
    assert compared["result_levels"] == ["CNDL:xueshi"]
    stale = await node.client.patch(
        "/v1/frameworks/levels/THQF:6", json={"name": "x"}, headers=admin | {"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    updated = await node.client.patch(
        "/v1/frameworks/levels/THQF:6",
        json={"name": "Bachelor"},
        headers=admin | {"If-Match": '"1"'},
    )
    assert updated.status_code == 200 and updated.json()["version"] == 2

    # A peer's agreement arrives as an event: applied by version, read-only here.
    peer_state = {
        "id": "01936000-0000-7000-8000-000000000001",
        "title": "MY-TH agreement",
        "kind": "bilateral",
        "parties": ["MY", "TH"],
        "signed_on": None,
        "in_force_on": "2019-01-01",
        "ended_on": None,
        "levels": ["QF-EHEA:first"],
        "scope": "degrees",
        "legal_basis": None,
        "conditions": [],
        "source": {"title": "peer", "url": None, "verified": False},
        "origin_node": "my",
        "version": 2,
        "updated_at": None,
    }
    for version in (2, 1):
        await node.apply(
            new_event(
                node="my",
                service="recognition",
                aggregate="agreement",
                action="updated",
                subject=str(peer_state["id"]),
                data=peer_state | {"title": f"v{version}"},
                version=version,
            )
        )
    listed = {a["id"]: a for a in (await node.client.get("/v1/recognition/agreements")).json()}
    assert listed[peer_state["id"]]["title"] == "v2"
    patch = await node.client.patch(
        f"/v1/recognition/agreements/{peer_state['id']}",
        json={"title": "mine now"},
        headers=admin | {"If-Match": '"2"'},
    )
    assert patch.status_code == 403 and patch.json()["owner_node"] == "my"
    own = await node.client.post(
        "/v1/recognition/agreements",
        headers=admin,
        json={
            "title": "CN-TH",
            "kind": "bilateral",
            "parties": ["CN", "TH"],
            "in_force_on": "2020-01-01",
            "levels": ["QF-EHEA:first"],
            "source": {"title": "test source"},
        },
    )
    assert own.status_code == 201
    foreign = await node.client.post(
        "/v1/recognition/agreements",
        headers=admin,
        json={
            "title": "MY-TH",
            "kind": "bilateral",
            "parties": ["MY", "TH"],
            "levels": ["QF-EHEA:first"],
            "source": {"title": "test source"},
        },
    )
    assert foreign.status_code == 403
