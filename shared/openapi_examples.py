"""Examples for every operation of a service's OpenAPI document.

Developers integrate from the docs page, so every JSON request body and response shows an
example. Routes may declare their own; where one is missing, it is built from the schema: a
field's declared `examples`, else its default, else a value of its type and format.
"""

from __future__ import annotations

from typing import Any

_BY_FORMAT = {
    "uuid": "0193a5f0-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
    "date": "2026-01-31",
    "date-time": "2026-01-31T09:30:00Z",
    "uri": "https://www.example.edu/",
    "email": "registrar@example.edu",
}
_BY_TYPE: dict[str, Any] = {"string": "string", "integer": 1, "number": 1.0, "boolean": True}


def example_of(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for `schema` (refs resolved against `components`)."""
    if depth > 16:  # only a schema that contains itself goes this deep
        return None
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return example_of(components.get(name, {}), components, depth + 1)
    for key in ("example", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = [o for o in schema.get(key, []) if o.get("type") != "null"]
        nullable = len(options) < len(schema.get(key, []))
        if nullable and _unguessable(options[0] if options else {}):
            return None  # null is valid, a made-up value would not be
        if options:
            return example_of(options[0], components, depth + 1)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: example_of(sub, components, depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        item = example_of(schema.get("items", {}), components, depth + 1)
        return [item] * max(1, int(schema.get("minItems", 1)))
    if schema.get("format") in _BY_FORMAT:
        return _BY_FORMAT[schema["format"]]
    return _BY_TYPE.get(str(kind))


def _unguessable(schema: dict[str, Any]) -> bool:
    """A string that must match a pattern, with no example or default to show."""
    return "pattern" in schema and not any(k in schema for k in ("example", "examples", "default"))


def add_missing_examples(document: dict[str, Any]) -> dict[str, Any]:
    """Give every JSON request body and response of `document` an example (in place)."""
    components = document.get("components", {}).get("schemas", {})
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            bodies = [operation.get("requestBody", {})]
            bodies += list(operation.get("responses", {}).values())
            for body in bodies:
                for media_type, content in body.get("content", {}).items():
                    if not media_type.endswith("json") or "example" in content:
                        continue
                    if "examples" in content or "schema" not in content:
                        continue
                    content["example"] = example_of(content["schema"], components)
    return document
