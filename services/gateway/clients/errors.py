"""The token endpoint's errors: problem+json that also carries the RFC 6749 §5.2 `error` code,
so that OAuth2 client libraries understand them too."""

from __future__ import annotations

from typing import Any

from services.gateway.clients.schemas import TokenProblem
from shared.errors import ProblemError


class OAuthError(ProblemError):
    """Base of the token endpoint's errors."""

    error = "invalid_request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail, headers={"Cache-Control": "no-store"}, **extra)

    def to_problem(self) -> TokenProblem:
        base = super().to_problem()
        return TokenProblem(**base.model_dump(), error=self.error)


class InvalidRequest(OAuthError):
    status, slug, error = 400, "invalid-request", "invalid_request"


class UnsupportedGrantType(OAuthError):
    status, slug, error = 400, "unsupported-grant-type", "unsupported_grant_type"


class InvalidScope(OAuthError):
    status, slug, error = 400, "invalid-scope", "invalid_scope"


class InvalidClient(OAuthError):
    status, slug, error = 401, "invalid-client", "invalid_client"

    def __init__(self, detail: str = "unknown client or wrong secret", **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = 'Basic realm="edunode"'
