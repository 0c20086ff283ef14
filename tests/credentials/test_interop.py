"""Interoperability: every kind of credential this node issues — a diploma, a statement of
recognition, a QA evaluation, a micro-credential, and the status list credential — is valid
against the JSON schemas their standards publish (W3C VCDM 2.0; for the micro-credential,
1EdTech Open Badges 3.0), vendored in `tests/credentials/schemas/` with their source, and
verifies with an implementation written here from the standards alone: plain `yaml` to read
the trust list, the key as a JWK, joserfc to check the compact JWS. Nothing of the service's
own code checks what the service produced."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
import yaml
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import OKPKey

from tests.conftest import MakeToken, ServiceLauncher
from tests.credentials.conftest import Federation, StartNode, university
from tests.credentials.test_diplomas import DIPLOMA
from tests.credentials.test_micro_credentials import MICRO
from tests.credentials.test_statements import (
    _institution_with_id,
    start_quality_of,
    start_recognition_of,
)

SCHEMAS = Path(__file__).parent / "schemas"


def _schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


VCDM2 = _schema("vc-data-model-2.0.schema.json")
OPEN_BADGES = _schema("ob-v3p0-achievementcredential.schema.json")


def _vcdm2_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        VCDM2, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _open_badges_errors(document: dict[str, Any]) -> list[jsonschema.ValidationError]:
    validator = jsonschema.Draft201909Validator(
        OPEN_BADGES, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return list(validator.iter_errors(document))


def _published_jwk(trust_file: Path, kid: str) -> dict[str, Any]:
    """The key the federation's trust list publishes under `kid`, as a JWK (RFC 8037 OKP)."""
    trust = yaml.safe_load(trust_file.read_text(encoding="utf-8"))
    for node in trust["nodes"]:
        for key in node["keys"]:
            if key["kid"] == kid:
                jwk = dict(OKPKey.import_key(key["public_key"]).as_dict(private=False))
                assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
                return jwk | {"kid": kid}
    raise AssertionError(f"{kid} is not in the trust list")


def _independently_verified(trust_file: Path, token: str) -> dict[str, Any]:
    """VC-JOSE-COSE read by hand: a compact JWS, header `alg` EdDSA and `typ` vc+jwt, `kid`
    in the trust list; the payload is the credential."""
    encoded_header = token.split(".")[0]
    header = orjson.loads(
        base64.urlsafe_b64decode(encoded_header + "=" * (-len(encoded_header) % 4))
    )
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    key = OKPKey.import_key(_published_jwk(trust_file, header["kid"]))
    verified = jws.deserialize_compact(token, key, algorithms=["EdDSA"])
    return dict(orjson.loads(verified.payload))


@pytest.fixture
async def issued(
    services: ServiceLauncher,
    start_credentials: StartNode,
    federation: Federation,
    make_token: MakeToken,
) -> dict[str, dict[str, Any]]:
    """One credential of each kind, issued by the CN node with its recognition and quality
    services running."""
    node = federation.nodes["CN"]
    institution_id = uuid.uuid4()
    recognition = await start_recognition_of(services, node, make_token)
    quality = await start_quality_of(services, node, make_token, institution_id)
    cn = await start_credentials("CN", recognition_url=recognition.url, quality_url=quality.url)
    await _institution_with_id(cn, institution_id)
    registrar = university(make_token, node, institution_id)
    requests = {
        "diploma": ("/v1/credentials/diplomas", DIPLOMA, registrar),
        "micro_credential": ("/v1/credentials/micro-credentials", MICRO, registrar),
        "statement": (
            "/v1/credentials/recognition-statements",
            {"case_id": await recognition.case()},
            recognition.officer,
        ),
        "qa_evaluation": (
            "/v1/credentials/qa-evaluations",
            {"evaluation_id": quality.evaluation_id},
            quality.agency,
        ),
    }
    found: dict[str, dict[str, Any]] = {}
    for kind, (url, body, headers) in requests.items():
        response = await cn.client.post(url, json=body, headers=headers)
        assert response.status_code == 201, (kind, response.text)
        found[kind] = response.json()
    status_list = await cn.client.get(
        f"/v1/credentials/status/{found['diploma']['status_list_id']}"
    )
    assert status_list.status_code == 200
    found["status_list"] = {"jwt": status_list.text}
    return found


async def test_every_credential_against_the_published_schemas(
    issued: dict[str, dict[str, Any]], federation: Federation
) -> None:
    jsonschema.Draft202012Validator.check_schema(VCDM2)
    jsonschema.Draft201909Validator.check_schema(OPEN_BADGES)
    assert set(issued) == {
        "diploma",
        "statement",
        "qa_evaluation",
        "micro_credential",
        "status_list",
    }
    for kind, result in issued.items():
        document = _independently_verified(federation.trust_file, result["jwt"])
        if "credential" in result:
            assert document == result["credential"], kind
        assert _vcdm2_errors(document) == [], kind

    # The micro-credential against the Open Badges 3.0 achievement credential schema. This
    # revision of the schema still requires VCDM 1.1's `issuanceDate` (tests/credentials/
    # schemas/README.md): that, and nothing else, is what it reports.
    micro = issued["micro_credential"]["credential"]
    errors = _open_badges_errors(micro)
    assert [(e.validator, e.message) for e in errors] == [
        ("required", "'issuanceDate' is a required property")
    ], [e.message for e in errors]
    # The other credentials are not Open Badges; the schema says so of the diploma.
    assert _open_badges_errors(issued["diploma"]["credential"])


async def test_a_changed_bit_fails_the_independent_check(
    issued: dict[str, dict[str, Any]], federation: Federation
) -> None:
    for kind in ("diploma", "statement", "qa_evaluation", "micro_credential"):
        token = issued[kind]["jwt"]
        header, payload, signature = token.split(".")
        raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        raw[len(raw) // 2] ^= 0x01
        flipped = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
        with pytest.raises(BadSignatureError):
            _independently_verified(federation.trust_file, f"{header}.{flipped}.{signature}")
