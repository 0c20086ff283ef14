from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.framework_kind import FrameworkKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reference import Reference
    from ..models.source import Source


T = TypeVar("T", bound="FrameworkLevel")


@_attrs_define
class FrameworkLevel:
    """A level of a framework, as served and as `recognition.framework_level.*` events carry it.

    Attributes:
        code (str):
        framework (str):
        level (str):
        name (str):
        rank (int): Order of the levels inside their framework.
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        country (None | str | Unset):
        credit_system (None | str | Unset):
        credits_min (float | None | Unset):
        ects_max (float | None | Unset):
        ects_min (float | None | Unset):
        ects_typical (float | None | Unset):
        framework_kind (FrameworkKind | Unset):
        framework_name (None | str | Unset):
        origin_node (None | str | Unset): null for the shipped reference data; else the owning node.
        references (list[Reference] | Unset):
        updated_at (datetime.datetime | None | Unset):
        version (int | Unset):  Default: 1.
    """

    code: str
    framework: str
    level: str
    name: str
    rank: int
    source: Source
    country: None | str | Unset = UNSET
    credit_system: None | str | Unset = UNSET
    credits_min: float | None | Unset = UNSET
    ects_max: float | None | Unset = UNSET
    ects_min: float | None | Unset = UNSET
    ects_typical: float | None | Unset = UNSET
    framework_kind: FrameworkKind | Unset = UNSET
    framework_name: None | str | Unset = UNSET
    origin_node: None | str | Unset = UNSET
    references: list[Reference] | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    version: int | Unset = 1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        framework = self.framework

        level = self.level

        name = self.name

        rank = self.rank

        source = self.source.to_dict()

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        credit_system: None | str | Unset
        if isinstance(self.credit_system, Unset):
            credit_system = UNSET
        else:
            credit_system = self.credit_system

        credits_min: float | None | Unset
        if isinstance(self.credits_min, Unset):
            credits_min = UNSET
        else:
            credits_min = self.credits_min

        ects_max: float | None | Unset
        if isinstance(self.ects_max, Unset):
            ects_max = UNSET
        else:
            ects_max = self.ects_max

        ects_min: float | None | Unset
        if isinstance(self.ects_min, Unset):
            ects_min = UNSET
        else:
            ects_min = self.ects_min

        ects_typical: float | None | Unset
        if isinstance(self.ects_typical, Unset):
            ects_typical = UNSET
        else:
            ects_typical = self.ects_typical

        framework_kind: str | Unset = UNSET
        if not isinstance(self.framework_kind, Unset):
            framework_kind = self.framework_kind.value

        framework_name: None | str | Unset
        if isinstance(self.framework_name, Unset):
            framework_name = UNSET
        else:
            framework_name = self.framework_name

        origin_node: None | str | Unset
        if isinstance(self.origin_node, Unset):
            origin_node = UNSET
        else:
            origin_node = self.origin_node

        references: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.references, Unset):
            references = []
            for references_item_data in self.references:
                references_item = references_item_data.to_dict()
                references.append(references_item)

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "framework": framework,
                "level": level,
                "name": name,
                "rank": rank,
                "source": source,
            }
        )
        if country is not UNSET:
            field_dict["country"] = country
        if credit_system is not UNSET:
            field_dict["credit_system"] = credit_system
        if credits_min is not UNSET:
            field_dict["credits_min"] = credits_min
        if ects_max is not UNSET:
            field_dict["ects_max"] = ects_max
        if ects_min is not UNSET:
            field_dict["ects_min"] = ects_min
        if ects_typical is not UNSET:
            field_dict["ects_typical"] = ects_typical
        if framework_kind is not UNSET:
            field_dict["framework_kind"] = framework_kind
        if framework_name is not UNSET:
            field_dict["framework_name"] = framework_name
        if origin_node is not UNSET:
            field_dict["origin_node"] = origin_node
        if references is not UNSET:
            field_dict["references"] = references
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reference import Reference  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        framework = d.pop("framework")

        level = d.pop("level")

        name = d.pop("name")

        rank = d.pop("rank")

        source = Source.from_dict(d.pop("source"))

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        def _parse_credit_system(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credit_system = _parse_credit_system(d.pop("credit_system", UNSET))

        def _parse_credits_min(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        credits_min = _parse_credits_min(d.pop("credits_min", UNSET))

        def _parse_ects_max(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ects_max = _parse_ects_max(d.pop("ects_max", UNSET))

        def _parse_ects_min(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ects_min = _parse_ects_min(d.pop("ects_min", UNSET))

        def _parse_ects_typical(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ects_typical = _parse_ects_typical(d.pop("ects_typical", UNSET))

        _framework_kind = d.pop("framework_kind", UNSET)
        framework_kind: FrameworkKind | Unset
        if isinstance(_framework_kind, Unset):
            framework_kind = UNSET
        else:
            framework_kind = FrameworkKind(_framework_kind)

        def _parse_framework_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        framework_name = _parse_framework_name(d.pop("framework_name", UNSET))

        def _parse_origin_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin_node = _parse_origin_node(d.pop("origin_node", UNSET))

        _references = d.pop("references", UNSET)
        references: list[Reference] | Unset = UNSET
        if _references is not UNSET:
            references = []
            for references_item_data in _references:
                references_item = Reference.from_dict(references_item_data)

                references.append(references_item)

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        version = d.pop("version", UNSET)

        framework_level = cls(
            code=code,
            framework=framework,
            level=level,
            name=name,
            rank=rank,
            source=source,
            country=country,
            credit_system=credit_system,
            credits_min=credits_min,
            ects_max=ects_max,
            ects_min=ects_min,
            ects_typical=ects_typical,
            framework_kind=framework_kind,
            framework_name=framework_name,
            origin_node=origin_node,
            references=references,
            updated_at=updated_at,
            version=version,
        )

        framework_level.additional_properties = d
        return framework_level

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
