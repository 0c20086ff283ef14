from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LevelComparison")


@_attrs_define
class LevelComparison:
    """The credential's level in one of the verifying node's frameworks (information for the
    reader: it does not make a credential valid or not).

        Attributes:
            framework (str): A framework of this node's country.
            reason (str):
            bases (list[str] | Unset): Each step's basis (official_referencing, …).
            comparable_level (None | str | Unset): Where it lands in `framework`.
            comparable_level_name (None | str | Unset):
            route (None | str | Unset): The levels walked, through reference frameworks only.
            stated_level (None | str | Unset): The level the credential states that was compared.
            verified (bool | Unset): Whether every step is verified against its source. Default: False.
    """

    framework: str
    reason: str
    bases: list[str] | Unset = UNSET
    comparable_level: None | str | Unset = UNSET
    comparable_level_name: None | str | Unset = UNSET
    route: None | str | Unset = UNSET
    stated_level: None | str | Unset = UNSET
    verified: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        framework = self.framework

        reason = self.reason

        bases: list[str] | Unset = UNSET
        if not isinstance(self.bases, Unset):
            bases = self.bases

        comparable_level: None | str | Unset
        if isinstance(self.comparable_level, Unset):
            comparable_level = UNSET
        else:
            comparable_level = self.comparable_level

        comparable_level_name: None | str | Unset
        if isinstance(self.comparable_level_name, Unset):
            comparable_level_name = UNSET
        else:
            comparable_level_name = self.comparable_level_name

        route: None | str | Unset
        if isinstance(self.route, Unset):
            route = UNSET
        else:
            route = self.route

        stated_level: None | str | Unset
        if isinstance(self.stated_level, Unset):
            stated_level = UNSET
        else:
            stated_level = self.stated_level

        verified = self.verified

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "framework": framework,
                "reason": reason,
            }
        )
        if bases is not UNSET:
            field_dict["bases"] = bases
        if comparable_level is not UNSET:
            field_dict["comparable_level"] = comparable_level
        if comparable_level_name is not UNSET:
            field_dict["comparable_level_name"] = comparable_level_name
        if route is not UNSET:
            field_dict["route"] = route
        if stated_level is not UNSET:
            field_dict["stated_level"] = stated_level
        if verified is not UNSET:
            field_dict["verified"] = verified

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        framework = d.pop("framework")

        reason = d.pop("reason")

        bases = cast(list[str], d.pop("bases", UNSET))

        def _parse_comparable_level(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comparable_level = _parse_comparable_level(d.pop("comparable_level", UNSET))

        def _parse_comparable_level_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comparable_level_name = _parse_comparable_level_name(d.pop("comparable_level_name", UNSET))

        def _parse_route(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        route = _parse_route(d.pop("route", UNSET))

        def _parse_stated_level(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stated_level = _parse_stated_level(d.pop("stated_level", UNSET))

        verified = d.pop("verified", UNSET)

        level_comparison = cls(
            framework=framework,
            reason=reason,
            bases=bases,
            comparable_level=comparable_level,
            comparable_level_name=comparable_level_name,
            route=route,
            stated_level=stated_level,
            verified=verified,
        )

        level_comparison.additional_properties = d
        return level_comparison

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
