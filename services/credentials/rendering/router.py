"""HTTP for a credential's printable document: `GET /v1/credentials/{id}/document`, as HTML
(the default) or PDF, for whoever may manage the credential (the holder's data stays on the
issuing node)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import jinja2
from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from services.credentials.dependencies import RuntimeDep, SettingsDep
from services.credentials.documents import public_base_url
from services.credentials.issuance.router import ServiceDep
from services.credentials.rendering.document import (
    CredentialDocument,
    TooLargeForQr,
    document_of,
    pdf_bytes,
    qr_svg,
)
from shared.auth import CurrentPrincipal
from shared.errors import Unprocessable, problem_responses

router = APIRouter(prefix="/v1/credentials", tags=["credentials"])

_PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ d.title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;
padding:.3rem .5rem;border-bottom:1px solid #ccc}th{width:38%;font-weight:600}
.standing{font-weight:600}.qr{margin-top:1.5rem}
@media print{a{color:#000;text-decoration:none}}
</style></head>
<body>
<main>
<h1>{{ d.title }}</h1>
<p>Issued by {{ d.issuer }}, valid from {{ d.valid_from }}{% if d.valid_until %} until
{{ d.valid_until }}{% endif %}.</p>
<p class="standing">Standing when printed: {{ d.standing }}</p>
<table><caption class="visually-hidden">What the credential says</caption>
{% for fact in d.facts %}<tr><th scope="row">{{ fact.label }}</th><td>{{ fact.value }}</td></tr>
{% endfor %}</table>
<section class="qr" aria-labelledby="verify">
<h2 id="verify">Verify it</h2>
<p>Scan the code, or open <a href="{{ d.verify_url }}">the verifying link</a>: any edunode node
checks it, even with the issuer offline.</p>
{{ qr }}
</section>
</main>
</body></html>
"""
)


def html(document: CredentialDocument) -> str:
    return _PAGE.render(d=document, qr=Markup(qr_svg(document)))


@router.get(
    "/{credential_id}/document",
    summary="A credential's printable document, with its QR code",
    response_class=Response,
    responses={
        200: {
            "description": "The document: HTML, or PDF with `format=pdf`.",
            "content": {"text/html": {}, "application/pdf": {}},
        },
        **problem_responses(401, 404, 422),
    },
)
async def credential_document(
    credential_id: uuid.UUID,
    principal: CurrentPrincipal,
    service: ServiceDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
    format: Annotated[Literal["html", "pdf"], Query(description="html or pdf")] = "html",
) -> Response:
    """The credential as a person reads and prints it: its title, issuer, standing and every
    fact of its subject, with a QR code of the link that verifies it at the issuing node's
    verifier page (`/verify?credential=…`). For the same callers as `GET /{credential_id}`."""
    row = await service.get(principal, credential_id)
    try:
        document = document_of(
            row.document,
            jwt=row.jwt,
            gateway_base_url=public_base_url(settings, runtime.trust),
            revoked=row.revoked_at is not None,
            suspended=row.suspended_at is not None,
        )
    except TooLargeForQr as error:
        raise Unprocessable(str(error)) from error
    if format == "pdf":
        return Response(
            pdf_bytes(document),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="credential-{credential_id}.pdf"'},
        )
    return HTMLResponse(html(document))
