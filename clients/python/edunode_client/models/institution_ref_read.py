from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identifier_state import IdentifierState


T = TypeVar("T", bound="InstitutionRefRead")


@_attrs_define
class InstitutionRefRead:
    """An institution as the quality service knows it (read-only: the directory owns it).

    Attributes:
        country (str):
        id (UUID):
        name (str):
        origin_node (str):
        status (str):
        updated_at (datetime.datetime):
        version (int):
        identifiers (list[IdentifierState] | Unset):
    """

    country: str
    id: UUID
    name: str
    origin_node: str
    status: str
    updated_at: datetime.datetime
    version: int
    identifiers: list[IdentifierState] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        id = str(self.id)

        name = self.name

        origin_node = self.origin_node

        status = self.status

        updated_at = self.updated_at.isoformat()

        version = self.version

        identifiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identifiers, Unset):
            identifiers = []
            for identifiers_item_data in self.identifiers:
                identifiers_item = identifiers_item_data.to_dict()
                identifiers.append(identifiers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "country": country,
                "id": id,
                "name": name,
                "origin_node": origin_node,
                "status": status,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if identifiers is not UNSET:
            field_dict["identifiers"] = identifiers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identifier_state import IdentifierState  # noqa: PLC0415

        d = dict(src_dict)
        country = d.pop("country")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        origin_node = d.pop("origin_node")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        _identifiers = d.pop("identifiers", UNSET)
        identifiers: list[IdentifierState] | Unset = UNSET
        if _identifiers is not UNSET:
            identifiers = []
            for identifiers_item_data in _identifiers:
                identifiers_item = IdentifierState.from_dict(identifiers_item_data)

                identifiers.append(identifiers_item)

        institution_ref_read = cls(
            country=country,
            id=id,
            name=name,
            origin_node=origin_node,
            status=status,
            updated_at=updated_at,
            version=version,
            identifiers=identifiers,
        )

        institution_ref_read.additional_properties = d
        return institution_ref_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
