from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.framework_kind import FrameworkKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reference import Reference
    from ..models.source import Source


T = TypeVar("T", bound="FrameworkLevelCreate")


@_attrs_define
class FrameworkLevelCreate:
    """A level this node adds (a new framework's, or a new level of one it owns).

    Attributes:
        framework (str):
        level (str):
        name (str):
        rank (int):
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        country (None | str | Unset):
        ects_max (float | None | Unset):
        ects_min (float | None | Unset):
        framework_kind (FrameworkKind | Unset):
        framework_name (None | str | Unset):
        references (list[Reference] | Unset):
    """

    framework: str
    level: str
    name: str
    rank: int
    source: Source
    country: None | str | Unset = UNSET
    ects_max: float | None | Unset = UNSET
    ects_min: float | None | Unset = UNSET
    framework_kind: FrameworkKind | Unset = UNSET
    framework_name: None | str | Unset = UNSET
    references: list[Reference] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        framework_kind: str | Unset = UNSET
        if not isinstance(self.framework_kind, Unset):
            framework_kind = self.framework_kind.value

        framework_name: None | str | Unset
        if isinstance(self.framework_name, Unset):
            framework_name = UNSET
        else:
            framework_name = self.framework_name

        references: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.references, Unset):
            references = []
            for references_item_data in self.references:
                references_item = references_item_data.to_dict()
                references.append(references_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "framework": framework,
                "level": level,
                "name": name,
                "rank": rank,
                "source": source,
            }
        )
        if country is not UNSET:
            field_dict["country"] = country
        if ects_max is not UNSET:
            field_dict["ects_max"] = ects_max
        if ects_min is not UNSET:
            field_dict["ects_min"] = ects_min
        if framework_kind is not UNSET:
            field_dict["framework_kind"] = framework_kind
        if framework_name is not UNSET:
            field_dict["framework_name"] = framework_name
        if references is not UNSET:
            field_dict["references"] = references

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reference import Reference  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
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

        _references = d.pop("references", UNSET)
        references: list[Reference] | Unset = UNSET
        if _references is not UNSET:
            references = []
            for references_item_data in _references:
                references_item = Reference.from_dict(references_item_data)

                references.append(references_item)

        framework_level_create = cls(
            framework=framework,
            level=level,
            name=name,
            rank=rank,
            source=source,
            country=country,
            ects_max=ects_max,
            ects_min=ects_min,
            framework_kind=framework_kind,
            framework_name=framework_name,
            references=references,
        )

        return framework_level_create
