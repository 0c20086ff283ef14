"""One OpenAPI document for the whole node: the gateway's own routes plus every service's
routes that the gateway forwards, fetched from the services and merged.

Same-named components that are identical everywhere (the kernel's `Problem`, FastAPI's
validation errors) are kept once; differing ones are renamed with the service's name as prefix
(`Item` → `InstitutionsItem`) and the `$ref`s pointing at them rewritten; a schema's title is
its name.
"""

from __future__ import annotations

import asyncio
import copy
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import orjson
import structlog

from services.gateway.upstream_client import UpstreamClient, UpstreamError
from services.gateway.upstreams import Upstream
from shared.auth import Scope
from shared.errors import problem_response_object

log = structlog.get_logger("edunode.gateway.openapi")

JsonObject = dict[str, Any]
_REF_PREFIX = "#/components/"
BEARER_SCHEME = "HTTPBearer"  # the name the kernel's `HTTPBearer` dependency gives its scheme
OAUTH2_SCHEME = "OAuth2ClientCredentials"

_SCOPE_DESCRIPTIONS = {
    Scope.INSTITUTIONS_WRITE: "Create and change institutions of this node's countries.",
    Scope.PROGRAMMES_WRITE: "Create and change programmes.",
    Scope.QUALITY_WRITE: "Publish evaluations (QA results) of one's own agency.",
    Scope.QUALITY_ADMIN: "Register agencies and clear flagged evaluations.",
    Scope.RECOGNITION_CASES: "Open and manage recognition cases (personal data).",
    Scope.RECOGNITION_DECIDE: "Record recognition decisions and appeals.",
    Scope.REFERENCE_WRITE: "Change frameworks, levels and agreements.",
    Scope.FEDERATION_ADMIN: "Administer this node's federation links.",
    Scope.AUDIT_READ: "Read audit trails.",
    Scope.CLIENTS_ADMIN: "Manage API clients.",
    Scope.CREDENTIALS_ISSUE: "Issue and revoke verifiable credentials of one's own institution.",
    Scope.MOBILITY_AGREEMENTS: "Propose, approve and read one's institution's mobility agreements.",
    Scope.MOBILITY_TRANSCRIPTS: "Send and read transcripts of records of one's institution's "
    "students abroad, its grade distribution tables, and decide their recognition at home "
    "(personal data).",
    Scope.CREDENTIALS_INQUIRE: "Ask an issuing node whether it awarded a qualification to a "
    "person (personal data), and read the signed answer.",
}


# What the gateway itself may answer instead of the service, whatever the operation: a bearer
# token that is not valid (checked before forwarding, on public reads too), too many requests,
# and a service that failed, is unavailable or did not answer in time. Plus, for an operation
# with a request body, a body over the gateway's limit.
GATEWAY_STATUSES = (401, 429, 502, 503, 504)
GATEWAY_BODY_STATUSES = (413,)


def _declare_gateway_responses(operation: JsonObject) -> None:
    responses: JsonObject = operation.setdefault("responses", {})
    statuses = GATEWAY_STATUSES + (GATEWAY_BODY_STATUSES if "requestBody" in operation else ())
    for status in statuses:
        responses.setdefault(str(status), problem_response_object(status))


def _header(description: str, kind: str = "string") -> JsonObject:
    return {"description": description, "schema": {"type": kind}}


# `services.gateway.limits.rate_limit_headers` sends these on every rate-limited answer.
RATE_LIMIT_HEADERS: JsonObject = {
    "RateLimit-Policy": _header('The limit that applied (IETF draft), e.g. `"client";q=20;w=1`.'),
    "RateLimit": _header('What is left of it (IETF draft), e.g. `"client";r=19;t=1`.'),
    "RateLimit-Limit": _header("Requests allowed at once (the burst).", "integer"),
    "RateLimit-Remaining": _header("Requests left before 429.", "integer"),
    "RateLimit-Reset": _header("Seconds until the allowance is whole again.", "integer"),
}
RETRY_AFTER = _header("Seconds to wait before retrying.", "integer")


