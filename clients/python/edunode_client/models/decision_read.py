from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.substantial_difference import SubstantialDifference


T = TypeVar("T", bound="DecisionRead")


@_attrs_define
class DecisionRead:
    """
    Attributes:
        assessment_id (None | UUID):
        case_id (UUID):
        comparable_level (None | str):
        conditions (list[str]):
        decided_at (datetime.datetime):
        decided_by (str):
        decided_on (datetime.date):
        id (UUID): Also the id of the published (anonymised) decision.
        justification (None | str):
        legal_basis (str):
        legal_basis_reference (None | str):
        outcome (str):
        recommendation (None | str):
        substantial_differences (list[SubstantialDifference]):
    """

    assessment_id: None | UUID
    case_id: UUID
    comparable_level: None | str
    conditions: list[str]
    decided_at: datetime.datetime
    decided_by: str
    decided_on: datetime.date
    id: UUID
    justification: None | str
    legal_basis: str
    legal_basis_reference: None | str
    outcome: str
    recommendation: None | str
    substantial_differences: list[SubstantialDifference]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assessment_id: None | str
        if isinstance(self.assessment_id, UUID):
            assessment_id = str(self.assessment_id)
        else:
            assessment_id = self.assessment_id

        case_id = str(self.case_id)

        comparable_level: None | str
        comparable_level = self.comparable_level

        conditions = self.conditions

        decided_at = self.decided_at.isoformat()

        decided_by = self.decided_by

        decided_on = self.decided_on.isoformat()

        id = str(self.id)

        justification: None | str
        justification = self.justification

        legal_basis = self.legal_basis

        legal_basis_reference: None | str
        legal_basis_reference = self.legal_basis_reference

        outcome = self.outcome

        recommendation: None | str
        recommendation = self.recommendation

        substantial_differences = []
        for substantial_differences_item_data in self.substantial_differences:
            substantial_differences_item = substantial_differences_item_data.to_dict()
            substantial_differences.append(substantial_differences_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assessment_id": assessment_id,
                "case_id": case_id,
                "comparable_level": comparable_level,
                "conditions": conditions,
                "decided_at": decided_at,
                "decided_by": decided_by,
                "decided_on": decided_on,
                "id": id,
                "justification": justification,
                "legal_basis": legal_basis,
                "legal_basis_reference": legal_basis_reference,
                "outcome": outcome,
                "recommendation": recommendation,
                "substantial_differences": substantial_differences,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.substantial_difference import SubstantialDifference  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_assessment_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assessment_id_type_0 = UUID(data)

                return assessment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        assessment_id = _parse_assessment_id(d.pop("assessment_id"))

        case_id = UUID(d.pop("case_id"))

        def _parse_comparable_level(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comparable_level = _parse_comparable_level(d.pop("comparable_level"))

        conditions = cast(list[str], d.pop("conditions"))

        decided_at = datetime.datetime.fromisoformat(d.pop("decided_at"))

        decided_by = d.pop("decided_by")

        decided_on = datetime.date.fromisoformat(d.pop("decided_on"))

        id = UUID(d.pop("id"))

        def _parse_justification(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        justification = _parse_justification(d.pop("justification"))

        legal_basis = d.pop("legal_basis")

        def _parse_legal_basis_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        legal_basis_reference = _parse_legal_basis_reference(d.pop("legal_basis_reference"))

        outcome = d.pop("outcome")

        def _parse_recommendation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        recommendation = _parse_recommendation(d.pop("recommendation"))

        substantial_differences = []
        _substantial_differences = d.pop("substantial_differences")
        for substantial_differences_item_data in _substantial_differences:
            substantial_differences_item = SubstantialDifference.from_dict(substantial_differences_item_data)

            substantial_differences.append(substantial_differences_item)

        decision_read = cls(
            assessment_id=assessment_id,
            case_id=case_id,
            comparable_level=comparable_level,
            conditions=conditions,
            decided_at=decided_at,
            decided_by=decided_by,
            decided_on=decided_on,
            id=id,
            justification=justification,
            legal_basis=legal_basis,
            legal_basis_reference=legal_basis_reference,
            outcome=outcome,
            recommendation=recommendation,
            substantial_differences=substantial_differences,
        )

        decision_read.additional_properties = d
        return decision_read

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
