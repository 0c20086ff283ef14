"""One merged OpenAPI document for the node."""

from __future__ import annotations

import httpx

from services.gateway.openapi import merge_openapi


async def test_the_document_has_every_service_path_and_the_gateway_routes(
    gateway: httpx.AsyncClient,
) -> None:
    document = (await gateway.get("/openapi.json")).json()
    paths = document["paths"]
    for path in (
        "/v1/institutions",
        "/v1/programmes/slow",
        "/v1/quality/evaluations",
        "/v1/recognition/decisions",
        "/v1/frameworks",
        "/v1/credentials/verify",
        "/v1/auth/token",
        "/healthz",
        "/readyz",
    ):
        assert path in paths, path
    assert "/internal/debug" not in paths  # the gateway does not route it
    assert "x-missing-services" not in document["info"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    assert "clientCredentials" in schemes["OAuth2ClientCredentials"]["flows"]
    assert paths["/v1/frameworks"]["get"]["tags"] == ["recognition"]


async def test_same_named_schemas_merge_when_equal_and_are_prefixed_when_not(
    gateway: httpx.AsyncClient,
) -> None:
    document = (await gateway.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    # The kernel's Problem is the same everywhere: kept once, under its own name.
    assert "Problem" in schemas
    assert "InstitutionsProblem" not in schemas and "QualityProblem" not in schemas
    assert "Item" not in schemas
    assert set(schemas["InstitutionsItem"]["properties"]) == {"id", "country"}
    assert set(schemas["QualityItem"]["properties"]) == {"agency", "decision"}
    # ItemPage reads the same in both services but points at different Items: renamed too.
    assert schemas["InstitutionsItemPage"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/InstitutionsItem"
    }
    listing = document["paths"]["/v1/quality/evaluations"]["get"]
    content = listing["responses"]["200"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/QualityItemPage"}


async def test_a_missing_service_is_named_in_the_document(
    degraded_gateway: httpx.AsyncClient,
) -> None:
    document = (await degraded_gateway.get("/openapi.json")).json()
    assert document["info"]["x-missing-services"] == ["recognition"]
    assert "/v1/quality/evaluations" in document["paths"]
    assert "/v1/frameworks" not in document["paths"]


async def test_docs_serve_swagger_ui_for_the_merged_document(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text


def test_gateway_components_keep_their_names_and_operation_ids_stay_unique() -> None:
    gateway = {
        "paths": {"/healthz": {"get": {"operationId": "healthz", "responses": {}}}},
        "components": {"schemas": {"Health": {"type": "object"}}},
    }
    service = {
        "paths": {
            "/v1/quality/x": {
                "get": {
                    "operationId": "healthz",
                    "responses": {"200": {"$ref": "#/components/schemas/Health"}},
                }
            }
        },
        "components": {"schemas": {"Health": {"type": "string"}}},
    }
    merged = merge_openapi(gateway, {"quality": service}, {"quality": ("quality",)})
    assert merged["components"]["schemas"]["Health"] == {"type": "object"}
    assert merged["components"]["schemas"]["QualityHealth"] == {"type": "string"}
    operation = merged["paths"]["/v1/quality/x"]["get"]
    assert operation["operationId"] == "quality_healthz"
    assert operation["responses"]["200"]["$ref"] == "#/components/schemas/QualityHealth"


def test_what_the_gateway_answers_itself_is_declared_on_every_forwarded_operation() -> None:
    # Conformance: the gateway refuses a bad token (even on public reads) and answers for a
    # failed, unavailable or slow service, and for too many requests or too large a body.
    gateway = {"paths": {"/healthz": {"get": {"operationId": "healthz", "responses": {}}}}}
    service = {
        "paths": {
            "/v1/quality/x": {
                "get": {"responses": {"200": {"description": "OK"}}},
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {"401": {"description": "the service's own"}},
                },
            }
        },
    }
    merged = merge_openapi(gateway, {"quality": service}, {"quality": ("quality",)})
    read = merged["paths"]["/v1/quality/x"]["get"]["responses"]
    write = merged["paths"]["/v1/quality/x"]["post"]["responses"]

    assert set(read) == {"200", "401", "429", "502", "503", "504"}
    assert set(write) == {"401", "413", "429", "502", "503", "504"}
    assert write["401"]["description"] == "the service's own"  # kept, not replaced
    assert read["503"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert merged["paths"]["/healthz"]["get"]["responses"] == {}