def _declare_rate_limit(operation: JsonObject) -> None:
    """The gateway's rate limit covers every `/v1/` operation, its own included: 429 with
    `Retry-After`, and the `RateLimit` headers on every answer while the limit is on."""
    responses: JsonObject = operation.setdefault("responses", {})
    responses.setdefault("429", problem_response_object(429))
    for status, response in responses.items():
        if not isinstance(response, dict) or "$ref" in response:
            continue
        headers = response.setdefault("headers", {})
        for name, header in RATE_LIMIT_HEADERS.items():
            headers.setdefault(name, header)
        if status == "429":
            headers.setdefault("Retry-After", RETRY_AFTER)


# What a response carrying a record's version says, and where.
ETAG_HEADER = _header('The version of the record (e.g. `"3"`), to send back as `If-Match`.')


def _declare_etags(paths: JsonObject) -> None:
    """Where a change takes `If-Match`, the record's read and that change answer its `ETag`."""
    for item in paths.values():
        changes = [
            operation
            for operation in item.values()
            if isinstance(operation, dict)
            and any(
                parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match"
                for parameter in operation.get("parameters", [])
            )
        ]
        if not changes:
            continue
        for operation in [*changes, item.get("get")]:
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if str(status).startswith("2") and isinstance(response, dict):
                    response.setdefault("headers", {}).setdefault("ETag", ETAG_HEADER)


