from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GradeCount")


@_attrs_define
class GradeCount:
    """
    Attributes:
        count (float): Count or percentage.
        grade (str):
    """

    count: float
    grade: str

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        grade = self.grade

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "grade": grade,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        grade = d.pop("grade")

        grade_count = cls(
            count=count,
            grade=grade,
        )

        return grade_count
