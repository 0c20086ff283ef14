"""`/console`: the pages. Each route reads its visit (`pages.visit_of`), checks the role the page
is for, calls the services as the user (`api.ServiceCalls`) and renders a template. Forms post
back here with their CSRF token and answer with a redirect (303) or the form again, with the
service's reasons and what was typed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from joserfc.errors import JoseError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from services.gateway.console.api import Answer, ServiceCalls
from services.gateway.console.charts import (
    DecisionCache,
    DecisionCounts,
    LagHistory,
    outcomes_chart,
    processing_chart,
    qa_coverage,
)
from services.gateway.console.i18n import LANGUAGE_COOKIE, LANGUAGES
from services.gateway.console.live import LIVE_SESSIONS, SESSION_COOKIE
from services.gateway.console.memo import Recent
from services.gateway.console.oidc import (
    OIDC_COOKIE,
    OIDC_PATH,
    PENDING_SECONDS,
    OAuthError,
    Provider,
    person_of,
    user_for,
)
from services.gateway.console.pages import (
    CSRF_FIELD,
    MAX_FORM_BYTES,
    PREFIX,
    PageError,
    SignInFirst,
    Visit,
    form_stash,
    safe_next,
    same_origin,
    visit_of,
)
from services.gateway.console.repository import ConsoleRepository
from services.gateway.console.roles import USER_CLIENT_PREFIX, ConsoleRole, principal_of
from services.gateway.console.service import (
    MAX_FAILED_LOGINS,
    AccountLocked,
    LoginRefused,
    authenticate,
    create_user,
    end_session,
    open_session,
    unlock,
    validate_user,
)
from services.gateway.console.stash import KEPT_SECONDS, RESTORE_COOKIE
from services.gateway.federation.router import federation_status, peer_lags
from shared.audit import Actor, act_as
from shared.errors import NotFound

router = APIRouter(prefix=PREFIX, include_in_schema=False)
VisitDep = Annotated[Visit, Depends(visit_of)]

PAGE_SIZE = 20
# The queue: the open cases in the recognition service's deadline order, this many a page.
QUEUE_SHOWN = 50
OFFICERS = (ConsoleRole.RECOGNITION_OFFICER, ConsoleRole.ADMIN)
SUBSTANTIAL_DIFFERENCE_ROWS = 3
QUALITY_IMPORT = "/v1/quality/evaluations:import"
_STATIC = Path(__file__).parent / "static"


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _answered(visit: Visit, answer: Answer) -> Any:
    """The body of a successful answer; an error page for anything else."""
    if answer.ok:
        return answer.body
    if answer.status in (401, 403):
        raise PageError(403, answer.detail)
    raise PageError(answer.status if answer.status in (404, 503, 504) else 502, answer.detail)


# -- signing in and out --------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
async def home(visit: VisitDep) -> Response:
    user = visit.require()
    if ConsoleRole(user.role) is ConsoleRole.RECOGNITION_OFFICER:
        return visit.redirect(f"{PREFIX}/cases")
    return visit.render("home.html")


@router.get("/login", response_class=HTMLResponse)
async def login_page(visit: VisitDep, next: str | None = None) -> Response:
    if visit.user is not None:
        return visit.redirect(safe_next(next))
    return visit.render(
        "login.html", next=safe_next(next), username="", message=None, **_oidc(visit)
    )


@router.post("/login", response_class=HTMLResponse)
async def login(visit: VisitDep) -> Response:
    form = await visit.form()
    username = _text(form, "username")[:64]
    password = form.get("password")
    target = safe_next(_text(form, "next"))
    _ = visit.texts.gettext
    message = None
    async with visit.runtime.database.session() as session:
        repository = ConsoleRepository(session)
        act_as(session, Actor(USER_CLIENT_PREFIX + username.lower(), "console"))
        try:
            user = await authenticate(
                repository, username, password if isinstance(password, str) else ""
            )
        except LoginRefused:
            message, status = _("Wrong username or password."), 401
        except AccountLocked:
            message, status = (
                _(
                    "This account is locked after %(count)s wrong passwords. "
                    "Ask an administrator to unlock it.",
                    count=MAX_FAILED_LOGINS,
                ),
                403,
            )
        else:
            token, _csrf = await open_session(repository, user)
    if message is not None:
        return visit.render(
            "login.html", status, next=target, username=username, message=message, **_oidc(visit)
        )
    visit.set_cookies[SESSION_COOKIE] = token
    return visit.redirect(target)


# -- signing in at the agency's identity provider (OpenID Connect, `oidc.py`) ---------------------


def _provider(visit: Visit) -> Provider:
    settings = visit.runtime.settings
    if settings.console_oidc_issuer is None:
        raise PageError(404, visit.texts.gettext("This node has no other way to sign in."))
    state = visit.request.app.state
    if not hasattr(state, "console_oidc"):
        state.console_oidc = Provider(settings)
    provider: Provider = state.console_oidc
    return provider


@router.get("/login/oidc")
async def login_at_provider(visit: VisitDep, next: str | None = None) -> Response:
    """To the identity provider's sign-in, with a fresh state, nonce and PKCE verifier."""
    provider = _provider(visit)
    request = visit.request
    session: dict[str, Any] = {}
    request.scope["session"] = session
    redirect_uri = visit.runtime.settings.console_oidc_redirect_uri or str(
        request.url.replace(path=f"{OIDC_PATH}/callback", query="")
    )
    try:
        answer: Response = await provider.client.authorize_redirect(request, redirect_uri)
    except (OAuthError, httpx.HTTPError, ValueError, KeyError):
        raise PageError(
            503, visit.texts.gettext("The identity provider cannot be reached; try again later.")
        ) from None
    token = provider.pending.add(session, safe_next(next))
    answer.set_cookie(
        OIDC_COOKIE,
        token,
        max_age=PENDING_SECONDS,
        path=OIDC_PATH,
        secure=request.url.scheme == "https"
        or visit.runtime.settings.hsts_max_age_seconds is not None,
        httponly=True,
        samesite="lax",  # the way back is a navigation from the provider's site
    )
    answer.headers["Cache-Control"] = "no-store"
    return answer


