"""Every PATCH body: a field the OpenAPI document shows as nullable is accepted as null, and
one it shows as not nullable is refused as null (a client generated from the document sends
what the document allows)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel, ValidationError

from edunode.sdk import service_apps
from tests.support.routes import api_routes


def _nullable(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "null" for option in options)


def _patch_bodies(app: FastAPI) -> list[type[BaseModel]]:
    bodies = []
    for route in api_routes(app.routes):
        if "PATCH" in (route.methods or ()) and route.body_field:
            model = route.body_field.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                bodies.append(model)
    return bodies


BODIES = [model for app in service_apps().values() for model in _patch_bodies(app)]


def test_the_patch_bodies_are_found() -> None:
    names = {model.__name__ for model in BODIES}
    assert {"InstitutionUpdate", "ProgrammeUpdate", "AgreementUpdate"} <= names


@pytest.mark.parametrize("model", BODIES, ids=lambda model: model.__name__)
def test_null_is_accepted_exactly_where_the_document_allows_it(model: type[BaseModel]) -> None:
    properties = model.model_json_schema(mode="validation")["properties"]
    disagreeing = []
    for name, schema in properties.items():
        try:
            model.model_validate({name: None})
            accepted = True
        except ValidationError:
            accepted = False
        if accepted != _nullable(schema):
            disagreeing.append((name, "accepted" if accepted else "refused"))
    assert disagreeing == []
