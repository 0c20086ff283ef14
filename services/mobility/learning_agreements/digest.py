"""What the three parties of a learning agreement sign: SHA-256 over the canonical JSON of the
learning agreement's id, its nomination, the version's revision, both institutions and the
components (the same form as an agreement's digest, `agreements/approvals.py`). The student
is not in it: their personal data can be erased while every approval still verifies."""

from __future__ import annotations

import hashlib
import uuid

from contracts.mobility import IiaPartner, LaComponents
from services.mobility.agreements.approvals import DIGEST_PREFIX, canonical_json


def components_digest(
    learning_agreement_id: uuid.UUID,
    nomination_id: uuid.UUID,
    revision: int,
    sending: IiaPartner,
    receiving: IiaPartner,
    components: LaComponents,
) -> str:
    signed = {
        "learning_agreement_id": str(learning_agreement_id),
        "nomination_id": str(nomination_id),
        "revision": revision,
        "sending": sending.model_dump(mode="json"),
        "receiving": receiving.model_dump(mode="json"),
        "components": components.model_dump(mode="json"),
    }
    return DIGEST_PREFIX + hashlib.sha256(canonical_json(signed)).hexdigest()
