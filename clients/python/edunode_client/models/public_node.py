from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.trusted_key import TrustedKey


T = TypeVar("T", bound="PublicNode")


@_attrs_define
class PublicNode:
    """What `/v1/federation/nodes` shows of a node.

    Attributes:
        countries (list[str]):
        gateway_url (None | str):
        id (str):
        keys (list[TrustedKey]):
        name (None | str):
    """

    countries: list[str]
    gateway_url: None | str
    id: str
    keys: list[TrustedKey]
    name: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        countries = self.countries

        gateway_url: None | str
        gateway_url = self.gateway_url

        id = self.id

        keys = []
        for keys_item_data in self.keys:
            keys_item = keys_item_data.to_dict()
            keys.append(keys_item)

        name: None | str
        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "countries": countries,
                "gateway_url": gateway_url,
                "id": id,
                "keys": keys,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trusted_key import TrustedKey  # noqa: PLC0415

        d = dict(src_dict)
        countries = cast(list[str], d.pop("countries"))

        def _parse_gateway_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gateway_url = _parse_gateway_url(d.pop("gateway_url"))

        id = d.pop("id")

        keys = []
        _keys = d.pop("keys")
        for keys_item_data in _keys:
            keys_item = TrustedKey.from_dict(keys_item_data)

            keys.append(keys_item)

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        public_node = cls(
            countries=countries,
            gateway_url=gateway_url,
            id=id,
            keys=keys,
            name=name,
        )

        public_node.additional_properties = d
        return public_node

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
