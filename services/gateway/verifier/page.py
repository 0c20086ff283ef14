"""The verifier page (`/verify`): a plain HTML page of the node's gateway where anyone — an
admissions office, an employer, the graduate — pastes a credential (or opens the link its QR
code carries) and reads the node's verification report, in words.

Server-rendered, no script at all, nothing loaded from elsewhere: a form posting to itself and a
stylesheet of this origin (its Content-Security-Policy says exactly that). The report is the
credentials service's `POST /v1/credentials/verify`, asked through the gateway's own pooled
client; every value shown — the credential's own fields included — is HTML-escaped."""

from __future__ import annotations

import asyncio
import html
import urllib.parse
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.gateway.runtime import GatewayRuntime
from services.gateway.upstream_client import UpstreamError

PAGE = "/verify"
STYLESHEET = "/verify/style.css"
# The page's own policy: its stylesheet and its form, nothing else; never framed. The front
# door's security headers give it to the page and its stylesheet (`PAGE_POLICIES`) in place
# of the JSON one, which forbids both.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
# A credential is at most 64 KiB (the credentials service refuses more): with the form's
# encoding and field name, a little more.
MAX_FORM_BYTES = 70 * 1024
VERIFY_PATH = b"/v1/credentials/verify"
PAGE_POLICIES = {PAGE: PAGE_CSP, STYLESHEET: PAGE_CSP}

router = APIRouter(include_in_schema=False)

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem;
  color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.5rem; }
