"""RFC 9457 problem details for every failure.

Services raise the typed errors below; `install_problem_handlers` turns them, and every error
FastAPI or Starlette raises itself (unknown route, wrong method, validation), into
`application/problem+json`. A 500 never leaks internals: it carries the request id to quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from shared.openapi_examples import example_of

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = structlog.get_logger("edunode.errors")

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


class FieldError(BaseModel):
    """One reason a payload was refused, pointing at the field."""

    path: str = Field(description="Dotted path of the field, e.g. `body.names.0.lang`.")
    message: str
    type: str = "invalid"


class Problem(BaseModel):
    """RFC 9457 problem details, as every edunode error response carries them."""

    type: str = Field(default="about:blank", examples=["urn:edunode:problem:not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["institution 0190… does not exist"])
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
    owner_node: str | None = Field(
        default=None, description="For a replica: the node that owns it."
    )


class ProblemError(Exception):
    """Base of every error a service raises on purpose."""

    status: int = 400
    slug: str = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers or {}
        self.extra = extra

    def to_problem(self) -> Problem:
        return Problem(
            type=f"urn:edunode:problem:{self.slug}",
            title=_TITLES.get(self.status, "Error"),
            status=self.status,
            detail=self.detail,
            errors=self.errors,
            **self.extra,
        )


class BadRequest(ProblemError):
    status, slug = 400, "bad-request"


class Unauthorized(ProblemError):
    status, slug = 401, "unauthorized"

    def __init__(self, detail: str = "a valid bearer token is required", **extra: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="edunode"'}, **extra)


class Forbidden(ProblemError):
    status, slug = 403, "forbidden"


class NotFound(ProblemError):
    status, slug = 404, "not-found"


class Conflict(ProblemError):
    status, slug = 409, "conflict"


class PreconditionFailed(ProblemError):
    status, slug = 412, "precondition-failed"


class PreconditionRequired(ProblemError):
    status, slug = 428, "precondition-required"


class Unprocessable(ProblemError):
    status, slug = 422, "validation-failed"


class ServiceUnavailable(ProblemError):
    status, slug = 503, "service-unavailable"


def problem_response(
    request: Request | None, problem: Problem, headers: dict[str, str] | None = None
) -> Response:
    """Render a problem, stamping the request id and path so a user can quote them."""
    if request is not None:
        problem.instance = problem.instance or request.url.path
        problem.request_id = getattr(request.state, "request_id", None)
    return Response(
        orjson.dumps(problem.model_dump(mode="json", exclude_none=True)),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return problem_response(request, exc.to_problem(), exc.headers)


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(
            path=_field_path(item.get("loc", ())),
            message=str(item.get("msg", "invalid")),
            type=str(item.get("type", "invalid")),
        )
        for item in exc.errors()
    ]
    problem = Problem(
        type="urn:edunode:problem:validation-failed",
        title=_TITLES[422],
        status=422,
        detail=f"{len(errors)} field(s) failed validation",
        errors=errors,
    )
    return problem_response(request, problem)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    slug = _TITLES.get(exc.status_code, "error").lower().replace(" ", "-")
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no route matches {request.method} {request.url.path}"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        allowed = _allowed_methods(request)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    problem = Problem(
        type=f"urn:edunode:problem:{slug}",
        title=_TITLES.get(exc.status_code, "Error"),
        status=exc.status_code,
        detail=detail,
    )
    return problem_response(request, problem, headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's own `Allow` names only the
    first route whose path matches, and FastAPI makes one route per method (RFC 9110 §15.5.6
    wants them all). Each method is asked of the routes as routing would ask it, so routers
    included into the app are searched too."""
    routes = getattr(request.app, "routes", ())
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


