"""Diplomas issued, verified, tampered with and revoked, against a real service (SQLite and
PostgreSQL, the session's nats-server). What each answer must be comes from the W3C specs
(VCDM 2.0, VC-JOSE-COSE, Bitstring Status List 1.0) and the issue, never from the service."""

from __future__ import annotations

import base64
import gzip
import uuid
from datetime import UTC, datetime
from typing import Any

import jsonschema
import orjson
from joserfc import jws
from joserfc.jwk import OKPKey

from shared.auth import Role
from tests.conftest import MakeToken, bearer
from tests.credentials.conftest import Federation, StartNode, university
from tests.recognition.factories import institution_event

DIPLOMA: dict[str, Any] = {
    "holder": {
        "given_name": "Li",
        "family_name": "Wei",
        "birth_date": "2001-03-14",
        "identifier": {"scheme": "national-id", "value": "110101200103140011"},
    },
    "qualification": {
        "titles": [
            {"lang": "zh", "value": "工学学士"},
            {"lang": "en", "value": "Bachelor of Engineering"},
        ],
        "level": {"framework": "CN-NQF", "level": "6"},
        "referenced_levels": [{"framework": "EQF", "level": "6"}],
        "isced_f": "0714",
        "credits": 160,
        "credit_system": "CN-credits",
        "award_date": "2024-06-30",
        "mode_of_study": "full_time",
    },
}

# The normative requirements of VCDM 2.0 §4 on a credential's shape, as a JSON schema: the
# `@context` list starting with the v2 context, a `type` naming VerifiableCredential, an issuer
# URL (or an object with one as `id`), a subject, `validFrom` an XML Schema dateTimeStamp, a
# status entry with a type.
VCDM2_REQUIRED = {
    "type": "object",
    "required": ["@context", "type", "issuer", "credentialSubject"],
    "properties": {
        "@context": {
            "type": "array",
            "minItems": 1,
            "prefixItems": [{"const": "https://www.w3.org/ns/credentials/v2"}],
        },
        "type": {"type": "array", "contains": {"const": "VerifiableCredential"}},
        "issuer": {
            "oneOf": [
                {"type": "string", "format": "uri"},
                {"type": "object", "required": ["id"]},
            ]
        },
        "credentialSubject": {"type": "object", "minProperties": 1},
        "validFrom": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
        },
        "credentialStatus": {
            "oneOf": [
                {"type": "object", "required": ["type"]},
                {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["type"]}},
            ]
        },
    },
}


async def _institution(node: Any, country: str) -> uuid.UUID:
    institution_id = uuid.uuid4()
    await node.apply(
        institution_event(
            node=node.node,
            name="Tsinghua University",
            country=country,
            institution_id=institution_id,
            identifiers=[{"resource": "ror", "value": "03cve4549"}],
        )
    )
    return institution_id


