from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NominatedStudent")


@_attrs_define
class NominatedStudent:
    """The student: personal data, held only at the two partners' nodes and erased on
    request.

        Attributes:
            email (str):
            family_name (str):
            given_names (str):
            student_number (None | str | Unset): The sending institution's number for the student.
    """

    email: str
    family_name: str
    given_names: str
    student_number: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        family_name = self.family_name

        given_names = self.given_names

        student_number: None | str | Unset
        if isinstance(self.student_number, Unset):
            student_number = UNSET
        else:
            student_number = self.student_number

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "family_name": family_name,
                "given_names": given_names,
            }
        )
        if student_number is not UNSET:
            field_dict["student_number"] = student_number

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        family_name = d.pop("family_name")

        given_names = d.pop("given_names")

        def _parse_student_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        student_number = _parse_student_number(d.pop("student_number", UNSET))

        nominated_student = cls(
            email=email,
            family_name=family_name,
            given_names=given_names,
            student_number=student_number,
        )

        return nominated_student
