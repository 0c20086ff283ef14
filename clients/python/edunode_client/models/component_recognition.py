from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.component_recognition_outcome import ComponentRecognitionOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credits_read import CreditsRead
    from ..models.grade_read import GradeRead


T = TypeVar("T", bound="ComponentRecognition")


@_attrs_define
class ComponentRecognition:
    """
    Attributes:
        explanation (str):
        outcome (ComponentRecognitionOutcome):
        title (str):
        code (None | str | Unset):
        credits_ (CreditsRead | None | Unset):
        grade (GradeRead | None | Unset):
    """

    explanation: str
    outcome: ComponentRecognitionOutcome
    title: str
    code: None | str | Unset = UNSET
    credits_: CreditsRead | None | Unset = UNSET
    grade: GradeRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.credits_read import CreditsRead  # noqa: PLC0415
        from ..models.grade_read import GradeRead  # noqa: PLC0415

        explanation = self.explanation

        outcome = self.outcome.value

        title = self.title

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        credits_: dict[str, Any] | None | Unset
        if isinstance(self.credits_, Unset):
            credits_ = UNSET
        elif isinstance(self.credits_, CreditsRead):
            credits_ = self.credits_.to_dict()
        else:
            credits_ = self.credits_

        grade: dict[str, Any] | None | Unset
        if isinstance(self.grade, Unset):
            grade = UNSET
        elif isinstance(self.grade, GradeRead):
            grade = self.grade.to_dict()
        else:
            grade = self.grade

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "explanation": explanation,
                "outcome": outcome,
                "title": title,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if credits_ is not UNSET:
            field_dict["credits"] = credits_
        if grade is not UNSET:
            field_dict["grade"] = grade

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credits_read import CreditsRead  # noqa: PLC0415
        from ..models.grade_read import GradeRead  # noqa: PLC0415

        d = dict(src_dict)
        explanation = d.pop("explanation")

        outcome = ComponentRecognitionOutcome(d.pop("outcome"))

        title = d.pop("title")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_credits_(data: object) -> CreditsRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credits_type_0 = CreditsRead.from_dict(data)

                return credits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreditsRead | None | Unset, data)

        credits_ = _parse_credits_(d.pop("credits", UNSET))

        def _parse_grade(data: object) -> GradeRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                grade_type_0 = GradeRead.from_dict(data)

                return grade_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GradeRead | None | Unset, data)

        grade = _parse_grade(d.pop("grade", UNSET))

        component_recognition = cls(
            explanation=explanation,
            outcome=outcome,
            title=title,
            code=code,
            credits_=credits_,
            grade=grade,
        )

        component_recognition.additional_properties = d
        return component_recognition

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
