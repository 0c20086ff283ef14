from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.grade_count import GradeCount


T = TypeVar("T", bound="GradeTableUpload")


@_attrs_define
class GradeTableUpload:
    """An institution's grade distribution table for one field of study (ECTS Users' Guide
    2015): the passing grades awarded over the reference years, best grade first, each with
    its count (or percentage).

        Attributes:
            academic_years (str): The reference years (the Users' Guide asks for at least two).
            grades (list[GradeCount]):
            label (str):
            scale (None | str | Unset): The national grading scale (`DE`, `CN`, `MY`), if known.
    """

    academic_years: str
    grades: list[GradeCount]
    label: str
    scale: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        academic_years = self.academic_years

        grades = []
        for grades_item_data in self.grades:
            grades_item = grades_item_data.to_dict()
            grades.append(grades_item)

        label = self.label

        scale: None | str | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        else:
            scale = self.scale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "academic_years": academic_years,
                "grades": grades,
                "label": label,
            }
        )
        if scale is not UNSET:
            field_dict["scale"] = scale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.grade_count import GradeCount  # noqa: PLC0415

        d = dict(src_dict)
        academic_years = d.pop("academic_years")

        grades = []
        _grades = d.pop("grades")
        for grades_item_data in _grades:
            grades_item = GradeCount.from_dict(grades_item_data)

            grades.append(grades_item)

        label = d.pop("label")

        def _parse_scale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))

        grade_table_upload = cls(
            academic_years=academic_years,
            grades=grades,
            label=label,
            scale=scale,
        )

        return grade_table_upload
