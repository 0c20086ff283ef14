"""The node's merged OpenAPI document, built in-process, is fit to generate a client from:
short unique operation ids, one model per schema name."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

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
    ids = [operation.get("operationId") for _path, _method, operation in operations(document)]
    assert len(ids) > 50  # every service's routes are there
    assert all(isinstance(id_, str) and id_ for id_ in ids)
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
