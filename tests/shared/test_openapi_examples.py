"""Every JSON body of a service's OpenAPI document shows an example."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.openapi_examples import add_missing_examples, example_of
from shared.web import create_service_app


class Thing(BaseModel):
    name: str = Field(examples=["Universiti Malaya"])
    country: str = "MY"
    credits: int
    tags: list[str]


def test_an_operation_without_examples_gets_one_from_its_schema() -> None:
    app = create_service_app(
        service="test",
        title="t",
        description="d",
        version="1",
        lifespan=None,
        readiness=lambda app: {},
    )

    @app.post("/things", summary="Make a thing", response_model=Thing)
    async def make(thing: Thing) -> Thing:
        """Make it."""
        return thing

    operation = app.openapi()["paths"]["/things"]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    assert example == {
        "name": "Universiti Malaya",
        "country": "MY",
        "credits": 1,
        "tags": ["string"],
    }
    assert operation["responses"]["200"]["content"]["application/json"]["example"] == example
    problem = operation["responses"]["422"]["content"]["application/problem+json"]["example"]
    assert set(problem) >= {"type", "title", "status"}


def test_a_declared_example_is_kept() -> None:
    document = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {"schema": {"type": "integer"}, "example": 7}
                            }
                        }
                    }
                }
            }
        }
    }
    add_missing_examples(document)
    assert (
        document["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
        == 7
    )
    assert example_of({"type": "string", "format": "uuid"}, {}).count("-") == 4
