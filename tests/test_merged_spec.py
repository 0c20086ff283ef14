"""The node's merged OpenAPI document, built in-process, is fit to generate a client from:
short unique operation ids, one model per schema name."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from edunode.sdk import merged_document

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return merged_document()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_operation_has_a_short_unique_id(document: dict[str, Any]) -> None:
    ids = [
        str(operation.get("operationId", "")) for _path, _method, operation in operations(document)
    ]
    assert len(ids) > 50  # every service's routes are there
    assert all(ids)
    assert [id_ for id_, count in Counter(ids).items() if count > 1] == []
    assert [id_ for id_ in ids if len(id_) > 40] == []


def test_every_schema_is_titled_by_its_own_name(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    mistitled = {
        name: schema["title"]
        for name, schema in schemas.items()
        if "title" in schema and schema["title"] != name
    }
    assert mistitled == {}
    titles = Counter(schema.get("title", name) for name, schema in schemas.items())
    assert [title for title, count in titles.items() if count > 1] == []


def test_renamed_schemas_keep_distinct_models(document: dict[str, Any]) -> None:
    # quality and recognition each have a `Framework`: both stay, under their service's name.
    schemas = document["components"]["schemas"]
    assert schemas["QualityFramework"]["title"] == "QualityFramework"
    assert schemas["RecognitionFramework"]["title"] == "RecognitionFramework"
    assert schemas["QualityFramework"] != schemas["RecognitionFramework"]


def test_each_error_example_shows_its_own_status(document: dict[str, Any]) -> None:
    wrong = []
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            for media_type, content in response.get("content", {}).items():
                if not content.get("schema", {}).get("$ref", "").endswith("/Problem"):
                    continue
                example = content.get("example", {})
                # RFC 9457: problems are `application/problem+json`, `status` the HTTP status.
                if media_type != "application/problem+json" or example.get("status") != int(status):
                    wrong.append((method, path, status, media_type, example.get("status")))
    assert wrong == []


def test_every_v1_operation_declares_the_rate_limit(document: dict[str, Any]) -> None:
    # The gateway limits its own routes (`/v1/auth/token`, `/v1/federation/...`) as well.
    missing = []
    for path, method, operation in operations(document):
        if not path.startswith("/v1/"):
            continue
        responses = operation["responses"]
        too_many = responses.get("429", {})
        if "Retry-After" not in too_many.get("headers", {}):
            missing.append((method, path, "429 Retry-After"))
        for status, response in responses.items():
            if "RateLimit" not in response.get("headers", {}):
                missing.append((method, path, status))
    assert missing == []
    assert "429" in document["paths"]["/v1/auth/token"]["post"]["responses"]


def test_etag_is_documented_where_if_match_is_taken(document: dict[str, Any]) -> None:
    item = document["paths"]["/v1/institutions/{institution_id}"]
    if_match = [p for p in item["patch"]["parameters"] if p["name"].lower() == "if-match"]
    assert if_match and if_match[0]["in"] == "header"
    assert "ETag" in item["get"]["responses"]["200"]["headers"]
    assert "ETag" in item["patch"]["responses"]["200"]["headers"]


def test_every_example_is_valid_against_its_schema(document: dict[str, Any]) -> None:
    # What spectral's `oas3-valid-media-example` checks, offline: OpenAPI 3.1's schemas are
    # JSON Schema 2020-12, `$ref`s resolved in the document itself.
    registry = Registry().with_resource(
        "urn:edunode:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )

    def absolute(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: "urn:edunode:openapi" + item
                if key == "$ref" and isinstance(item, str) and item.startswith("#")
                else absolute(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [absolute(item) for item in value]
        return value

    invalid = []
    for path, method, operation in operations(document):
        bodies = {"request": operation.get("requestBody", {})} | operation["responses"]
        for status, body in bodies.items():
            for media_type, content in body.get("content", {}).items():
                if "example" not in content or "schema" not in content:
                    continue
                validator = Draft202012Validator(absolute(content["schema"]), registry=registry)
                invalid += [
                    (method, path, status, media_type, list(error.absolute_path), error.message)
                    for error in validator.iter_errors(content["example"])
                ]
    assert invalid == []


def test_every_tag_used_is_declared(document: dict[str, Any]) -> None:
    declared = {tag["name"] for tag in document["tags"]}
    used = {tag for _path, _method, operation in operations(document) for tag in operation["tags"]}
    assert used - declared == set()