async def _on_integrity(request: Request, exc: Exception) -> Response:
    # A unique or foreign-key constraint refused the change: a conflict with existing data,
    # never a server fault. The constraint's name says which.
    log.info("integrity_conflict", error=str(getattr(exc, "orig", exc)))
    problem = Problem(
        type="urn:edunode:problem:conflict",
        title=_TITLES[409],
        status=409,
        detail="the change conflicts with an existing record",
    )
    return problem_response(request, problem)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    # Starlette calls this handler from its outermost layer, after the request-context
    # middleware has unbound the request id and without its response headers: stamp both here,
    # so the id the user quotes is in the response and on the log line with the traceback.
    request_id: str | None = getattr(request.state, "request_id", None)
    log.exception("unhandled_error", exc_info=exc, request_id=request_id)
    problem = Problem(
        type="urn:edunode:problem:internal",
        title=_TITLES[500],
        status=500,
        detail="an unexpected error occurred; quote the request id when reporting it",
    )
    headers = {"X-Request-ID": request_id} if request_id else None
    return problem_response(request, problem, headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error response of `app` an RFC 9457 problem."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(IntegrityError, _on_integrity)
    app.add_exception_handler(Exception, _on_unexpected)


def problem_responses(
    *statuses: int, examples: dict[int, Any] | None = None
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json errors for a route, plus JSON
    examples of its successful responses (`examples={200: {...}}`)."""
    documented: dict[int | str, dict[str, Any]] = {
        status: {"content": {"application/json": {"example": example}}}
        for status, example in (examples or {}).items()
    }
    return documented | {
        status: {"model": Problem, **problem_response_object(status)} for status in statuses
    }


def problem_response_object(status: int) -> dict[str, Any]:
    """The OpenAPI response object of a problem+json error, for a document that is already
    built (its `components` must hold the kernel's `Problem`, as every service's does)."""
    return {
        "description": _TITLES.get(status, "Error"),
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": PROBLEM_REF},
                "example": problem_example(status),
            }
        },
    }


PROBLEM_REF = "#/components/schemas/Problem"
# Where a handler's `type` is not its title's slug (`_on_validation`, `_on_unexpected`).
_SLUGS = {422: "validation-failed", 500: "internal"}


def problem_example(status: int) -> dict[str, Any]:
    """What a problem answered with `status` looks like, as the handlers above build it."""
    title = _TITLES.get(status, "Error")
    slug = _SLUGS.get(status) or title.lower().replace(" ", "-")
    example: dict[str, Any] = {
        "type": f"urn:edunode:problem:{slug}",
        "title": title,
        "status": status,
        "instance": "/v1/institutions/0193a5f0-7c2a-7d6e-9a0b-3c4d5e6f7a8b",
        "request_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    }
    if status == 422:
        example["detail"] = "1 field(s) failed validation"
        example["errors"] = [
            {"path": "body.country", "message": "Field required", "type": "missing"}
        ]
    return example


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Show, under each error status of `document`, a problem of that status (in place), and
    only as `application/problem+json`, the one media type the handlers answer with (FastAPI
    adds `application/json` for a response's model)."""
    components = document.get("components", {}).get("schemas", {})
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                problem = content.get(PROBLEM_MEDIA_TYPE)
                if problem is None or "schema" not in problem or not str(status).isdigit():
                    continue
                example = problem_example(int(status))
                if problem["schema"] != {"$ref": PROBLEM_REF}:
                    # A problem with members of its own (the token route's OAuth2 `error`).
                    members = example_of(problem["schema"], components)
                    if not isinstance(members, dict) or "status" not in members:
                        continue
                    own = {k: v for k, v in members.items() if k not in Problem.model_fields}
                    example = own | example
                for media_type, other in content.items():
                    if (
                        media_type != PROBLEM_MEDIA_TYPE
                        and other.get("schema") == problem["schema"]
                    ):
                        other["example"] = example  # FastAPI's copy for the response's model
                if content.get("application/json", {}).get("schema") == {"$ref": PROBLEM_REF}:
                    del content["application/json"]
                problem["example"] = example
    return document