textarea { width: 100%; min-height: 9rem; font-family: monospace; font-size: .85rem; }
button { margin-top: .5rem; padding: .4rem 1.2rem; font-size: 1rem; }
.verdict { padding: .8rem 1rem; border-radius: .3rem; font-size: 1.15rem; font-weight: 600; }
.valid { background: #e3f4e1; border: 1px solid #3c8a35; }
.invalid { background: #fbe4e2; border: 1px solid #b3261e; }
.error { background: #fff4d6; border: 1px solid #a06b00; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid #ddd; }
td.ok { color: #2d6a27; } td.failed { color: #b3261e; } td.not_checked { color: #666; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
footer { margin-top: 2rem; font-size: .85rem; color: #555; }
"""

_OUTCOME = {"ok": "passed", "failed": "FAILED", "not_checked": "not checked"}


def _e(value: object) -> str:
    """Any value as HTML text (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def credential_of(text: str) -> str:
    """The credential in what was pasted: the token itself, or a link carrying it (a QR
    code's `…/verify?credential=<vc+jwt>`)."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        query = urllib.parse.urlsplit(text).query
        found = urllib.parse.parse_qs(query).get("credential")
        if found:
            return found[0].strip()
    return text


def _layout(node: str, body: str, credential: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Verify a credential — edunode {_e(node)}</title>"
        f'<link rel="stylesheet" href="{STYLESHEET}"></head><body>'
        f"<h1>Verify a credential</h1>"
        f"<p>Paste a diploma or other credential issued on the edunode federation (the "
        f"<code>vc+jwt</code> text, or the link its QR code holds). Node <b>{_e(node)}</b> "
        f"checks it against the federation's trust list, the issuers' status lists and the "
        f"directory it holds: the issuing node need not be reachable.</p>"
        f'<form method="post" action="{PAGE}">'
        '<label for="credential">Credential</label>'
        f'<textarea id="credential" name="credential" required>{_e(credential)}</textarea>'
        '<br><button type="submit">Verify</button></form>'
        f"{body}"
        "<footer>Nothing you paste is kept: it is checked and the report shown.</footer>"
        "</body></html>"
    )


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _facts(credential: dict[str, Any]) -> str:
    subject = _object(credential.get("credentialSubject"))
    claim = _object(subject.get("hasClaim"))
    body = _object(claim.get("awardedBy"))
    titles = claim.get("title")
    title = ", ".join(str(v) for v in titles.values()) if isinstance(titles, dict) else None
    name = " ".join(
        str(subject[k]) for k in ("givenName", "familyName") if isinstance(subject.get(k), str)
    )
    rows = [
        ("Holder", name or None),
        ("Born", subject.get("birthDate")),
        ("Qualification", title or credential.get("name")),
        ("Awarded", claim.get("awardedOnDate")),
        ("Institution", body.get("legalName")),
        ("Country", body.get("country")),
        ("Issued", credential.get("validFrom")),
    ]
    shown = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows if v)
    return f"<h2>What it says</h2><dl>{shown}</dl>" if shown else ""


def render_report(report: dict[str, Any]) -> str:
    """The report in HTML: the verdict, every check, the level and the QA status."""
    valid = report.get("valid") is True
    verdict = (
        '<p class="verdict valid">Valid: every check passed.</p>'
        if valid
        else '<p class="verdict invalid">Not valid: see the failed checks below.</p>'
    )
    checks = "".join(
        f"<tr><td>{_e(check.get('name'))}</td>"
        f'<td class="{_e(check.get("outcome"))}">'
        f"{_e(_OUTCOME.get(str(check.get('outcome')), check.get('outcome')))}</td>"
        f"<td>{_e(check.get('reason'))}</td></tr>"
        for check in report.get("checks", [])
        if isinstance(check, dict)
    )
    parts = [
        verdict,
        f"<h2>Checks</h2><table><thead><tr><th>Check</th><th>Result</th><th>Why</th></tr>"
        f"</thead><tbody>{checks}</tbody></table>",
    ]
    levels = [level for level in report.get("levels") or [] if isinstance(level, dict)]
    if levels:
        rows = "".join(
            f"<tr><td>{_e(level.get('framework'))}</td>"
            f"<td>{_e(level.get('comparable_level') or '—')}"
            f"{' (' + _e(level.get('comparable_level_name')) + ')' if level.get('comparable_level_name') else ''}"  # noqa: E501
            f"</td><td>{_e(level.get('reason'))}</td></tr>"
            for level in levels
        )
        parts.append(
            "<h2>Level here</h2><table><thead><tr><th>Framework</th><th>Comparable level</th>"
            f"<th>How</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    quality = report.get("quality")
    if isinstance(quality, dict):
        parts.append(
            "<h2>Quality assurance at the award date</h2><dl>"
            f"<dt>Award date</dt><dd>{_e(quality.get('award_date') or 'not given')}</dd>"
            f"<dt>At this node</dt><dd>{_e(quality.get('status') or 'not known')}</dd>"
            f"<dt>Issuer's evidence</dt><dd>{_e(quality.get('evidence_status') or 'none')}</dd>"
            f"<dt>Note</dt><dd>{_e(quality.get('reason'))}</dd></dl>"
        )
    credential = report.get("credential")
    if isinstance(credential, dict) and valid:
        parts.append(_facts(credential))
    if report.get("issuer_node"):
        parts.append(f"<p>Issued by node <b>{_e(report['issuer_node'])}</b>.</p>")
    return "".join(parts)


def _error(message: str) -> str:
    return f'<p class="verdict error">{_e(message)}</p>'


async def _verify(runtime: GatewayRuntime, token: str) -> tuple[int, dict[str, Any] | None]:
    """The credentials service's report (status, body), through the gateway's client."""
    upstream = next((u for u in runtime.upstreams if u.name == "credentials"), None)
    if upstream is None:
        return 503, None
    body = orjson.dumps({"credential": token})
    headers = [
        (b"content-type", b"application/json"),
        (b"accept", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    try:
        async with asyncio.timeout(runtime.settings.upstream_timeout_seconds):
            response = await runtime.client.request(
                upstream.origin, "POST", VERIFY_PATH, headers, body
            )
            try:
                data = await response.read()
            finally:
                response.release()
    except (UpstreamError, TimeoutError):
        return 503, None
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return 502, None
    return response.status, parsed if isinstance(parsed, dict) else None


async def _page(request: Request, pasted: str | None) -> HTMLResponse:
    runtime: GatewayRuntime = request.app.state.gateway
    node = runtime.settings.node_id
    if pasted is None or not pasted.strip():
        return HTMLResponse(_layout(node, ""))
    token = credential_of(pasted)
    status, report = await _verify(runtime, token)
    if status == 200 and report is not None:
        return HTMLResponse(_layout(node, render_report(report), token))
    if status == 422:
        detail = (report or {}).get("detail")
        message = "This is not a credential that can be checked" + (
            f": {detail}" if isinstance(detail, str) else "."
        )
        return HTMLResponse(_layout(node, _error(message), token[:2000]), status_code=422)
    return HTMLResponse(
        _layout(node, _error("The node's credentials service is not available; try again.")),
        status_code=503,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def verifier_page(request: Request, credential: str | None = None) -> HTMLResponse:
    """The form; with `?credential=` (a QR code's link), the report at once."""
    return await _page(request, credential)


@router.post(PAGE, response_class=HTMLResponse)
async def verify_pasted(request: Request) -> HTMLResponse:
    """The form posted (`application/x-www-form-urlencoded`, field `credential`)."""
    raw = await request.body()
    runtime: GatewayRuntime = request.app.state.gateway
    if len(raw) > MAX_FORM_BYTES:
        message = "That is far longer than any credential (at most 64 KiB)."
        return HTMLResponse(_layout(runtime.settings.node_id, _error(message)), status_code=413)
    try:
        fields = urllib.parse.parse_qs(raw.decode("utf-8"), max_num_fields=4)
    except (UnicodeDecodeError, ValueError):
        fields = {}
    return await _page(request, (fields.get("credential") or [""])[0])


@router.get(STYLESHEET)
async def stylesheet() -> Response:
    return Response(_CSS, media_type="text/css", headers={"cache-control": "max-age=3600"})
