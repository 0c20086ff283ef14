"""What an approval signs and how it is checked: the digest of the exact conditions, signed by
the approving partner's node with its federation key (a detached JWS, shared/signing.py) and
verified against the trust list, on every node that holds the agreement.

The digest is SHA-256 over the canonical JSON (sorted keys, no whitespace, UTF-8) of the
agreement's id, its revision, both partners and the conditions: any change to one of them is
another digest, so approvals of the previous conditions no longer count."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

from contracts.mobility import IiaApproval, IiaConditions, IiaPartner, LaApproval
from shared.signing import NodeSigner, node_of_key_id, signature_key_id, verify_detached
from shared.trust import TrustList

DIGEST_PREFIX = "sha256:"


def canonical_json(value: object) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8: the same bytes on every node."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def conditions_digest(
    agreement_id: uuid.UUID,
    revision: int,
    proposer: IiaPartner,
    partner: IiaPartner,
    conditions: IiaConditions,
) -> str:
    signed = {
        "agreement_id": str(agreement_id),
        "revision": revision,
        "proposer": proposer.model_dump(mode="json"),
        "partner": partner.model_dump(mode="json"),
        "conditions": conditions.model_dump(mode="json"),
    }
    return DIGEST_PREFIX + hashlib.sha256(canonical_json(signed)).hexdigest()


def sign_approval(
    signer: NodeSigner,
    *,
    node: str,
    institution_id: uuid.UUID,
    digest: str,
    at: datetime,
    approved_by: str,
) -> IiaApproval:
    return IiaApproval(
        institution_id=institution_id,
        node=node,
        digest=digest,
        signature=signer.sign(digest.encode()),
        approved_at=at,
        approved_by=approved_by,
    )


def approval_problem(
    approval: IiaApproval | LaApproval, digest: str, trust: TrustList
) -> str | None:
    """Why `approval` (of an agreement or a learning agreement) does not count for what
    `digest` hashes (None if it does): it must be over that digest, signed by its node with
    a key the trust list names, valid when it was given."""
    if approval.digest != digest:
        return f"the approval of {approval.node!r} is over other conditions"
    kid = signature_key_id(approval.signature)
    if kid is None or node_of_key_id(kid) != approval.node:
        return f"the approval of {approval.node!r} is signed by key {kid!r}, not one of its own"
    entry = trust.node(approval.node)
    key = next((k for k in entry.keys if k.kid == kid), None) if entry is not None else None
    if key is None:
        return f"the trust list names no key {kid!r}"
    if not key.valid_at(approval.approved_at):
        return f"key {kid!r} was not valid at {approval.approved_at.isoformat()}"
    if not verify_detached(approval.signature, digest.encode(), key.public_key.encode()):
        return f"the approval of {approval.node!r} has a bad signature for key {kid!r}"
    return None
