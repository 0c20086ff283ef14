"""Transcripts of records and credits at home (issue 19, items 4 and 5), through one mobility
service (SQLite and PostgreSQL, the session's nats-server): grade distribution tables per field
uploaded by their institution; a transcript imported as JSON or ELMO by the receiving
institution and exported as valid ELMO; hostile XML a clear 4xx; at the sending node the
recognition of each learning agreement component computed, explained, and confirmed or
overridden with a reason by the sending institution only.

Expected figures are worked by hand (ECTS Users' Guide 2015: credits through ECTS, the CN credit
at 1.5 ECTS of the reference data; grades by the percentile method of the two tables)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from contracts.mobility import (
    IiaPartner,
    LaApproval,
    LaComponents,
    LaParty,
    LaVersion,
    LaVersionStatus,
    LearningAgreementState,
)
from services.mobility.elmo import _hardened_parser, elmo_schema
from services.mobility.learning_agreements.models import LearningAgreement
from services.mobility.learning_agreements.repository import write_state
from services.mobility.transcripts.erasure import erase_learners_of_nomination
from shared.auth import Role, Scope
from shared.events import new_event
from shared.inbox import PermanentEventError
from tests.conftest import MakeToken, ServiceLauncher, bearer
from tests.mobility.test_agreements_api import Mobility, _mobility
from tests.mobility.test_elmo import EXAMPLE, LAUGHS, XXE

PROBLEM = "application/problem+json"
TABLES = "/v1/mobility/grade-tables"
TRANSCRIPTS = "/v1/mobility/transcripts"
RECOGNITIONS = "/v1/mobility/recognitions"

# The receiving institution's table for 0613 (ECTS-like letters): B is the top 10-35 %.
HOST_TABLE = {
    "label": "Receiving U, software",
    "academic_years": "2023/2024-2024/2025",
    "grades": [{"grade": g, "count": n} for g, n in
               [("A", 10), ("B", 25), ("C", 30), ("D", 25), ("E", 10)]],
}  # fmt: skip
# The sending institution's table for the broad field 06, in percentage marks (scale CN):
# 95 0-5, 90 5-15, 85 15-35, 80 35-60, 75 60-80, 70 80-90, 60 90-100.
HOME_TABLE = {
    "label": "Sending U, ICT",
    "academic_years": "2023/2024-2024/2025",
    "scale": "CN",
    "grades": [{"grade": g, "count": n} for g, n in
               [("95", 5), ("90", 10), ("85", 20), ("80", 25), ("75", 20), ("70", 10),
                ("60", 10)]],
}  # fmt: skip


def transcript(*components: dict[str, Any]) -> dict[str, Any]:
    return {
        "learner": {"given_names": "Li", "family_name": "Wei", "birth_date": "2004-03-01"},
        "issuer": {
            "name": "Receiving University",
            "country": "CN",
            "identifiers": [{"type": "schac", "value": "receiving.edu.cn"}],
            "url": "https://receiving.edu.cn/",
        },
        "issued_at": "2027-02-01T09:00:00+08:00",
        "components": list(components),
    }


COMPILERS = {
    "code": "CS101",
    "title": "Compilers",
    "isced_f": "0613",
    "grade": "B",
    "credits": [{"scheme": "ects", "value": 6}],
}
DATABASES = {
    "code": "CS102",
    "title": "Databases",
    "isced_f": "0613",
    "status": "failed",
    "grade": "F",
    "credits": [{"scheme": "ects", "value": 6}],
}
PLANNED = [
    {"code": "CS101", "title": "Compilers", "credits": 6, "replaces": ["INF-3 Compiler design"]},
    {"code": "CS102", "title": "Databases", "credits": 6},
    {"title": "Thesis", "credits": 18, "isced_f": "0613"},
]


@pytest.fixture
async def mobility(
    services: ServiceLauncher,
    node_id: str,
    make_token: MakeToken,
    new_migrated_database_url: Callable[[str, str], str],
    tmp_path: Path,
) -> Mobility:
    return await _mobility(services, node_id, make_token, new_migrated_database_url, tmp_path)


async def test_an_institution_uploads_its_tables_and_bad_ones_are_422(mobility: Mobility) -> None:
    client, headers = mobility.client, mobility.headers
    assert (await client.put(f"{TABLES}/0613", json=HOST_TABLE)).status_code == 401
    other_node = bearer(
        mobility.make_token(Role.UNIVERSITY, node="my", institution_id=mobility.uni)
    )
    response = await client.put(f"{TABLES}/0613", json=HOST_TABLE, headers=other_node)
    assert response.status_code == 403 and response.headers["content-type"].startswith(PROBLEM)
    response = await client.put(f"{TABLES}/0613", json=HOST_TABLE, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1 and response.json()["isced_f"] == "0613"
    again = await client.put(f"{TABLES}/0613", json=HOST_TABLE | {"label": "v2"}, headers=headers)
    assert again.json()["version"] == 2  # replaced whole, a new version
    for path, body, where in [
        ("0614", HOST_TABLE, "path.isced_f"),  # no such ISCED-F field
        ("0613", HOST_TABLE | {"grades": [{"grade": "A", "count": 1}] * 2}, "body.grades"),
        ("0613", HOST_TABLE | {"grades": [{"grade": "A", "count": 0}]}, "body.grades"),
        ("0613", HOST_TABLE | {"grades": [{"grade": "A", "count": -1}]}, "body.grades.0.count"),
        ("0613", HOST_TABLE | {"scale": "XX"}, "body.scale"),
        ("0613", HOST_TABLE | {"academic_years": "2024"}, "body.academic_years"),
    ]:
        response = await client.put(f"{TABLES}/{path}", json=body, headers=headers)
        assert response.status_code == 422, (path, body, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert where in [e["path"] for e in response.json()["errors"]], response.json()
    listed = await client.get(TABLES, params={"institution_id": str(mobility.uni)}, headers=headers)
    assert [t["label"] for t in listed.json()["items"]] == ["v2"]
    # Without an institution, every institution's of this node; another one's id, none.
    listed = await client.get(TABLES, headers=headers)
    assert [t["label"] for t in listed.json()["items"]] == ["v2"]
    elsewhere = await client.get(
        TABLES, params={"institution_id": str(uuid.uuid4())}, headers=headers
    )
    assert elsewhere.json()["items"] == []
    too_many = await client.get(
        TABLES, params={"institution_id": str(mobility.uni), "limit": 201}, headers=headers
    )
    assert too_many.status_code == 422


async def test_transcripts_need_their_own_scope_not_the_agreements_one(
    mobility: Mobility,
) -> None:
    """Transcripts carry a learner's results (personal data): the scope `mobility:transcripts`,
    which a client holding only `mobility:agreements` lacks, and the other way round."""
    agreements_only, transcripts_only = (
        bearer(
            mobility.make_token(
                Role.UNIVERSITY, [scope], node=mobility.node, institution_id=mobility.uni
            )
        )
        for scope in (Scope.MOBILITY_AGREEMENTS, Scope.MOBILITY_TRANSCRIPTS)
    )
    body = {
        "mobility_id": str(uuid.uuid4()),
        "sending": {"institution_id": str(mobility.partner), "node": "my"},
        "transcript": transcript(COMPILERS),
    }
    some = uuid.uuid4()
    client = mobility.client
    refused = [
        (
            await client.put(f"{TABLES}/0613", json=HOST_TABLE, headers=agreements_only),
            "transcripts",
        ),
        (await client.get(TABLES, headers=agreements_only), "transcripts"),
        (await client.post(TRANSCRIPTS, json=body, headers=agreements_only), "transcripts"),
        (await client.get(TRANSCRIPTS, headers=agreements_only), "transcripts"),
        (await client.get(f"{TRANSCRIPTS}/{some}", headers=agreements_only), "transcripts"),
        (await client.get(f"{TRANSCRIPTS}/{some}/elmo", headers=agreements_only), "transcripts"),
        (
            await client.delete(f"{TRANSCRIPTS}/{some}/learner", headers=agreements_only),
            "transcripts",
        ),
        (await client.get(f"{RECOGNITIONS}/{some}", headers=agreements_only), "transcripts"),
        (await client.get("/v1/mobility/agreements", headers=transcripts_only), "agreements"),
    ]
    for response, needed in refused:
        assert response.status_code == 403, (response.request.url, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert f"'mobility:{needed}'" in response.json()["detail"], response.json()
    response = await client.put(f"{TABLES}/0613", json=HOST_TABLE, headers=transcripts_only)
    assert response.status_code == 200, response.text
    response = await client.post(TRANSCRIPTS, json=body, headers=transcripts_only)
    assert response.status_code == 201, response.text


async def test_an_elmo_transcript_is_imported_sent_and_exported_as_valid_elmo(
    mobility: Mobility,
) -> None:
    client, headers = mobility.client, mobility.headers
    params = {
        "mobility_id": str(uuid.uuid4()),
        "sending_institution_id": str(mobility.partner),
        "sending_node": "my",
    }
    xml = headers | {"content-type": "application/xml"}
    response = await client.post(f"{TRANSCRIPTS}/elmo", params=params, content=EXAMPLE, headers=xml)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["receiving"] == {"institution_id": str(mobility.uni), "node": mobility.node}
    assert created["sending"] == {"institution_id": str(mobility.partner), "node": "my"}
    assert [c["title"] for c in created["transcript"]["components"]] == [
        "Compiler construction",
        "The importance of <br> in HTML",
    ]
    exported = await client.get(f"{TRANSCRIPTS}/{created['id']}/elmo", headers=headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/xml")
    document = etree.ElementTree(etree.fromstring(exported.content, _hardened_parser()))
    assert elmo_schema().validate(document), elmo_schema().error_log
    as_json = await client.get(f"{TRANSCRIPTS}/{created['id']}", headers=headers)
    assert as_json.json()["transcript"] == created["transcript"]
    # another institution of this node does not see it
    stranger = mobility.university(uuid.uuid4())
    assert (await client.get(f"{TRANSCRIPTS}/{created['id']}", headers=stranger)).status_code == 404
    assert (await client.get(TRANSCRIPTS, headers=stranger)).json()["items"] == []
    assert [t["id"] for t in (await client.get(TRANSCRIPTS, headers=headers)).json()["items"]] == [
        created["id"]
    ]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (XXE, "application/xml", 422),
        (LAUGHS, "application/xml", 422),
        (b"<elmo", "application/xml", 422),
        (b"<transcript/>", "text/xml", 422),
        (b" " * (4 * 1024 * 1024 + 1), "application/xml", 413),
        (EXAMPLE, "application/json", 415),
    ],
    ids=["xxe", "billion-laughs", "malformed", "not-elmo", "oversized", "not-xml"],
)
async def test_hostile_or_malformed_xml_is_a_clear_4xx_and_nothing_is_stored(
    mobility: Mobility, body: bytes, content_type: str, status: int
) -> None:
    params = {
        "mobility_id": str(uuid.uuid4()),
        "sending_institution_id": str(mobility.partner),
        "sending_node": "my",
    }
    response = await mobility.client.post(
        f"{TRANSCRIPTS}/elmo",
        params=params,
        content=body,
        headers=mobility.headers | {"content-type": content_type},
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    listed = await mobility.client.get(TRANSCRIPTS, headers=mobility.headers)
    assert listed.json()["items"] == []


async def test_a_transcript_of_this_node_is_recognised_at_home_and_decided_by_the_sender(
    mobility: Mobility,
) -> None:
    """Receiving and sending institution both of this node: the recognition is computed here
    at once. Compilers: 6 ECTS = 4 CN credits; B is the top 10-35 % of the receiving table,
    middle 22.5 %, in 85 (15-35 %) of the sending table for field 06. Databases failed: no
    credits. Thesis: not in the transcript. 6 of the 30 planned ECTS count."""
    client = mobility.client
    receiving, sending = mobility.headers, mobility.university(mobility.partner)
    assert (await client.put(f"{TABLES}/0613", json=HOST_TABLE, headers=receiving)).is_success
    assert (await client.put(f"{TABLES}/06", json=HOME_TABLE, headers=sending)).is_success
    body = {
        "mobility_id": str(uuid.uuid4()),
        "sending": {"institution_id": str(mobility.partner), "node": mobility.node},
        "transcript": transcript(COMPILERS, DATABASES),
        "planned": PLANNED,
    }
    response = await client.post(TRANSCRIPTS, json=body, headers=receiving)
    assert response.status_code == 201, response.text
    transcript_id = response.json()["id"]
    assert [t["isced_f"] for t in response.json()["host_tables"]] == ["0613"]
    # only the sending institution sees the recognition
    path = f"{RECOGNITIONS}/{transcript_id}"
    assert (await client.get(path, headers=receiving)).status_code == 404
    response = await client.get(path, headers=sending)
    assert response.status_code == 200, response.text
    recognition = response.json()
    assert recognition["summary"] == "recognised: 6 of 30 ECTS as 4 CN credits"
    assert recognition["status"] == "proposed" and recognition["home_system"] == "CN"
    compilers, databases, thesis = recognition["components"]
    assert compilers["outcome"] == "recognised"
    assert compilers["credits"]["credits"] == 4 and compilers["credits"]["system"] == "CN"
    assert "1.5 ECTS per CN credit" in compilers["credits"]["rule"]
    assert len(compilers["credits"]["sources"]) == 2
    assert compilers["grade"]["grade"] == "85"
    assert compilers["explanation"].endswith("(for INF-3 Compiler design at home)")
    assert "grade distribution tables" in compilers["grade"]["method"]
    assert (
        "table Receiving U, software (0613, 2023/2024-2024/2025)"
        in (compilers["grade"]["explanation"])
    )
    assert "table Sending U, ICT (06, 2023/2024-2024/2025)" in compilers["grade"]["explanation"]
    assert databases["outcome"] == "failed" and databases["credits"] is None
    assert thesis["outcome"] == "missing"
    # the coordinator decides: If-Match required, a reason to override
    decision = f"{path}/decision"
    confirm = {"decision": "confirmed"}
    assert (await client.post(decision, json=confirm, headers=sending)).status_code == 428
    stale = sending | {"If-Match": '"9"'}
    assert (await client.post(decision, json=confirm, headers=stale)).status_code == 412
    current = sending | {"If-Match": response.headers["etag"]}
    override = {"decision": "overridden", "components": [{"index": 0, "credits": 5}]}
    response = await client.post(decision, json=override, headers=current)
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "body.reason"
    receiving_tries = receiving | {"If-Match": current["If-Match"]}
    assert (await client.post(decision, json=confirm, headers=receiving_tries)).status_code == 404
    override["reason"] = "the home course is 5 credits; the difference is waived"
    response = await client.post(decision, json=override, headers=current)
    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["status"] == "overridden" and decided["reason"] == override["reason"]
    assert decided["components"][0]["credits"]["credits"] == 5
    assert decided["summary"] == "recognised: 7.5 of 30 ECTS as 5 CN credits"  # 5 x 1.5 ECTS
    assert decided["decided_by"]
    again = sending | {"If-Match": response.headers["etag"]}
    assert (await client.post(decision, json=confirm, headers=again)).status_code == 409


async def test_with_no_table_the_plain_scale_fallback_is_named(mobility: Mobility) -> None:
    """No table on either side: the grade keeps its place between best and lowest pass of
    the CN scale (both institutions of a CN node): 85 stays 85."""
    sending = mobility.university(mobility.partner)
    body = {
        "mobility_id": str(uuid.uuid4()),
        "sending": {"institution_id": str(mobility.partner), "node": mobility.node},
        "transcript": transcript(COMPILERS | {"grade": "85"}),
    }
    response = await mobility.client.post(TRANSCRIPTS, json=body, headers=mobility.headers)
    assert response.status_code == 201, response.text
    recognition = (
        await mobility.client.get(f"{RECOGNITIONS}/{response.json()['id']}", headers=sending)
    ).json()
    (compilers,) = recognition["components"]
    assert compilers["grade"]["grade"] == "85"
    assert "no grade distribution table" in compilers["grade"]["method"]
    assert recognition["summary"] == "recognised: 6 of 6 ECTS as 4 CN credits"


async def test_a_transcript_from_the_receiving_node_is_recognised_here_and_others_refused(
    mobility: Mobility,
) -> None:
    """my's node sends a transcript of its institution for this node's sending institution:
    recognised here, in CN credits (6 ECTS = 4), the MY grade by the plain scales (3.00 is
    halfway between 4.00 and 2.00: 80). From a node that is not the receiving side: refused."""
    runtime = mobility.running.runtime
    transcript_id = uuid.uuid4()
    message: dict[str, Any] = {
        "id": str(transcript_id),
        "mobility_id": str(uuid.uuid4()),
        "sending": {"institution_id": str(mobility.uni), "node": mobility.node},
        "receiving": {"institution_id": str(mobility.partner), "node": "my"},
        "transcript": transcript(COMPILERS | {"grade": "3.00"}),
        "host_tables": [],
        "planned": None,
        "version": 1,
    }

    async def apply(data: dict[str, Any], origin: str = "my") -> None:
        event = new_event(
            node=origin, service="mobility", aggregate="transcript", action="sent",
            subject=data["id"], data=data, version=data["version"],
        ).model_copy(update={"recipientnode": mobility.node})  # fmt: skip
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)

    await apply(message)
    await apply(message)  # a redelivery changes nothing
    response = await mobility.client.get(
        f"{RECOGNITIONS}/{transcript_id}", headers=mobility.headers
    )
    assert response.status_code == 200, response.text
    (compilers,) = response.json()["components"]
    assert compilers["credits"]["credits"] == 4 and compilers["grade"]["grade"] == "80"
    assert response.json()["version"] == 1
    other = message | {"id": str(uuid.uuid4())}
    with pytest.raises(PermanentEventError, match="not from its receiving node"):
        await apply(other, origin="de")
    elsewhere = other | {"sending": {"institution_id": str(mobility.uni), "node": "de"}}
    with pytest.raises(PermanentEventError, match="not from its receiving node"):
        await apply(elsewhere)


async def test_the_learner_is_erased_on_request_and_the_results_stay(mobility: Mobility) -> None:
    sending = mobility.university(mobility.partner)
    body = {
        "mobility_id": str(uuid.uuid4()),
        "sending": {"institution_id": str(mobility.partner), "node": mobility.node},
        "transcript": transcript(COMPILERS),
    }
    created = (await mobility.client.post(TRANSCRIPTS, json=body, headers=mobility.headers)).json()
    path = f"{TRANSCRIPTS}/{created['id']}/learner"
    stranger = mobility.university(uuid.uuid4())
    assert (await mobility.client.delete(path)).status_code == 401
    assert (await mobility.client.delete(path, headers=stranger)).status_code == 404
    response = await mobility.client.delete(path, headers=sending)
    assert response.status_code == 200, response.text
    erased = response.json()
    assert erased["transcript"]["learner"] == {
        "given_names": "", "family_name": "", "birth_date": None, "citizenship": None,
    }  # fmt: skip
    assert erased["learner_erased_at"] and erased["version"] == 2
    assert erased["transcript"]["components"] == created["transcript"]["components"]
    again = await mobility.client.delete(path, headers=mobility.headers)
    assert again.json()["version"] == 2  # erased once
    exported = await mobility.client.get(f"{TRANSCRIPTS}/{created['id']}/elmo", headers=sending)
    assert exported.status_code == 200 and b"Wei" not in exported.content
    recognition = await mobility.client.get(f"{RECOGNITIONS}/{created['id']}", headers=sending)
    # B is no number of the CN scale and there is no table: the credits count all the same
    assert recognition.json()["summary"] == "recognised: 6 of 6 ECTS as 4 CN credits"


async def _hold_learning_agreement(
    mobility: Mobility,
    *,
    sending: IiaPartner,
    receiving: IiaPartner,
    parties: set[LaParty],
    nomination_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A learning agreement as the nodes hold it after the parties in `parties` approved its
    version (stored as the direct message would store it)."""
    components = LaComponents.model_validate(
        {
            "abroad": [
                {"code": "CS101", "title": "Compilers", "credits": 6, "credit_system": "ECTS",
                 "term": "1/2"},
                {"code": "CS102", "title": "Databases", "credits": 6, "credit_system": "ECTS",
                 "term": "1/2"},
            ],
            "home": [
                {"code": "INF-3", "title": "Compiler design", "credits": 4, "credit_system": "CN",
                 "term": "1/2", "replaced_by": ["CS101"]},
                {"code": "INF-4", "title": "Data management", "credits": 4,
                 "credit_system": "CN", "term": "1/2", "replaced_by": ["CS102"]},
            ],
        }
    )  # fmt: skip
    now = datetime.now(UTC)
    digest = "sha256:" + "0" * 64
    version = LaVersion(
        revision=1, components=components, digest=digest,
        status=LaVersionStatus.APPROVED if parties == set(LaParty) else LaVersionStatus.PROPOSED,
        approvals=[
            LaApproval(party=party, institution_id=side.institution_id, node=side.node,
                       digest=digest, signature="not checked here", approved_at=now,
                       approved_by=party.value)
            for party in sorted(parties)
            for side in [receiving if party is LaParty.RECEIVING else sending]
        ],
        proposed_at=now, proposed_by="coordinator",
    )  # fmt: skip
    state = LearningAgreementState(
        id=uuid.uuid4(), nomination_id=nomination_id or uuid.uuid4(), sending=sending,
        receiving=receiving,
        current=version, version=1, updated_at=now,
    )  # fmt: skip
    async with mobility.running.runtime.database.session() as session:
        record = LearningAgreement(id=state.id, created_at=now, version=1)
        write_state(record, state)
        session.add(record)
        await session.commit()
    return state.id


