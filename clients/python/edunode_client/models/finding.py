from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.aspect import Aspect
from ..models.finding_outcome import FindingOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.evidence import Evidence
    from ..models.finding_data import FindingData


T = TypeVar("T", bound="Finding")


@_attrs_define
class Finding:
    """
    Attributes:
        aspect (Aspect):
        outcome (FindingOutcome):
        summary (str): Why, in a sentence; never names a person.
        data (FindingData | Unset):
        evidence (list[Evidence] | Unset):
    """

    aspect: Aspect
    outcome: FindingOutcome
    summary: str
    data: FindingData | Unset = UNSET
    evidence: list[Evidence] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        aspect = self.aspect.value

        outcome = self.outcome.value

        summary = self.summary

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        evidence: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.evidence, Unset):
            evidence = []
            for evidence_item_data in self.evidence:
                evidence_item = evidence_item_data.to_dict()
                evidence.append(evidence_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "aspect": aspect,
                "outcome": outcome,
                "summary": summary,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if evidence is not UNSET:
            field_dict["evidence"] = evidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.evidence import Evidence  # noqa: PLC0415
        from ..models.finding_data import FindingData  # noqa: PLC0415

        d = dict(src_dict)
        aspect = Aspect(d.pop("aspect"))

        outcome = FindingOutcome(d.pop("outcome"))

        summary = d.pop("summary")

        _data = d.pop("data", UNSET)
        data: FindingData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = FindingData.from_dict(_data)

        _evidence = d.pop("evidence", UNSET)
        evidence: list[Evidence] | Unset = UNSET
        if _evidence is not UNSET:
            evidence = []
            for evidence_item_data in _evidence:
                evidence_item = Evidence.from_dict(evidence_item_data)

                evidence.append(evidence_item)

        finding = cls(
            aspect=aspect,
            outcome=outcome,
            summary=summary,
            data=data,
            evidence=evidence,
        )

        finding.additional_properties = d
        return finding

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
