from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.la_party import LaParty

T = TypeVar("T", bound="LaApproval")


@_attrs_define
class LaApproval:
    """A party's approval: a detached JWS over the version's digest by the node of the party's
    institution (the student's approval is signed by the sending node, which checked the
    student's token).

        Attributes:
            approved_at (datetime.datetime):
            approved_by (str):
            digest (str):
            institution_id (UUID):
            node (str):
            party (LaParty): The three parties who approve a learning agreement's version.
            signature (str):
    """

    approved_at: datetime.datetime
    approved_by: str
    digest: str
    institution_id: UUID
    node: str
    party: LaParty
    signature: str

    def to_dict(self) -> dict[str, Any]:
        approved_at = self.approved_at.isoformat()

        approved_by = self.approved_by

        digest = self.digest

        institution_id = str(self.institution_id)

        node = self.node

        party = self.party.value

        signature = self.signature

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approved_at": approved_at,
                "approved_by": approved_by,
                "digest": digest,
                "institution_id": institution_id,
                "node": node,
                "party": party,
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

        party = LaParty(d.pop("party"))

        signature = d.pop("signature")

        la_approval = cls(
            approved_at=approved_at,
            approved_by=approved_by,
            digest=digest,
            institution_id=institution_id,
            node=node,
            party=party,
            signature=signature,
        )

        return la_approval