async def test_a_transcript_of_a_learning_agreement_recognises_its_approved_components(
    mobility: Mobility,
) -> None:
    """The transcript names the learning agreement: the sending institution and the
    components to recognise come from its approved version, each with the home component it
    replaces. Databases is not in the transcript: missing."""
    sending = IiaPartner(institution_id=mobility.partner, node="my")
    receiving = IiaPartner(institution_id=mobility.uni, node=mobility.node)
    la_id = await _hold_learning_agreement(
        mobility, sending=sending, receiving=receiving, parties=set(LaParty)
    )
    body = {"mobility_id": str(la_id), "transcript": transcript(COMPILERS)}
    response = await mobility.client.post(TRANSCRIPTS, json=body, headers=mobility.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["sending"] == {"institution_id": str(mobility.partner), "node": "my"}
    assert [(p["code"], p["credits"], p["system"], p["replaces"]) for p in created["planned"]] == [
        ("CS101", 6, "ECTS", ["INF-3 Compiler design"]),
        ("CS102", 6, "ECTS", ["INF-4 Data management"]),
    ]
    # the learning agreement's institutions only, and its approved version only
    stranger = mobility.university(uuid.uuid4())
    assert (await mobility.client.post(TRANSCRIPTS, json=body, headers=stranger)).status_code == 403
    other = body | {"sending": {"institution_id": str(uuid.uuid4()), "node": "my"}}
    response = await mobility.client.post(TRANSCRIPTS, json=other, headers=mobility.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "body.sending"
    unapproved = await _hold_learning_agreement(
        mobility, sending=sending, receiving=receiving, parties={LaParty.STUDENT, LaParty.SENDING}
    )
    body = {"mobility_id": str(unapproved), "transcript": transcript(COMPILERS)}
    response = await mobility.client.post(TRANSCRIPTS, json=body, headers=mobility.headers)
    assert response.status_code == 409, response.text
    unknown = {"mobility_id": str(uuid.uuid4()), "transcript": transcript(COMPILERS)}
    response = await mobility.client.post(TRANSCRIPTS, json=unknown, headers=mobility.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["path"] == "body.sending"


async def test_the_sending_node_recognises_a_learning_agreement_s_transcript_from_its_parties(
    mobility: Mobility,
) -> None:
    """At the sending node: a transcript whose learning agreement is held here comes from the
    agreement's receiving institution, else it is refused."""
    runtime = mobility.running.runtime
    sending = IiaPartner(institution_id=mobility.uni, node=mobility.node)
    receiving = IiaPartner(institution_id=mobility.partner, node="my")
    la_id = await _hold_learning_agreement(
        mobility, sending=sending, receiving=receiving, parties=set(LaParty)
    )
    message: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "mobility_id": str(la_id),
        "sending": sending.model_dump(mode="json"),
        "receiving": {"institution_id": str(uuid.uuid4()), "node": "my"},  # not the agreement's
        "transcript": transcript(COMPILERS),
        "host_tables": [],
        "version": 1,
    }
    event = new_event(
        node="my", service="mobility", aggregate="transcript", action="sent",
        subject=message["id"], data=message, version=1,
    ).model_copy(update={"recipientnode": mobility.node})  # fmt: skip
    with pytest.raises(PermanentEventError, match="not between its learning agreement's"):
        async with runtime.database.session() as session:
            await runtime.apply_event(session, event)


async def test_erasing_a_nomination_s_student_erases_the_learner_of_its_transcripts(
    mobility: Mobility,
) -> None:
    sending = IiaPartner(institution_id=mobility.partner, node="my")
    receiving = IiaPartner(institution_id=mobility.uni, node=mobility.node)
    nomination, other = uuid.uuid4(), uuid.uuid4()
    ids = []
    for nominated in (nomination, other):
        la_id = await _hold_learning_agreement(
            mobility, sending=sending, receiving=receiving, parties=set(LaParty),
            nomination_id=nominated,
        )  # fmt: skip
        body = {"mobility_id": str(la_id), "transcript": transcript(COMPILERS)}
        response = await mobility.client.post(TRANSCRIPTS, json=body, headers=mobility.headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    async with mobility.running.runtime.database.session() as session:
        erased = await erase_learners_of_nomination(session, nomination, datetime.now(UTC))
        await session.commit()
    assert erased == 1
    first, second = [
        (await mobility.client.get(f"{TRANSCRIPTS}/{i}", headers=mobility.headers)).json()
        for i in ids
    ]
    assert first["transcript"]["learner"]["family_name"] == "" and first["learner_erased_at"]
    assert first["transcript"]["components"] == second["transcript"]["components"]
    assert second["transcript"]["learner"]["family_name"] == "Wei"  # another student's
    assert second["learner_erased_at"] is None
