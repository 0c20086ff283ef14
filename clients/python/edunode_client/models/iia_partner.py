from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="IiaPartner")


@_attrs_define
class IiaPartner:
    """
    Attributes:
        institution_id (UUID):
        node (str):
    """

    institution_id: UUID
    node: str

    def to_dict(self) -> dict[str, Any]:
        institution_id = str(self.institution_id)

        node = self.node

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "institution_id": institution_id,
                "node": node,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        institution_id = UUID(d.pop("institution_id"))

        node = d.pop("node")

        iia_partner = cls(
            institution_id=institution_id,
            node=node,
        )

        return iia_partner