def _rewrite_refs(value: Any, renames: Mapping[str, str]) -> Any:
    """A copy of `value` with each `$ref` in `renames` (full ref → new full ref) replaced."""
    if isinstance(value, dict):
        return {
            key: (
                renames.get(item, item)
                if key == "$ref" and isinstance(item, str)
                else _rewrite_refs(item, renames)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rewrite_refs(item, renames) for item in value]
    return value


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _ref(section: str, name: str) -> str:
    return f"{_REF_PREFIX}{section}/{name}"


def _component_renames(
    components: Mapping[str | None, JsonObject],
) -> dict[str | None, dict[tuple[str, str], str]]:
    """Which components of which service must take a prefixed name.

    `components` maps a source (a service name, or None for the gateway itself, which keeps its
    names) to its `components` object. Repeats until stable, because renaming a schema changes
    every schema that refers to it.
    """
    renames: dict[str | None, dict[tuple[str, str], str]] = {source: {} for source in components}
    while True:
        variants: dict[tuple[str, str], dict[bytes, list[str | None]]] = {}
        for source, sections in components.items():
            refs = {_ref(*key): _ref(key[0], new) for key, new in renames[source].items()}
            for section, items in sections.items():
                if not isinstance(items, dict):
                    continue
                for component, item in items.items():
                    target = str(renames[source].get((section, component), component))
                    canonical = _canonical(_rewrite_refs(item, refs))
                    variants.setdefault((section, target), {}).setdefault(canonical, []).append(
                        source
                    )
        changed = False
        for (section, name), by_definition in variants.items():
            if len(by_definition) < 2:
                continue
            for sources in by_definition.values():
                for source in sources:
                    if source is None or (section, name) in renames[source]:
                        continue
                    renames[source][(section, name)] = source.capitalize() + name
                    changed = True
        if not changed:
            return renames


def _routed(path: str, segments: tuple[str, ...]) -> bool:
    if not path.startswith("/v1/"):
        return False
    return path[4:].split("/", 1)[0] in segments


def merge_openapi(
    gateway: JsonObject,
    services: Mapping[str, JsonObject | None],
    segments: Mapping[str, tuple[str, ...]],
) -> JsonObject:
    """The node's document: `gateway`'s own plus, for each service that answered, its paths
    under the prefixes the gateway routes to it (`segments`), with components merged."""
    merged = copy.deepcopy(gateway)
    present = {name: spec for name, spec in services.items() if spec is not None}
    sources: dict[str | None, JsonObject] = {None: merged.get("components", {})}
    sources.update({name: spec.get("components", {}) for name, spec in present.items()})
    renames = _component_renames(sources)

    components: JsonObject = merged.setdefault("components", {})
    paths: JsonObject = merged.setdefault("paths", {})
    tags: list[JsonObject] = list(merged.get("tags", []))
    known_tags = {tag["name"] for tag in tags}
    groups: list[JsonObject] = []
    operation_ids = {
        operation.get("operationId")
        for item in paths.values()
        for operation in item.values()
        if isinstance(operation, dict)
    }
    for name, spec in present.items():
        refs = {_ref(*key): _ref(key[0], new) for key, new in renames[name].items()}
        for section, items in spec.get("components", {}).items():
            if not isinstance(items, dict):
                continue
            target_section = components.setdefault(section, {})
            for item_name, item in items.items():
                target = renames[name].get((section, item_name), item_name)
                target_section.setdefault(target, _rewrite_refs(item, refs))
        for tag in spec.get("tags", []):
            if tag.get("name") not in known_tags:
                tags.append(tag)
                known_tags.add(tag["name"])
        used_tags: list[str] = []
        for path, item in spec.get("paths", {}).items():
            if not _routed(path, segments.get(name, ())) or path in paths:
                continue
            item = _rewrite_refs(item, refs)
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                operation["tags"] = operation.get("tags") or [name]
                used_tags += [tag for tag in operation["tags"] if tag not in used_tags]
                operation_id = operation.get("operationId")
                if operation_id in operation_ids:
                    operation["operationId"] = f"{name}_{operation_id}"
                operation_ids.add(operation.get("operationId"))
                _declare_gateway_responses(operation)
            paths[path] = item
        for tag in used_tags:
            if tag not in known_tags:
                tags.append({"name": tag})
                known_tags.add(tag)
        description = (spec.get("info") or {}).get("description")
        groups.append({"name": f"{name} service", "tags": used_tags, "description": description})

    _titles_follow_names(components.get("schemas", {}))
    for path, item in paths.items():
        if path.startswith("/v1/"):
            for operation in item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    _declare_rate_limit(operation)
    _declare_etags(paths)
    _add_security(merged)
    gateway_tags = sorted(
        {
            tag
            for item in gateway.get("paths", {}).values()
            for op in item.values()
            for tag in op.get("tags", [])
        }
    )
    merged["tags"] = tags
    merged["x-tagGroups"] = [{"name": "gateway", "tags": gateway_tags}, *groups]
    missing = sorted(name for name, spec in services.items() if spec is None)
    if missing:
        merged.setdefault("info", {})["x-missing-services"] = missing
        merged["info"]["description"] = (
            merged["info"].get("description", "")
            + "\n\n**Incomplete:** these services did not answer, so their routes are missing: "
            + ", ".join(missing)
            + "."
        )
    return merged


def _titles_follow_names(schemas: JsonObject) -> None:
    """Give each titled schema its component's name as title (in place). A renamed schema
    keeps its service's title otherwise (`QualityFramework` titled "Framework", as is
    `RecognitionFramework`), and generators that name models by title merge the two."""
    for name, schema in schemas.items():
        if isinstance(schema, dict) and "title" in schema:
            schema["title"] = name


def _add_security(document: JsonObject) -> None:
    """Describe how to authenticate, and let Swagger UI fetch a token with client credentials."""
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes[BEARER_SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from `POST /v1/auth/token`.",
    }
    schemes[OAUTH2_SCHEME] = {
        "type": "oauth2",
        "description": "OAuth2 client credentials: the client id and secret an administrator "
        "created with `edunode clients create`.",
        "flows": {
            "clientCredentials": {
                "tokenUrl": "/v1/auth/token",
                "scopes": {scope.value: text for scope, text in _SCOPE_DESCRIPTIONS.items()},
            }
        },
    }
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            security = operation.get("security")
            if not security:
                continue
            for requirement in list(security):
                if BEARER_SCHEME in requirement and {OAUTH2_SCHEME: []} not in security:
                    security.append({OAUTH2_SCHEME: requirement[BEARER_SCHEME]})


class OpenApiAggregator:
    """Fetches the services' documents (retrying until each has answered once), keeps the
    merged document for `ttl` seconds, and refreshes sooner while a service is missing."""

    MISSING_TTL = 1.0
    FETCH_TIMEOUT = 2.0

    def __init__(
        self,
        upstreams: list[Upstream],
        own_document: Callable[[], JsonObject],
        *,
        ttl: float,
    ) -> None:
        self.upstreams = upstreams
        self.own_document = own_document
        self.ttl = ttl
        self._specs: dict[str, JsonObject] = {}
        self._merged: JsonObject | None = None
        self._refreshed_at = -math.inf
        self._lock = asyncio.Lock()

    @property
    def complete(self) -> bool:
        return len(self._specs) == len(self.upstreams)

    @property
    def missing(self) -> list[str]:
        """The services whose routes the merged document does not hold yet."""
        return [upstream.name for upstream in self.upstreams if upstream.name not in self._specs]

    async def ensure_complete(self, client: UpstreamClient) -> None:
        """Fetch now what is still missing (not waiting for the warm-up's backoff); raise
        naming the services whose documents are still missing. `/readyz` checks this, so that
        a node never says ready while its merged document lacks a service's routes."""
        if self.complete:
            return
        async with self._lock:
            if not self.complete:
                await self.refresh(client)
        if not self.complete:
            raise RuntimeError("no OpenAPI document yet from " + ", ".join(self.missing))

    def cached(self) -> JsonObject:
        """The last merged document (the gateway's own routes only, before the first fetch)."""
        if self._merged is None:
            self._merged = self._merge()
        return self._merged

    async def document(self, client: UpstreamClient) -> JsonObject:
        """The merged document, refreshed first if it is older than its time to live."""
        if self._stale():
            async with self._lock:
                if self._stale():
                    await self.refresh(client)
        return self.cached()

    def _stale(self) -> bool:
        ttl = self.ttl if self.complete else min(self.ttl, self.MISSING_TTL)
        return time.monotonic() - self._refreshed_at >= ttl

    async def refresh(self, client: UpstreamClient) -> None:
        """Fetch every service's document; one that does not answer keeps its last one."""
        results = await asyncio.gather(
            *(self._fetch(client, upstream) for upstream in self.upstreams)
        )
        for upstream, spec in zip(self.upstreams, results, strict=True):
            if spec is not None:
                self._specs[upstream.name] = spec
        self._merged = self._merge()
        self._refreshed_at = time.monotonic()

    async def warm_up(self, client: UpstreamClient) -> None:
        """Fetch at start, retrying with backoff until every service has answered once."""
        delay = 0.2
        while True:
            async with self._lock:
                await self.refresh(client)
            if self.complete:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _fetch(self, client: UpstreamClient, upstream: Upstream) -> JsonObject | None:
        url = f"{upstream.base_url}/openapi.json"
        try:
            status, body = await client.get(url, timeout=self.FETCH_TIMEOUT)
            if status != 200:
                raise UpstreamError(f"{url} answered {status}")
            document: JsonObject = orjson.loads(body)
            return document
        except (UpstreamError, TimeoutError, orjson.JSONDecodeError) as error:
            log.info("openapi_fetch_failed", service=upstream.name, error=repr(error))
            return None

    def _merge(self) -> JsonObject:
        return merge_openapi(
            self.own_document(),
            {upstream.name: self._specs.get(upstream.name) for upstream in self.upstreams},
            {upstream.name: upstream.segments for upstream in self.upstreams},
        )
