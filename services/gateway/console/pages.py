"""What every console request shares: who is signed in, the language, the CSRF token, and how a
page is rendered (Jinja2, autoescaped: whatever a record holds shows as text)."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from services.gateway.console.api import ServiceCalls
from services.gateway.console.i18n import LANGUAGE_COOKIE, LANGUAGES, Texts, negotiate
from services.gateway.console.live import LIVE_SESSIONS, SESSION_COOKIE
from services.gateway.console.models import ConsoleUser
from services.gateway.console.repository import ConsoleRepository
from services.gateway.console.roles import API_ROLE, ConsoleRole, principal_of
from services.gateway.console.service import SESSION_LONGEST, resume_session
from services.gateway.console.stash import RESTORE_COOKIE, FormStash
from services.gateway.runtime import GatewayRuntime

PREFIX = "/console"
# Before signing in, the login form's CSRF token is the double of this cookie's value.
LOGIN_CSRF_COOKIE = "edunode_console_csrf"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 1024 * 1024

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class PageError(Exception):
    """Answer with an error page (403, 404, 503...) saying `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SignInFirst(Exception):
    """The page needs a signed-in user: back to the login page, then to `next`."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass
class Visit:
    """One request to the console."""

    request: Request
    runtime: GatewayRuntime
    texts: Texts
    user: ConsoleUser | None
    csrf_token: str
    set_cookies: dict[str, str] = field(default_factory=dict)

    @property
    def role(self) -> ConsoleRole | None:
        return ConsoleRole(self.user.role) if self.user is not None else None

    def require(self, *roles: ConsoleRole) -> ConsoleUser:
        """The signed-in user, who must hold one of `roles` (any role when none are named)."""
        if self.user is None:
            if self.request.method != "GET":  # a form sent after the session ended
                raise SignInFirst(PREFIX)
            path = self.request.url.path
            query = self.request.url.query
            raise SignInFirst(path + (f"?{query}" if query else ""))
        if roles and ConsoleRole(self.user.role) not in roles:
            raise PageError(403, self.texts.gettext("Your role cannot open this page."))
        return self.user

    def calls(self) -> ServiceCalls:
        """Calls to the services as this user (anonymous when nobody is signed in)."""
        user = self.user
        principal = (
            principal_of(
                user.username,
                ConsoleRole(user.role),
                self.runtime.settings.node_id,
                institution_id=user.institution_id,
                agency_id=user.agency_id,
            )
            if user is not None
            else None
        )
        request_id = self.request.scope.get("state", {}).get("request_id") or secrets.token_hex(8)
        return ServiceCalls(self.runtime, principal, str(request_id))

    async def form(self, max_bytes: int = MAX_FORM_BYTES) -> FormData:
        """The posted form, once its CSRF token is this session's (403 otherwise)."""
        length = int(self.request.headers.get("content-length") or 0)
        if length > max_bytes:
            raise PageError(413, self.texts.gettext("The form is too large."))
        form = await self.request.form(max_files=1, max_fields=200)
        sent = form.get(CSRF_FIELD)
        if not isinstance(sent, str) or not hmac.compare_digest(sent, self.csrf_token):
            raise PageError(
                403,
                self.texts.gettext(
                    "This form has expired or did not come from this console. "
                    "Reload the page and send it again."
                ),
            )
        return form

    def render(self, template: str, status_code: int = 200, **context: Any) -> Response:
        texts = self.texts
        restored = self._restored_form()
        if restored is not None:
            context["typed"] = context.get("typed") or restored
        page = templates.get_template(template).render(
            _=texts.gettext,
            texts=texts,
            lang=texts.language,
            languages=LANGUAGES,
            user=self.user,
            role=self.role,
            roles=ConsoleRole,
            csrf_field=CSRF_FIELD,
            csrf_token=self.csrf_token,
            node=self.runtime.settings.node_id,
            here=self.request.url.path
            + (f"?{self.request.url.query}" if self.request.url.query else ""),
            urlencode=urlencode,
            restored=restored is not None,
            **context,
        )
        return self.finish(HTMLResponse(page, status_code=status_code))

    def _restored_form(self) -> dict[str, str] | None:
        """The form this browser sent to this page after its session had ended, kept until
        the person signed in again (`stash.py`); once."""
        token = self.request.cookies.get(RESTORE_COOKIE)
        if not token or self.user is None or self.request.method != "GET":
            return None
        self.set_cookies[RESTORE_COOKIE] = ""
        return form_stash(self.request).take(token[:64], self.request.url.path)

    def redirect(self, path: str) -> Response:
        return self.finish(RedirectResponse(path, status_code=303))

    def finish(self, response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Language"] = self.texts.language
        # Secure over HTTPS: the request's own, or a TLS-terminating proxy's in front of a node
        # that says it is served over HTTPS (it sends HSTS).
        settings = self.runtime.settings
        secure = self.request.url.scheme == "https" or settings.hsts_max_age_seconds is not None
        for name, value in self.set_cookies.items():
            if value:
                response.set_cookie(
                    name,
                    value,
                    max_age=int(SESSION_LONGEST.total_seconds()),
                    path=PREFIX,
                    secure=secure,
                    httponly=True,
                    samesite="strict",
                )
            else:
                response.delete_cookie(
                    name, path=PREFIX, secure=secure, httponly=True, samesite="strict"
                )
        return response


async def visit_of(request: Request) -> Visit:
    """Dependency: the visit, with its signed-in user if its session cookie is live."""
    runtime: GatewayRuntime = request.app.state.gateway
    language = negotiate(
        request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE)
    )
    texts = Texts(language)
    token = request.cookies.get(SESSION_COOKIE, "")
    signed_in = None
    if token:
        async with runtime.database.session() as session:
            signed_in = await resume_session(ConsoleRepository(session), token)
    set_cookies: dict[str, str] = {}
    if signed_in is not None:
        user = signed_in.user
        LIVE_SESSIONS.seen(token, user.username, API_ROLE[ConsoleRole(user.role)])
        return Visit(request, runtime, texts, signed_in.user, signed_in.csrf_token)
    if token:
        set_cookies[SESSION_COOKIE] = ""  # ended: forget it
        LIVE_SESSIONS.forget(token)
    login_csrf = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if len(login_csrf) < 32 or len(login_csrf) > 64:
        login_csrf = secrets.token_urlsafe(32)
        set_cookies[LOGIN_CSRF_COOKIE] = login_csrf
    return Visit(request, runtime, texts, None, login_csrf, set_cookies)


def form_stash(request: Request) -> FormStash:
    """This gateway's kept forms."""
    state = request.app.state
    if not hasattr(state, "console_form_stash"):
        state.console_form_stash = FormStash()
    stash: FormStash = state.console_form_stash
    return stash


def same_origin(request: Request) -> bool:
    """Whether the browser says the request comes from this console's own page
    (`Sec-Fetch-Site`, else `Origin`; the console sends no `Referer`)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    return request.headers.get("origin") == f"{request.url.scheme}://{request.url.netloc}"


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a console path only (never another site)."""
    if path and path.startswith(PREFIX) and not path.startswith("//") and "\\" not in path:
        return path
    return PREFIX
