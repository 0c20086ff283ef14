from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome import Outcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.assessment_reference_levels import AssessmentReferenceLevels
    from ..models.finding import Finding
    from ..models.legal_basis import LegalBasis
    from ..models.reference_record_use import ReferenceRecordUse
    from ..models.substantial_difference import SubstantialDifference


T = TypeVar("T", bound="Assessment")


@_attrs_define
class Assessment:
    """
    Attributes:
        assessed_on (datetime.date):
        case_id (UUID):
        comparable_level (None | str):
        conditions (list[str]):
        created_at (datetime.datetime):
        findings (list[Finding]):
        id (UUID):
        inputs_hash (str): SHA-256 of every input: same hash, same result.
        reasons (list[str]):
        recommendation (Outcome):
        reference_levels (AssessmentReferenceLevels):
        substantial_differences (list[SubstantialDifference]):
        suggested_legal_basis (LegalBasis):
        reference_records (list[ReferenceRecordUse] | Unset): The reference records (of countries without a node) the
            assessment rests on, with who entered them and their source; the reasons say so too.
    """

    assessed_on: datetime.date
    case_id: UUID
    comparable_level: None | str
    conditions: list[str]
    created_at: datetime.datetime
    findings: list[Finding]
    id: UUID
    inputs_hash: str
    reasons: list[str]
    recommendation: Outcome
    reference_levels: AssessmentReferenceLevels
    substantial_differences: list[SubstantialDifference]
    suggested_legal_basis: LegalBasis
    reference_records: list[ReferenceRecordUse] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assessed_on = self.assessed_on.isoformat()

        case_id = str(self.case_id)

        comparable_level: None | str
        comparable_level = self.comparable_level

        conditions = self.conditions

        created_at = self.created_at.isoformat()

        findings = []
        for findings_item_data in self.findings:
            findings_item = findings_item_data.to_dict()
            findings.append(findings_item)

        id = str(self.id)

        inputs_hash = self.inputs_hash

        reasons = self.reasons

        recommendation = self.recommendation.value

        reference_levels = self.reference_levels.to_dict()

        substantial_differences = []
        for substantial_differences_item_data in self.substantial_differences:
            substantial_differences_item = substantial_differences_item_data.to_dict()
            substantial_differences.append(substantial_differences_item)

        suggested_legal_basis = self.suggested_legal_basis.to_dict()

        reference_records: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.reference_records, Unset):
            reference_records = []
            for reference_records_item_data in self.reference_records:
                reference_records_item = reference_records_item_data.to_dict()
                reference_records.append(reference_records_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assessed_on": assessed_on,
                "case_id": case_id,
                "comparable_level": comparable_level,
                "conditions": conditions,
                "created_at": created_at,
                "findings": findings,
                "id": id,
                "inputs_hash": inputs_hash,
                "reasons": reasons,
                "recommendation": recommendation,
                "reference_levels": reference_levels,
                "substantial_differences": substantial_differences,
                "suggested_legal_basis": suggested_legal_basis,
            }
        )
        if reference_records is not UNSET:
            field_dict["reference_records"] = reference_records

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assessment_reference_levels import AssessmentReferenceLevels  # noqa: PLC0415
        from ..models.finding import Finding  # noqa: PLC0415
        from ..models.legal_basis import LegalBasis  # noqa: PLC0415
        from ..models.reference_record_use import ReferenceRecordUse  # noqa: PLC0415
        from ..models.substantial_difference import SubstantialDifference  # noqa: PLC0415

        d = dict(src_dict)
        assessed_on = datetime.date.fromisoformat(d.pop("assessed_on"))

        case_id = UUID(d.pop("case_id"))

        def _parse_comparable_level(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comparable_level = _parse_comparable_level(d.pop("comparable_level"))

        conditions = cast(list[str], d.pop("conditions"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        findings = []
        _findings = d.pop("findings")
        for findings_item_data in _findings:
            findings_item = Finding.from_dict(findings_item_data)

            findings.append(findings_item)

        id = UUID(d.pop("id"))

        inputs_hash = d.pop("inputs_hash")

        reasons = cast(list[str], d.pop("reasons"))

        recommendation = Outcome(d.pop("recommendation"))

        reference_levels = AssessmentReferenceLevels.from_dict(d.pop("reference_levels"))

        substantial_differences = []
        _substantial_differences = d.pop("substantial_differences")
        for substantial_differences_item_data in _substantial_differences:
            substantial_differences_item = SubstantialDifference.from_dict(substantial_differences_item_data)

            substantial_differences.append(substantial_differences_item)

        suggested_legal_basis = LegalBasis.from_dict(d.pop("suggested_legal_basis"))

        _reference_records = d.pop("reference_records", UNSET)
        reference_records: list[ReferenceRecordUse] | Unset = UNSET
        if _reference_records is not UNSET:
            reference_records = []
            for reference_records_item_data in _reference_records:
                reference_records_item = ReferenceRecordUse.from_dict(reference_records_item_data)

                reference_records.append(reference_records_item)

        assessment = cls(
            assessed_on=assessed_on,
            case_id=case_id,
            comparable_level=comparable_level,
            conditions=conditions,
            created_at=created_at,
            findings=findings,
            id=id,
            inputs_hash=inputs_hash,
            reasons=reasons,
            recommendation=recommendation,
            reference_levels=reference_levels,
            substantial_differences=substantial_differences,
            suggested_legal_basis=suggested_legal_basis,
            reference_records=reference_records,
        )

        assessment.additional_properties = d
        return assessment

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
