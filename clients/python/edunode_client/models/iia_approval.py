from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="IiaApproval")


@_attrs_define
class IiaApproval:
    """A partner's approval: its node's federation key's detached JWS (RFC 7515 App. F) over
    the conditions' digest.

        Attributes:
            approved_at (datetime.datetime):
            approved_by (str):
            digest (str):
            institution_id (UUID):
            node (str):
            signature (str):
    """

    approved_at: datetime.datetime
    approved_by: str
    digest: str
    institution_id: UUID
    node: str
    signature: str

    def to_dict(self) -> dict[str, Any]:
        approved_at = self.approved_at.isoformat()

        approved_by = self.approved_by

        digest = self.digest

        institution_id = str(self.institution_id)

        node = self.node

        signature = self.signature

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approved_at": approved_at,
                "approved_by": approved_by,
                "digest": digest,
                "institution_id": institution_id,
                "node": node,
                "signature": signature,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        approved_at = datetime.datetime.fromisoformat(d.pop("approved_at"))

        approved_by = d.pop("approved_by")

        digest = d.pop("digest")

        institution_id = UUID(d.pop("institution_id"))

        node = d.pop("node")

        signature = d.pop("signature")

        iia_approval = cls(
            approved_at=approved_at,
            approved_by=approved_by,
            digest=digest,
            institution_id=institution_id,
            node=node,
            signature=signature,
        )

        return iia_approval
