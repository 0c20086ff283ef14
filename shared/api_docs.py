"""The interactive API documentation every app serves: `/docs` (Swagger UI) and `/redoc`
(ReDoc), with their scripts, styles and icon served by the app itself from `docs_assets/`
(vendored from the npm packages named in its README, with their licences). A node without
internet access shows the same pages as one with it, and the pages' Content-Security-Policy
allows nothing from elsewhere (`shared.web.DOCS_CSP`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

from shared.errors import NotFound

DOCS_PAGES = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
ASSETS_PREFIX = "/docs/assets/"
ASSETS_DIR = Path(__file__).parent / "docs_assets"
# What the pages load, and as what: the browser refuses a script or a stylesheet of another
# type (every answer carries `X-Content-Type-Options: nosniff`).
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# The assets change only with an upgrade of edunode; a day's caching spares a reload the
# 3 MB, and the ETag makes the next day's check cheap.
ASSETS_CACHE_CONTROL = "public, max-age=86400"
# No online validator badge: it would ask a public server to fetch the document.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def is_docs_path(path: str) -> bool:
    """A docs page or one of its assets (never rate limited; the pages get `DOCS_CSP`)."""
    return path in DOCS_PAGES or path.startswith(ASSETS_PREFIX)


def serve_api_docs(app: FastAPI) -> None:
    """Serve `/docs`, `/docs/oauth2-redirect`, `/redoc` and their assets for `app`, whose
    FastAPI defaults (which load the pages' code from a CDN) must be off
    (`docs_url=None, redoc_url=None`)."""

    def prefix(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = prefix(request)
        return get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PREFIX}swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PREFIX}swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PREFIX}favicon.png",
            oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={**(app.swagger_ui_parameters or {}), **SWAGGER_UI_PARAMETERS},
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = prefix(request)
        return get_redoc_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_PREFIX}redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PREFIX}favicon.png",
            with_google_fonts=False,
        )

    @app.get(ASSETS_PREFIX + "{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        media_type = ASSET_TYPES.get(name)
        if media_type is None:
            raise NotFound(f"no docs asset named {name!r}")
        return FileResponse(
            ASSETS_DIR / name,
            media_type=media_type,
            headers={"Cache-Control": ASSETS_CACHE_CONTROL},
        )
