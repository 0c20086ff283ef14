from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.relationship_type import RelationshipType

T = TypeVar("T", bound="Relationship")


@_attrs_define
class Relationship:
    """`this institution <type> institution_id`, e.g. `campus_of` a foreign university.

    Attributes:
        institution_id (UUID):
        type_ (RelationshipType): `A <type> B`, read from A. Historical and hierarchical; each has an inverse that B's
            readers see, so relationships are always reciprocal.
    """

    institution_id: UUID
    type_: RelationshipType

    def to_dict(self) -> dict[str, Any]:
        institution_id = str(self.institution_id)

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "institution_id": institution_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        institution_id = UUID(d.pop("institution_id"))

        type_ = RelationshipType(d.pop("type"))

        relationship = cls(
            institution_id=institution_id,
            type_=type_,
        )

        return relationship
