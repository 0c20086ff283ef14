"""The console's cookies: HttpOnly and SameSite=Strict always, Secure over HTTPS — the request's
own, or behind a TLS-terminating proxy of a node that sends HSTS."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.requests import Request

from services.gateway.console.i18n import Texts
from services.gateway.console.live import SESSION_COOKIE
from services.gateway.console.pages import Visit
from services.gateway.runtime import GatewayRuntime
from services.gateway.settings import GatewaySettings


def _visit(tmp_path: Path, scheme: str, **settings: object) -> Visit:
    values: dict[str, object] = {
        "node_id": "cn",
        "environment": "test",
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'gw.db'}",
    }
    runtime = GatewayRuntime(GatewaySettings(**(values | settings)), lambda: {})  # type: ignore[arg-type]
    scope = {
        "type": "http",
        "scheme": scheme,
        "server": ("node.example", 443 if scheme == "https" else 80),
        "method": "GET",
        "path": "/console",
        "headers": [],
    }
    return Visit(Request(scope), runtime, Texts("en"), None, "csrf", {SESSION_COOKIE: "t" * 43})


@pytest.mark.parametrize(
    ("scheme", "settings", "secure"),
    [
        ("http", {}, False),
        ("https", {}, True),
        ("http", {"hsts_max_age_seconds": 31_536_000}, True),
    ],
)
def test_the_session_cookie_is_http_only_strict_and_secure_over_https(
    tmp_path: Path, scheme: str, settings: dict[str, object], secure: bool
) -> None:
    response = _visit(tmp_path, scheme, **settings).redirect("/console")
    (cookie,) = response.headers.getlist("set-cookie")
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert "path=/console" in attributes
    assert ("secure" in attributes) is secure
    assert response.headers["cache-control"] == "no-store"