async def _issue(node: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = await node.client.post("/v1/credentials/diplomas", json=DIPLOMA, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _verify(node: Any, token: str) -> dict[str, Any]:
    response = await node.client.post("/v1/credentials/verify", json={"credential": token})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _failed(report: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["reason"] for c in report["checks"] if c["outcome"] == "failed"}


def _b64url_json(part: str) -> Any:
    return orjson.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


async def test_issue_and_verify(
    start_credentials: StartNode, federation: Federation, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    issued = await _issue(cn, university(make_token, cn.node, institution_id))

    credential = issued["credential"]
    jsonschema.validate(credential, VCDM2_REQUIRED)
    assert credential["type"] == ["VerifiableCredential", "DiplomaCredential"]
    claim = credential["credentialSubject"]["hasClaim"]
    assert credential["credentialSubject"]["familyName"] == "Wei"
    assert claim["specifiedBy"]["title"] == {"zh": "工学学士", "en": "Bachelor of Engineering"}
    assert claim["specifiedBy"]["iscedfCode"] == "0714"
    assert claim["awardedBy"]["country"] == "CN"
    assert {"schemeName": "ror", "notation": "03cve4549"} in claim["awardedBy"]["identifier"]
    # No quality service configured: the evidence says so rather than inventing a status.
    assert credential["evidence"][0]["qaStatus"] == "unknown"
    # Two entries (VCDM 2.0 allows a list): revocation, final, and suspension, reversible.
    status, suspension = credential["credentialStatus"]
    assert suspension["statusPurpose"] == "suspension"
    assert suspension["statusListCredential"] != status["statusListCredential"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert 0 <= int(status["statusListIndex"]) < 131072
    assert status["statusListCredential"].startswith(f"https://{cn.node}.edunode.example/")

    # An independent check: plain joserfc with the key the trust list publishes.
    token = issued["jwt"]
    node = federation.trust.node(cn.node)
    assert node is not None
    key = OKPKey.import_key(node.keys[0].public_key)
    header = _b64url_json(token.split(".")[0])
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "kid": node.keys[0].kid}
    verified = jws.deserialize_compact(token, key, algorithms=["EdDSA"])
    assert orjson.loads(verified.payload) == credential

    report = await _verify(cn, token)
    assert report["valid"] is True, report
    assert {c["name"] for c in report["checks"]} >= {
        "signature",
        "algorithm",
        "key",
        "authority",
        "status",
        "validity_period",
    }
    assert all(c["outcome"] == "ok" for c in report["checks"])
    assert report["issuer_node"] == cn.node


async def test_tampering_and_bad_input(start_credentials: StartNode, make_token: MakeToken) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    token = (await _issue(cn, university(make_token, cn.node, institution_id)))["jwt"]
    header, payload, signature = token.split(".")

    # One character of the payload changed (the birth date): the signature fails.
    document = _b64url_json(payload)
    document["credentialSubject"]["birthDate"] = "2001-03-15"
    forged = base64.urlsafe_b64encode(orjson.dumps(document)).rstrip(b"=").decode()
    report = await _verify(cn, f"{header}.{forged}.{signature}")
    assert report["valid"] is False
    assert "signature" in _failed(report)
    assert {c["outcome"] for c in report["checks"] if c["name"] == "status"} == {"not_checked"}

    # One bit of the signature flipped.
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[10] ^= 0x01
    flipped = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    assert "signature" in _failed(await _verify(cn, f"{header}.{payload}.{flipped}"))

    # `alg: none` and HS256 are refused before any key is looked for.
    for alg in ("none", "HS256"):
        head = _b64url_json(header) | {"alg": alg}
        encoded = base64.urlsafe_b64encode(orjson.dumps(head)).rstrip(b"=").decode()
        failed = _failed(await _verify(cn, f"{encoded}.{payload}.{signature}"))
        assert "algorithm" in failed, failed

    # An unknown key id.
    head = _b64url_json(header) | {"kid": "zz:9"}
    encoded = base64.urlsafe_b64encode(orjson.dumps(head)).rstrip(b"=").decode()
    assert "key" in _failed(await _verify(cn, f"{encoded}.{payload}.{signature}"))

    # Not a JWT at all: an invalid report; oversized: a 422 problem.
    assert "format" in _failed(await _verify(cn, "https://example.org/not-a-credential"))
    response = await cn.client.post("/v1/credentials/verify", json={"credential": "a" * 70_000})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_issue_is_authorised(start_credentials: StartNode, make_token: MakeToken) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    de_institution = await _institution(cn, "DE")
    url = "/v1/credentials/diplomas"
    assert (await cn.client.post(url, json=DIPLOMA)).status_code == 401
    officer = bearer(make_token(Role.RECOGNITION_OFFICER, node=cn.node))
    assert (await cn.client.post(url, json=DIPLOMA, headers=officer)).status_code == 403
    # An institution of a country this node has no authority over.
    foreign = university(make_token, cn.node, de_institution)
    assert (await cn.client.post(url, json=DIPLOMA, headers=foreign)).status_code == 403
    # An institution the directory does not know.
    unknown = university(make_token, cn.node, uuid.uuid4())
    assert (await cn.client.post(url, json=DIPLOMA, headers=unknown)).status_code == 422
    bad = DIPLOMA | {"qualification": DIPLOMA["qualification"] | {"isced_f": "engineering"}}
    own = university(make_token, cn.node, institution_id)
    response = await cn.client.post(url, json=bad, headers=own)
    assert response.status_code == 422


async def test_revocation_and_status_list(
    start_credentials: StartNode, federation: Federation, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    headers = university(make_token, cn.node, institution_id)
    issued = await _issue(cn, headers)
    kept = await _issue(cn, headers)
    url = f"/v1/credentials/{issued['id']}/revocation"

    other = university(make_token, cn.node, uuid.uuid4())
    assert (await cn.client.post(url, json={"reason": "x" * 10}, headers=other)).status_code == 404
    response = await cn.client.post(
        url, json={"reason": "awarded in error: thesis plagiarised"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["revoked_at"] is not None
    again = await cn.client.post(url, json={"reason": "twice"}, headers=headers)
    assert again.status_code == 409

    report = await _verify(cn, issued["jwt"])
    assert report["valid"] is False
    assert _failed(report) == {"status": "revoked by its issuer"}
    assert (await _verify(cn, kept["jwt"]))["valid"] is True

    # The status list as the spec publishes it, read independently: a vc+jwt signed with
    # the node's key, `encodedList` multibase (`u`) base64url of the GZIP'd bitstring, index 0
    # its left-most bit.
    list_path = "/v1/credentials/status/" + str(issued["status_list_id"])
    served = await cn.client.get(list_path)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/vc+jwt")
    node = federation.trust.node(cn.node)
    assert node is not None
    key = OKPKey.import_key(node.keys[0].public_key)
    status_credential = orjson.loads(
        jws.deserialize_compact(served.text, key, algorithms=["EdDSA"]).payload
    )
    jsonschema.validate(status_credential, VCDM2_REQUIRED)
    assert "BitstringStatusListCredential" in status_credential["type"]
    subject = status_credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["encodedList"][0] == "u"
    text = subject["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    assert len(bits) * 8 == 131072
    index = issued["status_index"]
    assert bits[index // 8] >> (7 - index % 8) & 1 == 1
    kept_index = kept["status_index"]
    assert bits[kept_index // 8] >> (7 - kept_index % 8) & 1 == 0
    assert sum(bin(byte).count("1") for byte in bits) == 1
    assert (await cn.client.get(f"/v1/credentials/status/{uuid.uuid4()}")).status_code == 404


def _signed_by(federation: Federation, node: str, document: dict[str, Any]) -> str:
    """`document` signed as vc+jwt with the node's key, by plain joserfc (as another
    implementation of the same node would)."""
    keys = federation.keys[node]
    key = OKPKey.import_key((keys / "federation-1.key").read_bytes())
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": f"{node}:1"}
    return jws.serialize_compact(header, orjson.dumps(document), key, algorithms=["EdDSA"])


async def test_validly_signed_but_not_valid(
    start_credentials: StartNode, federation: Federation, make_token: MakeToken
) -> None:
    """Expired, not yet valid, a status index beyond the list, and an institution of a
    country the signer has no authority over: each signed with the node's own key, each
    invalid with its reason."""
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    credential = (await _issue(cn, university(make_token, cn.node, institution_id)))["credential"]

    expired = credential | {"validUntil": "2020-01-01T00:00:00Z"}
    failed = _failed(await _verify(cn, _signed_by(federation, cn.node, expired)))
    assert list(failed) == ["validity_period"] and "expired" in failed["validity_period"]

    future = credential | {"validFrom": "2999-01-01T00:00:00Z"}
    failed = _failed(await _verify(cn, _signed_by(federation, cn.node, future)))
    assert list(failed) == ["validity_period"] and "not valid before" in failed["validity_period"]

    revocation, suspension = credential["credentialStatus"]
    status = [revocation | {"statusListIndex": str(131072 + 5)}, suspension]
    beyond = credential | {"credentialStatus": status}
    failed = _failed(await _verify(cn, _signed_by(federation, cn.node, beyond)))
    assert list(failed) == ["status"] and "outside" in failed["status"]

    subject = credential["credentialSubject"]
    claim = subject["hasClaim"] | {
        "awardedBy": subject["hasClaim"]["awardedBy"] | {"country": "DE"}
    }
    foreign = credential | {"credentialSubject": subject | {"hasClaim": claim}}
    failed = _failed(await _verify(cn, _signed_by(federation, cn.node, foreign)))
    assert "authority" in failed and "no authority over 'DE'" in failed["authority"]

    # The other node's key signing the CN node's credential: the issuer is not the signer,
    # and that node has no authority over CN.
    de = federation.nodes["DE"]
    failed = _failed(await _verify(cn, _signed_by(federation, de, credential)))
    assert {"issuer", "authority"} <= set(failed)


async def test_the_key_must_be_valid_at_issuance(
    start_credentials: StartNode, federation: Federation, make_token: MakeToken, tmp_path: Any
) -> None:
    """A verifier whose trust list says the issuer's key was retired before the credential's
    `validFrom` refuses it; a verifier with no trust list says it cannot find keys."""
    cn = await start_credentials("CN")
    institution_id = await _institution(cn, "CN")
    token = (await _issue(cn, university(make_token, cn.node, institution_id)))["jwt"]

    retired = federation.trust.model_copy(deep=True)
    node = retired.node(cn.node)
    assert node is not None
    node.keys[0].valid_to = datetime(2020, 1, 1, tzinfo=UTC)
    retired_file = tmp_path / "retired.yaml"
    retired.dump(retired_file)
    de = await start_credentials("DE", trust_file=retired_file)
    failed = _failed(await _verify(de, token))
    assert list(failed) == ["key"] and "was not valid at" in failed["key"]

    alone = await start_credentials("DE", trust_file=None)
    failed = _failed(await _verify(alone, token))
    assert list(failed) == ["key"] and "no trust list" in failed["key"]
