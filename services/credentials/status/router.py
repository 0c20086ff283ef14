"""HTTP for this node's status lists: public, as the W3C Bitstring Status List credential."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from services.credentials import documents, jose
from services.credentials.dependencies import RuntimeDep, SettingsDep
from services.credentials.status.service import StatusListService
from shared.dependencies import SessionDep
from shared.errors import NotFound, ServiceUnavailable, problem_responses
from shared.signing import load_node_signer

router = APIRouter(prefix="/v1/credentials/status", tags=["credentials"])


@router.get(
    "/{list_id}",
    summary="A status list of this node (Bitstring Status List credential)",
    response_class=Response,
    responses={
        200: {
            "content": {jose.MEDIA_TYPE: {"schema": {"type": "string"}}},
            "description": "The `BitstringStatusListCredential` as `vc+jwt`.",
        },
        **problem_responses(404, 503),
    },
)
async def status_list(
    list_id: uuid.UUID, session: SessionDep, settings: SettingsDep, runtime: RuntimeDep
) -> Response:
    """One of this node's revocation lists as a `BitstringStatusListCredential` secured as
    `vc+jwt` with the node's key: the bitstring GZIP-compressed, base64url-encoded with the
    multibase prefix `u`. Public and anonymous: bits only. Peers' lists are replicated to
    every node for verification but served only by their issuer."""
    row = await StatusListService(session).get(list_id)
    if row is None or row.origin_node != settings.node_id:
        raise NotFound(f"no status list {list_id} of this node")
    keys = settings.federation_keys_dir
    signer = load_node_signer(keys, settings.node_id) if keys is not None else None
    if signer is None:
        raise ServiceUnavailable("this node has no federation key to sign its status lists")
    url = documents.status_list_url(documents.public_base_url(settings, runtime.trust), row.id)
    document = documents.status_list_credential(
        url=url,
        node=row.origin_node,
        purpose=row.purpose,
        encoded_list=row.encoded_list,
        valid_from=row.updated_at,
    )
    return Response(
        jose.sign(signer, document),
        media_type=jose.MEDIA_TYPE,
        headers={"Cache-Control": "public, max-age=60"},
    )
