from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.framework_kind import FrameworkKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.framework_level import FrameworkLevel
    from ..models.source import Source


T = TypeVar("T", bound="RecognitionFramework")


@_attrs_define
class RecognitionFramework:
    """A qualifications framework with its levels.

    Attributes:
        code (str):
        kind (FrameworkKind):
        levels (list[FrameworkLevel]):
        name (str):
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        country (None | str | Unset):
        origin_node (None | str | Unset):
        region (None | str | Unset):
    """

    code: str
    kind: FrameworkKind
    levels: list[FrameworkLevel]
    name: str
    source: Source
    country: None | str | Unset = UNSET
    origin_node: None | str | Unset = UNSET
    region: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        kind = self.kind.value

        levels = []
        for levels_item_data in self.levels:
            levels_item = levels_item_data.to_dict()
            levels.append(levels_item)

        name = self.name

        source = self.source.to_dict()

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        origin_node: None | str | Unset
        if isinstance(self.origin_node, Unset):
            origin_node = UNSET
        else:
            origin_node = self.origin_node

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "kind": kind,
                "levels": levels,
                "name": name,
                "source": source,
            }
        )
        if country is not UNSET:
            field_dict["country"] = country
        if origin_node is not UNSET:
            field_dict["origin_node"] = origin_node
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.framework_level import FrameworkLevel  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        kind = FrameworkKind(d.pop("kind"))

        levels = []
        _levels = d.pop("levels")
        for levels_item_data in _levels:
            levels_item = FrameworkLevel.from_dict(levels_item_data)

            levels.append(levels_item)

        name = d.pop("name")

        source = Source.from_dict(d.pop("source"))

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        def _parse_origin_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin_node = _parse_origin_node(d.pop("origin_node", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        recognition_framework = cls(
            code=code,
            kind=kind,
            levels=levels,
            name=name,
            source=source,
            country=country,
            origin_node=origin_node,
            region=region,
        )

        recognition_framework.additional_properties = d
        return recognition_framework

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
