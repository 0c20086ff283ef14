from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.compare_step import CompareStep
    from ..models.comparison_reference_levels import ComparisonReferenceLevels


T = TypeVar("T", bound="Comparison")


@_attrs_define
class Comparison:
    """The result of comparing a level with another framework (or level) through the
    reference frameworks.

        Attributes:
            from_ (str):
            path (list[CompareStep]): The referencing steps used, each with source.
            reference_levels (ComparisonReferenceLevels): The origin level's place in each reference framework (EQF, QF-
                EHEA, AQRF).
            result_levels (list[str]): The levels of the target framework the origin level corresponds to.
            to (str):
            verified (bool): Whether every step of the path is a verified fact.
            comparable (bool | None | Unset): When `to` is a level: whether the origin level is at least that level.
    """

    from_: str
    path: list[CompareStep]
    reference_levels: ComparisonReferenceLevels
    result_levels: list[str]
    to: str
    verified: bool
    comparable: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        path = []
        for path_item_data in self.path:
            path_item = path_item_data.to_dict()
            path.append(path_item)

        reference_levels = self.reference_levels.to_dict()

        result_levels = self.result_levels

        to = self.to

        verified = self.verified

        comparable: bool | None | Unset
        if isinstance(self.comparable, Unset):
            comparable = UNSET
        else:
            comparable = self.comparable

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "path": path,
                "reference_levels": reference_levels,
                "result_levels": result_levels,
                "to": to,
                "verified": verified,
            }
        )
        if comparable is not UNSET:
            field_dict["comparable"] = comparable

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compare_step import CompareStep  # noqa: PLC0415
        from ..models.comparison_reference_levels import ComparisonReferenceLevels  # noqa: PLC0415

        d = dict(src_dict)
        from_ = d.pop("from")

        path = []
        _path = d.pop("path")
        for path_item_data in _path:
            path_item = CompareStep.from_dict(path_item_data)

            path.append(path_item)

        reference_levels = ComparisonReferenceLevels.from_dict(d.pop("reference_levels"))

        result_levels = cast(list[str], d.pop("result_levels"))

        to = d.pop("to")

        verified = d.pop("verified")

        def _parse_comparable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        comparable = _parse_comparable(d.pop("comparable", UNSET))

        comparison = cls(
            from_=from_,
            path=path,
            reference_levels=reference_levels,
            result_levels=result_levels,
            to=to,
            verified=verified,
            comparable=comparable,
        )

        comparison.additional_properties = d
        return comparison

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
