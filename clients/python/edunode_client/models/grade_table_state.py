from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.grade_count import GradeCount


T = TypeVar("T", bound="GradeTableState")


@_attrs_define
class GradeTableState:
    """A grade distribution table as stored and as a transcript's message carries it.

    Attributes:
        academic_years (str):
        grades (list[GradeCount]):
        institution_id (UUID):
        isced_f (str):
        label (str):
        scale (None | str | Unset):
        updated_at (datetime.datetime | None | Unset):
        version (int | Unset):  Default: 1.
    """

    academic_years: str
    grades: list[GradeCount]
    institution_id: UUID
    isced_f: str
    label: str
    scale: None | str | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    version: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        academic_years = self.academic_years

        grades = []
        for grades_item_data in self.grades:
            grades_item = grades_item_data.to_dict()
            grades.append(grades_item)

        institution_id = str(self.institution_id)

        isced_f = self.isced_f

        label = self.label

        scale: None | str | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        else:
            scale = self.scale

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "academic_years": academic_years,
                "grades": grades,
                "institution_id": institution_id,
                "isced_f": isced_f,
                "label": label,
            }
        )
        if scale is not UNSET:
            field_dict["scale"] = scale
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if version is not UNSET:
            field_dict["version"] = version

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

        institution_id = UUID(d.pop("institution_id"))

        isced_f = d.pop("isced_f")

        label = d.pop("label")

        def _parse_scale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))

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

        grade_table_state = cls(
            academic_years=academic_years,
            grades=grades,
            institution_id=institution_id,
            isced_f=isced_f,
            label=label,
            scale=scale,
            updated_at=updated_at,
            version=version,
        )

        return grade_table_state