@router.get("/login/oidc/callback", response_class=HTMLResponse)
async def login_at_provider_done(visit: VisitDep) -> Response:
    """Back from the provider: the code exchanged, the ID token checked (Authlib), the person
    mapped to a console user and signed in."""
    provider = _provider(visit)
    request = visit.request
    _ = visit.texts.gettext
    pending = provider.pending.take(request.cookies.get(OIDC_COOKIE, "")[:64])

    def refused(status: int, message: str) -> Response:
        visit.set_cookies[OIDC_COOKIE] = ""
        return visit.render(
            "login.html", status, next=PREFIX, username="", message=message, **_oidc(visit)
        )

    if pending is None:
        return refused(400, _("This sign-in was not started here or took too long. Try again."))
    request.scope["session"] = pending.session
    try:
        token = await provider.client.authorize_access_token(request)
    except (OAuthError, JoseError, httpx.HTTPError, ValueError, KeyError) as error:
        # A refused code, a bad signature, a wrong issuer, audience or nonce, an expired token.
        detail = getattr(error, "description", None) or getattr(error, "error", None) or ""
        return refused(401, _("The identity provider did not sign you in.") + f" {detail}")
    claims = dict(token.get("userinfo") or {})
    try:
        spec = person_of(visit.runtime.settings, provider.issuer, claims)
        async with visit.runtime.database.session() as session:
            act_as(session, Actor(f"oidc:{provider.issuer}"[:80], "console"))
            repository = ConsoleRepository(session)
            user = await user_for(repository, spec, provider.issuer)
            session_token, _csrf = await open_session(repository, user)
    except ValueError as error:
        return refused(403, _("You cannot use this console: %(reason)s.", reason=str(error)))
    visit.set_cookies[SESSION_COOKIE] = session_token
    visit.set_cookies[OIDC_COOKIE] = ""
    return visit.redirect(pending.next_path)


def _oidc(visit: Visit) -> dict[str, Any]:
    """What the login page says of the other way to sign in, if the node has one."""
    settings = visit.runtime.settings
    return {"oidc_label": settings.console_oidc_label if settings.console_oidc_issuer else None}


@router.post("/logout")
async def logout(visit: VisitDep) -> Response:
    await visit.form()
    token = visit.request.cookies.get(SESSION_COOKIE, "")
    if token:
        async with visit.runtime.database.session() as session:
            await end_session(ConsoleRepository(session), token)
        LIVE_SESSIONS.forget(token)
    visit.set_cookies[SESSION_COOKIE] = ""
    return visit.redirect(f"{PREFIX}/login")


@router.get("/language")
async def choose_language(visit: VisitDep, lang: str = "", next: str | None = None) -> Response:
    """Switch the language (a preference cookie only, so a plain link can do it)."""
    if lang in LANGUAGES:
        visit.set_cookies[LANGUAGE_COOKIE] = lang
    return visit.redirect(safe_next(next))


