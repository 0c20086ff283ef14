from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.reference import Reference
    from ..models.source import Source


T = TypeVar("T", bound="FrameworkLevelUpdate")


@_attrs_define
class FrameworkLevelUpdate:
    """
    Attributes:
        ects_max (float | None | Unset):
        ects_min (float | None | Unset):
        name (str | Unset):
        rank (int | Unset):
        references (list[Reference] | Unset):
        source (Source | Unset): Where a fact comes from; `verified: false` marks facts not checked against it.
    """

    ects_max: float | None | Unset = UNSET
    ects_min: float | None | Unset = UNSET
    name: str | Unset = UNSET
    rank: int | Unset = UNSET
    references: list[Reference] | Unset = UNSET
    source: Source | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        name = self.name

        rank = self.rank

        references: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.references, Unset):
            references = []
            for references_item_data in self.references:
                references_item = references_item_data.to_dict()
                references.append(references_item)

        source: dict[str, Any] | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ects_max is not UNSET:
            field_dict["ects_max"] = ects_max
        if ects_min is not UNSET:
            field_dict["ects_min"] = ects_min
        if name is not UNSET:
            field_dict["name"] = name
        if rank is not UNSET:
            field_dict["rank"] = rank
        if references is not UNSET:
            field_dict["references"] = references
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reference import Reference  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)

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

        name = d.pop("name", UNSET)

        rank = d.pop("rank", UNSET)

        _references = d.pop("references", UNSET)
        references: list[Reference] | Unset = UNSET
        if _references is not UNSET:
            references = []
            for references_item_data in _references:
                references_item = Reference.from_dict(references_item_data)

                references.append(references_item)

        _source = d.pop("source", UNSET)
        source: Source | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = Source.from_dict(_source)

        framework_level_update = cls(
            ects_max=ects_max,
            ects_min=ects_min,
            name=name,
            rank=rank,
            references=references,
            source=source,
        )

        return framework_level_update
