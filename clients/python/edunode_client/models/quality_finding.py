from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QualityFinding")


@_attrs_define
class QualityFinding:
    """The awarding institution's QA status at the award date: what this node's quality
    service says (from the evaluations every node publishes) beside the evidence the issuer
    recorded. Information for the reader: it does not make a credential valid or not.

        Attributes:
            reason (str):
            agrees (bool | None | Unset): Whether both are known and the same.
            award_date (datetime.date | None | Unset):
            evidence_status (None | str | Unset): What the credential's evidence says (the issuer's view).
            status (None | str | Unset): At this node (null if not known: see `reason`).
    """

    reason: str
    agrees: bool | None | Unset = UNSET
    award_date: datetime.date | None | Unset = UNSET
    evidence_status: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        agrees: bool | None | Unset
        if isinstance(self.agrees, Unset):
            agrees = UNSET
        else:
            agrees = self.agrees

        award_date: None | str | Unset
        if isinstance(self.award_date, Unset):
            award_date = UNSET
        elif isinstance(self.award_date, datetime.date):
            award_date = self.award_date.isoformat()
        else:
            award_date = self.award_date

        evidence_status: None | str | Unset
        if isinstance(self.evidence_status, Unset):
            evidence_status = UNSET
        else:
            evidence_status = self.evidence_status

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reason": reason,
            }
        )
        if agrees is not UNSET:
            field_dict["agrees"] = agrees
        if award_date is not UNSET:
            field_dict["award_date"] = award_date
        if evidence_status is not UNSET:
            field_dict["evidence_status"] = evidence_status
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_agrees(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        agrees = _parse_agrees(d.pop("agrees", UNSET))

        def _parse_award_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                award_date_type_0 = datetime.date.fromisoformat(data)

                return award_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        award_date = _parse_award_date(d.pop("award_date", UNSET))

        def _parse_evidence_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        evidence_status = _parse_evidence_status(d.pop("evidence_status", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        quality_finding = cls(
            reason=reason,
            agrees=agrees,
            award_date=award_date,
            evidence_status=evidence_status,
            status=status,
        )

        quality_finding.additional_properties = d
        return quality_finding

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