# -- the directory -------------------------------------------------------------------------------


@router.get("/institutions", response_class=HTMLResponse)
async def institutions(
    visit: VisitDep,
    q: str = "",
    country: str = "",
    type: str = "",
    cursor: str = "",
) -> Response:
    visit.require()
    query: dict[str, str | int | bool | None] = {"limit": PAGE_SIZE}
    query |= {"q": q[:200], "country": country[:2], "type": type[:40], "cursor": cursor[:500]}
    answer = await visit.calls().get("/v1/institutions", query)
    problem = None if answer.ok else answer.detail
    page = answer.body if answer.ok else {"items": [], "facets": {}}
    return visit.render(
        "institutions.html",
        400 if answer.status in (400, 422) else 200,
        page=page,
        q=q,
        country=country,
        type=type,
        problem=problem,
    )


@router.get("/institutions/{institution_id}", response_class=HTMLResponse)
async def institution(visit: VisitDep, institution_id: uuid.UUID) -> Response:
    visit.require()
    calls = visit.calls()
    found, programmes, evaluations = await asyncio.gather(
        calls.get(f"/v1/institutions/{institution_id}"),
        calls.get(f"/v1/institutions/{institution_id}/programmes", {"limit": PAGE_SIZE}),
        calls.get(
            "/v1/quality/evaluations", {"institution": str(institution_id), "limit": PAGE_SIZE}
        ),
    )
    record = _answered(visit, found)
    return visit.render(
        "institution.html",
        record=record,
        programmes=programmes.body.get("items", []) if programmes.ok else [],
        timeline=qa_timeline(evaluations.body.get("items", []) if evaluations.ok else []),
    )


TIMELINE_WIDTH = 600


