from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.qa_status import QAStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.justifying_evaluation import JustifyingEvaluation


T = TypeVar("T", bound="QAStatusRead")


@_attrs_define
class QAStatusRead:
    """The QA status of an institution (or one of its programmes) at a date.

    Attributes:
        at (datetime.date):
        evaluations (list[JustifyingEvaluation]): The evaluations that justify the status, the decisive one first.
        institution_id (None | UUID):
        status (QAStatus): The QA status of an institution or programme at a date.
        programme_id (None | Unset | UUID):
    """

    at: datetime.date
    evaluations: list[JustifyingEvaluation]
    institution_id: None | UUID
    status: QAStatus
    programme_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        evaluations = []
        for evaluations_item_data in self.evaluations:
            evaluations_item = evaluations_item_data.to_dict()
            evaluations.append(evaluations_item)

        institution_id: None | str
        if isinstance(self.institution_id, UUID):
            institution_id = str(self.institution_id)
        else:
            institution_id = self.institution_id

        status = self.status.value

        programme_id: None | str | Unset
        if isinstance(self.programme_id, Unset):
            programme_id = UNSET
        elif isinstance(self.programme_id, UUID):
            programme_id = str(self.programme_id)
        else:
            programme_id = self.programme_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "evaluations": evaluations,
                "institution_id": institution_id,
                "status": status,
            }
        )
        if programme_id is not UNSET:
            field_dict["programme_id"] = programme_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.justifying_evaluation import JustifyingEvaluation  # noqa: PLC0415

        d = dict(src_dict)
        at = datetime.date.fromisoformat(d.pop("at"))

        evaluations = []
        _evaluations = d.pop("evaluations")
        for evaluations_item_data in _evaluations:
            evaluations_item = JustifyingEvaluation.from_dict(evaluations_item_data)

            evaluations.append(evaluations_item)

        def _parse_institution_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                institution_id_type_0 = UUID(data)

                return institution_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        institution_id = _parse_institution_id(d.pop("institution_id"))

        status = QAStatus(d.pop("status"))

        def _parse_programme_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                programme_id_type_0 = UUID(data)

                return programme_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        programme_id = _parse_programme_id(d.pop("programme_id", UNSET))

        qa_status_read = cls(
            at=at,
            evaluations=evaluations,
            institution_id=institution_id,
            status=status,
            programme_id=programme_id,
        )

        qa_status_read.additional_properties = d
        return qa_status_read

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
