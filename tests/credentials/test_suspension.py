"""Suspension beside revocation (W3C Bitstring Status List 1.0, `statusPurpose`
`suspension`): reversible where revocation is final, published as its own list, replicated
like it, and read by verification anywhere — which says "suspended" but never why: the reason
may speak of the holder, so it stays on the issuing node."""

from __future__ import annotations

import base64
import gzip
import uuid
from typing import Any

import orjson
from joserfc import jws
from joserfc.jwk import OKPKey
from nats.aio.client import Client as NatsClient

from contracts.credentials import StatusListState
from services.credentials.app import create_app
from tests.conftest import MakeToken, ServiceLauncher, eventually, run_app
from tests.credentials.conftest import Federation, StartNode, credentials_settings, university
from tests.credentials.test_diplomas import (
    DIPLOMA,
    _failed,
    _institution,
    _issue,
    _signed_by,
    _verify,
)
from tests.credentials.test_replication import Signed, _stream
from tests.recognition.factories import institution_event

REASON = "the holder's thesis is under a plagiarism inquiry"


def _bit(federation: Federation, node: str, served: str, index: int) -> tuple[str, int]:
    """The purpose and the bit at `index` of a served status list credential, read with
    plain joserfc and the key the trust list publishes."""
    trusted = federation.trust.node(node)
    assert trusted is not None
    key = OKPKey.import_key(trusted.keys[0].public_key)
    document = orjson.loads(jws.deserialize_compact(served, key, algorithms=["EdDSA"]).payload)
    subject = document["credentialSubject"]
    text = subject["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    return subject["statusPurpose"], bits[index // 8] >> (7 - index % 8) & 1


async def test_suspend_lift_and_revoke(
    start_credentials: StartNode, federation: Federation, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    headers = university(make_token, cn.node, await _institution(cn, "CN"))
    issued = await _issue(cn, headers)
    other = await _issue(cn, headers)
    url = f"/v1/credentials/{issued['id']}/suspension"

    stranger = university(make_token, cn.node, uuid.uuid4())
    assert (await cn.client.post(url, json={"reason": REASON}, headers=stranger)).status_code == 404
    assert (await cn.client.delete(url, headers=headers)).status_code == 409  # not suspended

    response = await cn.client.post(url, json={"reason": REASON}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["suspended_at"] is not None
    assert response.json()["suspension_reason"] == REASON  # to its manager, on this node
    assert (await cn.client.post(url, json={"reason": REASON}, headers=headers)).status_code == 409

    report = await _verify(cn, issued["jwt"])
    assert report["valid"] is False
    failed = _failed(report)
    assert list(failed) == ["status"] and "suspended" in failed["status"]
    assert REASON not in str(report)  # the reason stays with the issuer
    assert (await _verify(cn, other["jwt"]))["valid"] is True

    # The suspension list as published: its own list, purpose `suspension`, the bit set.
    served = await cn.client.get(f"/v1/credentials/status/{issued['suspension_list_id']}")
    assert served.status_code == 200
    index = issued["suspension_index"]
    assert _bit(federation, cn.node, served.text, index) == ("suspension", 1)
    revocation = await cn.client.get(f"/v1/credentials/status/{issued['status_list_id']}")
    assert _bit(federation, cn.node, revocation.text, issued["status_index"]) == ("revocation", 0)

    # Lifted: valid again, the bit cleared.
    lifted = await cn.client.delete(url, headers=headers)
    assert lifted.status_code == 200, lifted.text
    assert lifted.json()["suspended_at"] is None
    assert (await _verify(cn, issued["jwt"]))["valid"] is True
    served = await cn.client.get(f"/v1/credentials/status/{issued['suspension_list_id']}")
    assert _bit(federation, cn.node, served.text, index) == ("suspension", 0)

    # Suspended then revoked: revocation wins and is final.
    await cn.client.post(url, json={"reason": REASON}, headers=headers)
    revoked = await cn.client.post(
        f"/v1/credentials/{issued['id']}/revocation",
        json={"reason": "inquiry concluded: degree withdrawn"},
        headers=headers,
    )
    assert revoked.status_code == 200, revoked.text
    assert _failed(await _verify(cn, issued["jwt"])) == {"status": "revoked by its issuer"}
    other_url = f"/v1/credentials/{other['id']}"
    await cn.client.post(f"{other_url}/revocation", json={"reason": "error"}, headers=headers)
    response = await cn.client.post(
        f"{other_url}/suspension", json={"reason": REASON}, headers=headers
    )
    assert response.status_code == 409 and "final" in response.json()["detail"]


async def test_a_suspension_is_seen_with_the_issuer_down(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
    nats_client: NatsClient,
) -> None:
    """The suspension list leaves the issuer through its relay like the revocation list;
    another node applies it and says "suspended" with the issuer stopped — and the reason is
    in no event."""
    de = await start_credentials("DE")
    cn_node = federation.nodes["CN"]
    institution = institution_event(
        node=cn_node, name="Tsinghua University", country="CN", institution_id=uuid.uuid4()
    )
    headers = university(make_token, cn_node, uuid.UUID(str(institution.data["id"])))
    async with run_app(create_app(credentials_settings(services, federation, "CN"))) as cn:
        await cn.wait_connected()
        async with cn.runtime.database.session() as session:
            await cn.runtime.apply_event(session, institution)
        response = await cn.client.post("/v1/credentials/diplomas", json=DIPLOMA, headers=headers)
        assert response.status_code == 201, response.text
        issued: dict[str, Any] = response.json()
        response = await cn.client.post(
            f"/v1/credentials/{issued['id']}/suspension", json={"reason": REASON}, headers=headers
        )
        assert response.status_code == 200, response.text

        async def suspension_published() -> list[Signed] | None:
            lists = [
                m
                for m in await _stream(nats_client, cn_node)
                if m[0].type.startswith("credentials.status_list.updated.")
            ]
            suspended = [
                m
                for m in lists
                if StatusListState.model_validate(m[0].data).purpose == "suspension"
                and m[0].aggregateversion == 2
            ]
            return lists if suspended else None

        published = await eventually(suspension_published, what="the suspension list published")
        everything = await _stream(nats_client, cn_node)
    # The issuer is stopped from here on.

    for _, payload, _ in everything:
        assert REASON.encode() not in payload
        assert DIPLOMA["holder"]["family_name"].encode() not in payload
    await de.apply(institution, *(event for event, _, _ in published))
    failed = _failed(await _verify(de, issued["jwt"]))
    assert list(failed) == ["status"] and "suspended" in failed["status"]


async def test_status_entries_that_do_not_hold(
    start_credentials: StartNode, federation: Federation, make_token: MakeToken
) -> None:
    """Credentials signed with the node's own key whose status entries are wrong — each an
    invalid report naming the status, never a 500: a suspension entry pointing at a
    revocation list, no revocation entry at all, a purpose the spec does not define here, an
    entry that is not a `BitstringStatusListEntry`."""
    cn = await start_credentials("CN")
    headers = university(make_token, cn.node, await _institution(cn, "CN"))
    credential = (await _issue(cn, headers))["credential"]
    revocation, suspension = credential["credentialStatus"]
    cases = {
        "is a revocation list": [
            revocation,
            suspension | {"statusListCredential": revocation["statusListCredential"]},
        ],
        "no revocation entry": [suspension],
        "unknown status purpose": [revocation, suspension | {"statusPurpose": "message"}],
        "not a BitstringStatusListEntry": [revocation, "urn:example:status"],
    }
    for reason, entries in cases.items():
        forged = credential | {"credentialStatus": entries}
        failed = _failed(await _verify(cn, _signed_by(federation, cn.node, forged)))
        assert list(failed) == ["status"] and reason in failed["status"], (reason, failed)
    # A credential from before suspension (one revocation entry, not a list) still verifies.
    single = credential | {"credentialStatus": revocation}
    report = await _verify(cn, _signed_by(federation, cn.node, single))
    assert report["valid"] is True, report