def qa_timeline(evaluations: list[dict[str, Any]]) -> dict[str, Any]:
    """The institution's evaluations oldest first, each with where its validity sits on a
    drawn time axis (x and width out of `TIMELINE_WIDTH`) between the first start and the
    last end."""
    rows = sorted(evaluations, key=lambda e: (e["valid_from"], e["valid_to"]))
    if not rows:
        return {"rows": [], "start": None, "end": None, "width": TIMELINE_WIDTH}
    start = date.fromisoformat(rows[0]["valid_from"])
    end = max(date.fromisoformat(e["valid_to"]) for e in rows)
    span = max((end - start).days, 1)
    placed = []
    for evaluation in rows:
        begins = (date.fromisoformat(evaluation["valid_from"]) - start).days
        ends = (date.fromisoformat(evaluation["valid_to"]) - start).days
        x = TIMELINE_WIDTH * begins // span
        placed.append(evaluation | {"x": x, "w": max(TIMELINE_WIDTH * ends // span - x, 2)})
    return {"rows": placed, "start": start, "end": end, "width": TIMELINE_WIDTH}


@router.get("/institutions/{institution_id}/workspace", response_class=HTMLResponse)
async def institution_workspace(visit: VisitDep, institution_id: uuid.UUID) -> Response:
    """A university's own page: its programmes, for its staff (and the node's admins)."""
    user = visit.require(ConsoleRole.UNIVERSITY, ConsoleRole.ADMIN)
    if ConsoleRole(user.role) is ConsoleRole.UNIVERSITY and user.institution_id != institution_id:
        raise PageError(403, visit.texts.gettext("This page belongs to another institution."))
    calls = visit.calls()
    record = _answered(visit, await calls.get(f"/v1/institutions/{institution_id}"))
    programmes = _answered(
        visit,
        await calls.get(f"/v1/institutions/{institution_id}/programmes", {"limit": PAGE_SIZE}),
    )
    return visit.render("workspace.html", record=record, programmes=programmes.get("items", []))


# -- recognition: the officers' queue and cases ---------------------------------------------------


def _queue_marks(case: dict[str, Any]) -> dict[str, Any]:
    """A row of the queue: its deadline as a date, and the service's own overdue and
    due-within-seven-days flags (the rules the counts use)."""
    deadline = case.get("deadline_on")
    return case | {
        "due": date.fromisoformat(deadline) if deadline else None,
        "is_overdue": bool(case.get("overdue")),
        "due_this_week": bool(case.get("due_within_7_days")),
    }


@router.get("/cases", response_class=HTMLResponse)
async def case_queue(visit: VisitDep, cursor: str = "", start: str = "0") -> Response:
    """The open cases, the nearest deadline first (those without one yet last), `QUEUE_SHOWN`
    a page: one page of the recognition service's `?open=true&sort=deadline`, so the queue has
    every open case however many there are, and its counts (open, overdue, due within seven
    days) over all of them. "Next page" carries the service's cursor and how many cases came
    before (`start`, only for "cases 51 to 100")."""
    visit.require(*OFFICERS)
    calls = visit.calls()
    query: dict[str, str | int | bool | None] = {
        "open": True,
        "sort": "deadline",
        "limit": QUEUE_SHOWN,
        "cursor": cursor[:500],
    }
    listed, counted = await asyncio.gather(
        calls.get("/v1/recognition/cases", query), calls.get("/v1/recognition/cases/counts")
    )
    if cursor and listed.status in (400, 422):
        raise PageError(
            400,
            visit.texts.gettext("This page of the queue is not valid; start from the first page."),
        )
    page = _answered(visit, listed)
    counts = _answered(visit, counted)
    before = int(start) if cursor and start.isdigit() and len(start) < 9 else 0
    cases = [_queue_marks(case) for case in page["items"]]
    return visit.render(
        "cases.html",
        cases=cases,
        counts=counts,
        first=before + 1,
        last=before + len(cases),
        next_cursor=page.get("next_cursor"),
        paged=bool(cursor),
    )


async def _case_page(
    visit: VisitDep,
    case_id: uuid.UUID,
    *,
    status: int = 200,
    problem: str | None = None,
    field_errors: list[dict[str, str]] | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
) -> Response:
    calls = visit.calls()
    path = f"/v1/recognition/cases/{case_id}"
    found, assessment, decision, appeal, options = await asyncio.gather(
        calls.get(path),
        calls.get(f"{path}/assessment"),
        calls.get(f"{path}/decision"),
        calls.get(f"{path}/appeal"),
        _decision_options(visit),
    )
    case = _answered(visit, found)
    return visit.render(
        "case.html",
        status,
        case=case,
        assessment=assessment.body if assessment.ok else None,
        decision=decision.body if decision.ok else None,
        appeal=appeal.body if appeal.ok else None,
        options=options,
        problem=problem,
        field_errors=field_errors or [],
        typed=typed or {},
        notice=notice,
        difference_rows=range(SUBSTANTIAL_DIFFERENCE_ROWS),
    )


async def _decision_options(visit: Visit) -> dict[str, list[str]]:
    """The choices of the decision form, as the recognition service's OpenAPI document states
    them (its enums), so the form offers exactly what the API accepts."""
    runtime = visit.runtime
    schemas = runtime.openapi.cached().get("components", {}).get("schemas", {})
    if "Outcome" not in schemas:  # not fetched yet (the node is starting), or stale
        document = await runtime.openapi.document(runtime.client)
        schemas = document.get("components", {}).get("schemas", {})

    def values(name: str) -> list[str]:
        return [str(v) for v in schemas.get(name, {}).get("enum", [])]

    return {
        "outcome": values("Outcome"),
        "element": values("Element"),
        "legal_basis": values("LegalBasisKind"),
        "status": values("CaseStatus"),
        "appeal_outcome": values("AppealOutcome"),
    }


@router.get("/cases/{case_id}", response_class=HTMLResponse)
async def case_page(visit: VisitDep, case_id: uuid.UUID, done: str = "") -> Response:
    visit.require(*OFFICERS)
    notices = {
        "assessed": visit.texts.gettext("The case was assessed."),
        "decided": visit.texts.gettext("The decision was recorded and published."),
        "moved": visit.texts.gettext("The case's status was changed."),
        "appealed": visit.texts.gettext("The appeal was recorded."),
        "appeal_decided": visit.texts.gettext("The appeal's outcome was recorded."),
    }
    return await _case_page(visit, case_id, notice=notices.get(done))


@router.post("/cases/{case_id}/status", response_class=HTMLResponse)
async def change_status(visit: VisitDep, case_id: uuid.UUID) -> Response:
    visit.require(*OFFICERS)
    form = await visit.form()
    body = {"to": _text(form, "to"), "legal_reason": _text(form, "legal_reason")}
    answer = await visit.calls().post(f"/v1/recognition/cases/{case_id}/status", body)
    return await _after_form(visit, case_id, answer, form, "moved")


@router.post("/cases/{case_id}/assessment", response_class=HTMLResponse)
async def assess(visit: VisitDep, case_id: uuid.UUID) -> Response:
    visit.require(*OFFICERS)
    await visit.form()
    answer = await visit.calls().post(f"/v1/recognition/cases/{case_id}/assessment")
    if answer.ok:
        return visit.redirect(f"{PREFIX}/cases/{case_id}?done=assessed")
    _answered_unless_refused(visit, answer)
    return await _case_page(visit, case_id, status=answer.status, problem=answer.detail)


def _answered_unless_refused(visit: Visit, answer: Answer) -> None:
    """An error page, unless the service refused the input (400, 409, 422): then the caller
    shows the form again with the reasons."""
    if answer.status not in (400, 409, 422):
        _answered(visit, answer)


def decision_body(form: FormData) -> dict[str, Any]:
    """The API's decision from the form's fields, as typed: the service validates it."""
    differences = []
    for row in range(SUBSTANTIAL_DIFFERENCE_ROWS):
        element = _text(form, f"difference_{row}_element")
        description = _text(form, f"difference_{row}_description")
        if element or description:
            differences.append({"element": element, "description": description})
    conditions = [
        {"text": line.strip()} for line in _text(form, "conditions").splitlines() if line.strip()
    ]
    body: dict[str, Any] = {
        "outcome": _text(form, "outcome"),
        "legal_basis": {"kind": _text(form, "legal_basis")},
        "substantial_differences": differences,
        "conditions": conditions,
    }
    if reference := _text(form, "legal_reference"):
        body["legal_basis"]["reference"] = reference
    if justification := _text(form, "justification"):
        body["justification"] = justification
    if level := _text(form, "comparable_level"):
        body["comparable_level"] = level
    return body


@router.post("/cases/{case_id}/decision", response_class=HTMLResponse)
async def decide(visit: VisitDep, case_id: uuid.UUID) -> Response:
    visit.require(*OFFICERS)
    form = await visit.form()
    answer = await visit.calls().post(
        f"/v1/recognition/cases/{case_id}/decision", decision_body(form)
    )
    return await _after_form(visit, case_id, answer, form, "decided")


@router.post("/cases/{case_id}/appeal", response_class=HTMLResponse)
async def lodge_appeal(visit: VisitDep, case_id: uuid.UUID) -> Response:
    visit.require(*OFFICERS)
    form = await visit.form()
    body = {"grounds": _text(form, "grounds") or None}
    answer = await visit.calls().post(f"/v1/recognition/cases/{case_id}/appeal", body)
    return await _after_form(visit, case_id, answer, form, "appealed")


@router.post("/cases/{case_id}/appeal/outcome", response_class=HTMLResponse)
async def decide_appeal(visit: VisitDep, case_id: uuid.UUID) -> Response:
    visit.require(*OFFICERS)
    form = await visit.form()
    body: dict[str, Any] = {
        "outcome": _text(form, "appeal_outcome"),
        "justification": _text(form, "appeal_justification"),
    }
    if new_outcome := _text(form, "new_outcome"):
        body["new_outcome"] = new_outcome
    answer = await visit.calls().post(f"/v1/recognition/cases/{case_id}/appeal/outcome", body)
    return await _after_form(visit, case_id, answer, form, "appeal_decided")


async def _after_form(
    visit: Visit, case_id: uuid.UUID, answer: Answer, form: FormData, done: str
) -> Response:
    """Back to the case saying what was done, or the case page again with the service's
    reasons and what was typed."""
    if answer.ok:
        return visit.redirect(f"{PREFIX}/cases/{case_id}?done={done}")
    _answered_unless_refused(visit, answer)
    return await _case_page(
        visit,
        case_id,
        status=answer.status,
        problem=answer.detail,
        field_errors=answer.field_errors,
        typed=dict(form),
    )


# -- quality: an agency's evaluations ----------------------------------------------------------


@router.get("/evaluations", response_class=HTMLResponse)
async def evaluations(
    visit: VisitDep, agency: uuid.UUID | None = None, cursor: str = ""
) -> Response:
    """An agency's evaluations, newest first: a QA agency's staff see their own agency's (the
    page of another agency is not theirs), the node's admins any agency's."""
    user = visit.require(ConsoleRole.QA_AGENCY, ConsoleRole.ADMIN)
    if ConsoleRole(user.role) is ConsoleRole.QA_AGENCY:
        if agency is not None and agency != user.agency_id:
            raise PageError(403, visit.texts.gettext("This page belongs to another agency."))
        agency = user.agency_id
    query: dict[str, str | int | bool | None] = {
        "limit": PAGE_SIZE,
        "agency": str(agency) if agency else "",
        "cursor": cursor[:500],
    }
    page = _answered(visit, await visit.calls().get("/v1/quality/evaluations", query))
    return visit.render("evaluations.html", page=page, agency=agency)


@router.post("/evaluations/import", response_class=HTMLResponse)
async def import_evaluations(visit: VisitDep) -> Response:
    """A CSV file of evaluations (DEQAR's template), submitted by quality's own
    `evaluations:import` as the agency: every row's result, the rejected ones with their
    reasons, so the file can be fixed and sent again (rows already in are `unchanged`)."""
    user = visit.require(ConsoleRole.QA_AGENCY, ConsoleRole.ADMIN)
    limit = visit.runtime.settings.body_limit_for(QUALITY_IMPORT)
    form = await visit.form(max_bytes=limit)
    upload = form.get("file")
    content = await upload.read(limit + 1) if isinstance(upload, UploadFile) else b""
    if not content.strip():
        raise PageError(400, visit.texts.gettext("Choose a CSV file to send."))
    answer = await visit.calls().post(QUALITY_IMPORT, content, content_type="text/csv")
    if answer.status in (400, 422):
        raise PageError(answer.status, answer.detail)
    report = _answered(visit, answer)
    filename = upload.filename if isinstance(upload, UploadFile) else ""
    agency = user.agency_id if ConsoleRole(user.role) is ConsoleRole.QA_AGENCY else None
    return visit.render("import.html", report=report, filename=filename or "", agency=agency)


# -- the federation ------------------------------------------------------------------------------


@router.get("/federation", response_class=HTMLResponse)
async def federation(visit: VisitDep) -> Response:
    """Each peer (connected, lag, last event, quarantined events) and the checksums per record
    type: what `GET /v1/federation/status` answers, computed by the same code."""
    visit.require()
    try:
        status = await federation_status(visit.runtime)
    except NotFound:
        return visit.render("federation.html", status=None, widest=1)
    _lag_history(visit).record({peer.id: peer.source_lag for peer in status.peers})
    widest = max([peer.source_lag or 0 for peer in status.peers] + [1])
    return visit.render("federation.html", status=status, widest=widest)


# -- charts --------------------------------------------------------------------------------------


def _lag_history(visit: Visit) -> LagHistory:
    state = visit.request.app.state
    if not hasattr(state, "console_lag_history"):
        state.console_lag_history = LagHistory()
    history: LagHistory = state.console_lag_history
    return history


# QA coverage changes with evaluations (a few a day); two frameworks' correspondences with the
# catalogue's reference data: both are gathered again after this long, not at every view.
COVERAGE_FRESH_SECONDS = 60.0
FRAMEWORKS_FRESH_SECONDS = 300.0


def _remembered(visit: Visit, name: str, seconds: float) -> Recent:
    state = visit.request.app.state
    attribute = f"console_recent_{name}"
    if not hasattr(state, attribute):
        setattr(state, attribute, Recent(seconds))
    recent: Recent = getattr(state, attribute)
    return recent


def _decision_cache(visit: Visit) -> DecisionCache:
    state = visit.request.app.state
    if not hasattr(state, "console_decision_counts"):
        state.console_decision_counts = DecisionCache()
    cache: DecisionCache = state.console_decision_counts
    return cache


@router.get("/charts", response_class=HTMLResponse)
async def charts(visit: VisitDep, side: str = "host", country: str = "") -> Response:
    """Recognition outcomes and processing time per country and month (every node's published
    decisions), QA coverage per country, and each peer's lag over time: SVG drawn here, each
    chart with its figures as a table (`charts.py` says where each figure comes from)."""
    visit.require()
    side = side if side in ("host", "origin") else "host"
    country = country[:2].upper()
    if country and not country.isalpha():
        country = ""
    runtime = visit.runtime
    counted, coverage, options, _sampled = await asyncio.gather(
        _decision_cache(visit).get(lambda: ServiceCalls(runtime, None, "console-charts")),
        _remembered(visit, "coverage", COVERAGE_FRESH_SECONDS).get(
            "coverage", lambda: qa_coverage(visit.calls()), lambda rows: isinstance(rows, list)
        ),
        _decision_options(visit),
        _lag_history(visit).sample(lambda: peer_lags(runtime)),
    )
    outcomes = processing = None
    problems = []
    if isinstance(counted, DecisionCounts):
        outcomes = outcomes_chart(counted, side, country, options["outcome"], date.today())
        processing = processing_chart(counted, side, country, date.today())
    else:
        problems.append(counted.detail)
    if not isinstance(coverage, list):
        problems.append(coverage.detail)
        coverage = None
    return visit.render(
        "charts.html",
        counted=counted if isinstance(counted, DecisionCounts) else None,
        outcomes=outcomes,
        processing=processing,
        coverage=coverage,
        lag=_lag_history(visit).chart(),
        federated=runtime.trust is not None,
        side=side,
        country=country,
        problems=problems,
    )


# -- the published decisions of every node -------------------------------------------------------


@router.get("/decisions", response_class=HTMLResponse)
async def published_decisions(
    visit: VisitDep,
    origin_country: str = "",
    host_country: str = "",
    level: str = "",
    outcome: str = "",
    cursor: str = "",
) -> Response:
    """The anonymised decisions of this node and of the federation's others, newest first,
    searchable by country pair, level and outcome (the precedents an officer weighs)."""
    visit.require()
    filters = {
        "origin_country": origin_country[:2].upper(),
        "host_country": host_country[:2].upper(),
        "level": level[:40],
        "outcome": outcome[:40],
    }
    query: dict[str, str | int | bool | None] = {"limit": PAGE_SIZE, "cursor": cursor[:500]}
    query.update(filters)
    answer = await visit.calls().get("/v1/recognition/decisions", query)
    if not answer.ok and answer.status not in (400, 422):
        _answered(visit, answer)
    options = await _decision_options(visit)
    return visit.render(
        "decisions.html",
        200 if answer.ok else 400,
        page=answer.body if answer.ok else {"items": []},
        problem=None if answer.ok else answer.detail,
        filters=filters,
        outcomes=options["outcome"],
    )


# -- the frameworks, side by side -----------------------------------------------------------------


@router.get("/frameworks", response_class=HTMLResponse)
async def frameworks(visit: VisitDep, left: str = "", right: str = "") -> Response:
    """Two frameworks' levels side by side, each level of the left one with the levels of the
    right one it corresponds to through the reference frameworks (the service's own
    comparison, with every step's basis)."""
    visit.require()
    calls = visit.calls()
    listed = _answered(visit, await calls.get("/v1/frameworks"))
    codes = {framework["code"] for framework in listed}
    left, right = left[:40], right[:40]
    chosen = [code for code in (left, right) if code in codes]
    if len(chosen) < 2:
        return visit.render("frameworks.html", frameworks=listed, left=left, right=right, rows=None)
    left_framework, right_framework = (
        _answered(visit, answer)
        for answer in await asyncio.gather(
            calls.get(f"/v1/frameworks/{left}"), calls.get(f"/v1/frameworks/{right}")
        )
    )
    levels = sorted(left_framework["levels"], key=lambda level: level["rank"])

    async def compared() -> list[Answer]:
        return list(
            await asyncio.gather(
                *(
                    calls.get("/v1/frameworks/compare", {"from": lv["code"], "to": right})
                    for lv in levels
                )
            )
        )

    comparisons = await _remembered(visit, "frameworks", FRAMEWORKS_FRESH_SECONDS).get(
        (left, right, *(level["code"] for level in levels)),
        compared,
        lambda answers: all(a.ok or a.status == 404 for a in answers),
    )
    rows = [
        {"level": level, "comparison": answer.body if answer.ok else None}
        for level, answer in zip(levels, comparisons, strict=True)
    ]
    return visit.render(
        "frameworks.html",
        frameworks=listed,
        left=left,
        right=right,
        rows=rows,
        left_framework=left_framework,
        right_framework=right_framework,
        right_levels=sorted(right_framework["levels"], key=lambda level: level["rank"]),
    )


@router.get("/agreements", response_class=HTMLResponse)
async def agreements(visit: VisitDep, country: str = "") -> Response:
    """The recognition agreements this node knows, filtered by a party: parties, dates, the
    levels covered, conditions and source."""
    visit.require()
    answer = await visit.calls().get("/v1/recognition/agreements", {"country": country[:2]})
    if not answer.ok and answer.status not in (400, 422):
        _answered(visit, answer)
    return visit.render(
        "agreements.html",
        200 if answer.ok else 400,
        agreements=answer.body if answer.ok else [],
        problem=None if answer.ok else answer.detail,
        country=country[:2],
    )


# -- the node's users (admins) -------------------------------------------------------------------


async def _users_page(
    visit: Visit,
    *,
    status: int = 200,
    problem: str | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
    after: str | None = None,
) -> Response:
    async with visit.runtime.database.session() as session:
        repository = ConsoleRepository(session)
        users = await repository.users_page(after, PAGE_SIZE + 1)
    more = len(users) > PAGE_SIZE
    users = users[:PAGE_SIZE]
    return visit.render(
        "users.html",
        status,
        users=users,
        next_after=users[-1].username if more else None,
        problem=problem,
        typed=typed or {},
        notice=notice,
    )


@router.get("/users", response_class=HTMLResponse)
async def users_page(visit: VisitDep, after: str = "", done: str = "") -> Response:
    visit.require(ConsoleRole.ADMIN)
    notice = None
    if done:
        notice = visit.texts.gettext("Saved: %(username)s.", username=done[:64])
    return await _users_page(visit, after=after[:64] or None, notice=notice)


def _admin_actor(visit: Visit) -> Actor:
    user = visit.require(ConsoleRole.ADMIN)
    principal = principal_of(
        user.username,
        ConsoleRole.ADMIN,
        visit.runtime.settings.node_id,
        institution_id=None,
        agency_id=None,
    )
    assert principal is not None
    return Actor.of(principal)


@router.post("/users", response_class=HTMLResponse)
async def add_user(visit: VisitDep) -> Response:
    actor = _admin_actor(visit)
    form = await visit.form()
    password = form.get("password")
    typed = {k: v for k, v in form.items() if k not in ("password", "csrf_token")}
    try:
        spec = validate_user(
            _text(form, "username"),
            _text(form, "display_name"),
            _text(form, "role"),
            password if isinstance(password, str) else "",
            _text(form, "institution_id") or None,
            _text(form, "agency_id") or None,
        )
        async with visit.runtime.database.session() as session:
            act_as(session, actor)
            await create_user(ConsoleRepository(session), spec, str(password), actor.client_id)
    except ValueError as error:
        return await _users_page(visit, status=422, problem=str(error), typed=typed)
    return visit.redirect(f"{PREFIX}/users?done={spec.username}")


@router.post("/users/{username}/unlock", response_class=HTMLResponse)
async def unlock_user(visit: VisitDep, username: str) -> Response:
    actor = _admin_actor(visit)
    await visit.form()
    async with visit.runtime.database.session() as session:
        act_as(session, actor)
        user = await ConsoleRepository(session).user(username[:64])
        if user is None:
            raise PageError(404, visit.texts.gettext("No such user."))
        unlock(user)
    return visit.redirect(f"{PREFIX}/users?done={username}")


def page_of_form(action: str) -> str | None:
    """The page a console form is on, from the path it posts to: the users page's forms, and
    a case page's (status, assessment, decision, appeal and its outcome)."""
    parts = action.removeprefix(f"{PREFIX}/").split("/")
    if parts[0] == "users":
        return f"{PREFIX}/users"
    if parts[0] == "cases" and len(parts) >= 3:
        return f"{PREFIX}/cases/{parts[1]}"
    return None


# -- mounting ------------------------------------------------------------------------------------


def mount_console(app: FastAPI) -> None:
    """Serve the console on `app` (the gateway): its pages, its stylesheet, its error pages."""
    app.include_router(router)
    static = StaticFiles(directory=str(_STATIC))
    app.mount(f"{PREFIX}/static", static, name="console-static")

    async def page_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, PageError)
        visit = await visit_of(request)
        return visit.render(
            "error.html", error.status, message=error.message, error_status=error.status
        )

    async def sign_in_first(request: Request, error: Exception) -> Response:
        """To the login page, then back. A form sent after its session ended is kept (its
        text, no password) and shown filled in on its page after signing in."""
        assert isinstance(error, SignInFirst)
        next_path, kept = error.next_path, None
        page = page_of_form(request.url.path)
        kind = request.headers.get("content-type", "")
        if request.method == "POST" and page is not None and same_origin(request):
            next_path = page
            length = request.headers.get("content-length") or ""
            if (
                kind.startswith("application/x-www-form-urlencoded")
                and length.isdigit()
                and int(length) <= MAX_FORM_BYTES
            ):
                try:
                    form = await request.form(max_files=0, max_fields=200)
                except HTTPException:  # more fields than a console form has: not kept
                    form = None
                if form is not None:
                    leave_out = frozenset({CSRF_FIELD, "next"})
                    kept = form_stash(request).keep(page, form, leave_out)
        target = f"{PREFIX}/login?" + urlencode({"next": next_path})
        response = RedirectResponse(target, status_code=303)
        if kept is not None:
            response.set_cookie(
                RESTORE_COOKIE,
                kept,
                max_age=KEPT_SECONDS,
                path=PREFIX,
                secure=request.url.scheme == "https"
                or request.app.state.gateway.settings.hsts_max_age_seconds is not None,
                httponly=True,
                samesite="strict",
            )
        return response

    app.add_exception_handler(PageError, page_error)
    app.add_exception_handler(SignInFirst, sign_in_first)
