"""Diplomas by batch: all issued and each verifies, or none (a bad one refuses the batch)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from services.credentials.issuance.models import IssuedCredential
from shared.auth import Role
from tests.conftest import MakeToken, bearer
from tests.credentials.conftest import CredentialsNode, StartNode, university
from tests.credentials.test_diplomas import DIPLOMA, _institution, _verify

BATCH = "/v1/credentials/diplomas/batch"


def _graduate(number: int) -> dict[str, Any]:
    holder = DIPLOMA["holder"] | {
        "family_name": f"Graduate{number}",
        "identifier": {"scheme": "student-id", "value": f"S{number:06d}"},
    }
    return DIPLOMA | {"holder": holder}


async def _issued(node: CredentialsNode) -> int:
    async with node.running.runtime.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(IssuedCredential)) or 0)


async def test_a_batch_is_issued_whole_or_not_at_all(
    start_credentials: StartNode, make_token: MakeToken
) -> None:
    cn = await start_credentials("CN")
    headers = university(make_token, cn.node, await _institution(cn, "CN"))
    body = {"diplomas": [_graduate(n) for n in range(3)]}
    assert (await cn.client.post(BATCH, json=body)).status_code == 401
    officer = bearer(make_token(Role.RECOGNITION_OFFICER, node=cn.node))
    assert (await cn.client.post(BATCH, json=body, headers=officer)).status_code == 403

    response = await cn.client.post(BATCH, json=body, headers=headers)
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["count"] == 3 and len({item["id"] for item in issued["items"]}) == 3
    for number, item in enumerate(issued["items"]):
        report = await _verify(cn, item["jwt"])
        assert report["valid"] is True
        assert report["credential"]["credentialSubject"]["familyName"] == f"Graduate{number}"

    # One bad diploma (no ISCED-F field code) refuses the whole batch; so does a foreign
    # institution's client; too many in one request is refused before any is read.
    bad = {"diplomas": [_graduate(10), _graduate(11) | {"qualification": {"isced_f": "x"}}]}
    assert (await cn.client.post(BATCH, json=bad, headers=headers)).status_code == 422
    unknown = university(make_token, cn.node, uuid.uuid4())
    assert (await cn.client.post(BATCH, json=body, headers=unknown)).status_code == 422
    many = {"diplomas": [_graduate(0)] * 1001}
    response = await cn.client.post(BATCH, json=many, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _issued(cn) == 3
