"""What the token endpoint reads and answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from shared.errors import Problem


class TokenResponse(BaseModel):
    """An access token (RFC 6749 §5.1)."""

    access_token: str = Field(description="A JWT signed by this node (Ed25519).")
    token_type: str = Field(default="Bearer", examples=["Bearer"])
    expires_in: int = Field(description="Seconds until the token expires.", examples=[900])
    scope: str = Field(
        description="The granted scopes, space-separated.",
        examples=["institutions:write programmes:write"],
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "access_token": "eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiY246dG9rZW46MSJ9.eyJ…",
                    "token_type": "Bearer",
                    "expires_in": 900,
                    "scope": "institutions:write programmes:write",
                }
            ]
        }
    }


class TokenProblem(Problem):
    """A problem+json error of the token endpoint, carrying the RFC 6749 §5.2 error code."""

    error: str = Field(
        description="The OAuth2 error code.",
        examples=["invalid_client", "invalid_request", "invalid_scope", "unsupported_grant_type"],
    )


class Jwk(BaseModel):
    """A public key (RFC 8037 OKP key for Ed25519)."""

    kty: str = Field(examples=["OKP"])
    crv: str = Field(examples=["Ed25519"])
    x: str
    kid: str = Field(examples=["cn:token:1"])
    alg: str = Field(default="Ed25519")
    use: str = Field(default="sig")


class JwkSet(BaseModel):
    """The keys that verify this node's access tokens (RFC 7517)."""

    keys: list[Jwk]


# Documented shape of the form the token endpoint reads (it is parsed by hand: the OAuth2 form
# is four flat fields and needs no multipart parser).
TOKEN_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["grant_type"],
                "properties": {
                    "grant_type": {"type": "string", "enum": ["client_credentials"]},
                    "client_id": {
                        "type": "string",
                        "description": "Unless sent with HTTP Basic authentication.",
                    },
                    "client_secret": {
                        "type": "string",
                        "description": "Unless sent with HTTP Basic authentication.",
                    },
                    "scope": {
                        "type": "string",
                        "description": "Space-separated scopes to narrow the token to; "
                        "defaults to every scope the client holds.",
                    },
                },
            },
            "examples": {
                "client_credentials": {
                    "summary": "Credentials in the form",
                    "value": {
                        "grant_type": "client_credentials",
                        "client_id": "cli_3q2-…",
                        "client_secret": "…",
                        "scope": "institutions:write",
                    },
                }
            },
        }
    },
}
