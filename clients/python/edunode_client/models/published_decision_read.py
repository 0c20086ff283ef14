from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PublishedDecisionRead")


@_attrs_define
class PublishedDecisionRead:
    """
    Attributes:
        comparable_level (None | str):
        decided_on (datetime.date):
        host_country (str):
        id (UUID):
        institution_id (None | UUID):
        institution_name (None | str):
        legal_basis (str):
        origin_country (str):
        origin_node (str):
        outcome (str):
        programme_level (None | str):
        qualification (str):
        reasons (list[str]):
        version (int):
        processing_days (int | None | Unset): Days from the day the applicant's file was complete (the day the deadline
            starts, BRIEF §3) to the decision date; none when not known (decisions published before it was carried).
    """

    comparable_level: None | str
    decided_on: datetime.date
    host_country: str
    id: UUID
    institution_id: None | UUID
    institution_name: None | str
    legal_basis: str
    origin_country: str
    origin_node: str
    outcome: str
    programme_level: None | str
    qualification: str
    reasons: list[str]
    version: int
    processing_days: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        comparable_level: None | str
        comparable_level = self.comparable_level

        decided_on = self.decided_on.isoformat()

        host_country = self.host_country

        id = str(self.id)

        institution_id: None | str
        if isinstance(self.institution_id, UUID):
            institution_id = str(self.institution_id)
        else:
            institution_id = self.institution_id

        institution_name: None | str
        institution_name = self.institution_name

        legal_basis = self.legal_basis

        origin_country = self.origin_country

        origin_node = self.origin_node

        outcome = self.outcome

        programme_level: None | str
        programme_level = self.programme_level

        qualification = self.qualification

        reasons = self.reasons

        version = self.version

        processing_days: int | None | Unset
        if isinstance(self.processing_days, Unset):
            processing_days = UNSET
        else:
            processing_days = self.processing_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "comparable_level": comparable_level,
                "decided_on": decided_on,
                "host_country": host_country,
                "id": id,
                "institution_id": institution_id,
                "institution_name": institution_name,
                "legal_basis": legal_basis,
                "origin_country": origin_country,
                "origin_node": origin_node,
                "outcome": outcome,
                "programme_level": programme_level,
                "qualification": qualification,
                "reasons": reasons,
                "version": version,
            }
        )
        if processing_days is not UNSET:
            field_dict["processing_days"] = processing_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_comparable_level(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comparable_level = _parse_comparable_level(d.pop("comparable_level"))

        decided_on = datetime.date.fromisoformat(d.pop("decided_on"))

        host_country = d.pop("host_country")

        id = UUID(d.pop("id"))

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

        def _parse_institution_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        institution_name = _parse_institution_name(d.pop("institution_name"))

        legal_basis = d.pop("legal_basis")

        origin_country = d.pop("origin_country")

        origin_node = d.pop("origin_node")

        outcome = d.pop("outcome")

        def _parse_programme_level(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        programme_level = _parse_programme_level(d.pop("programme_level"))

        qualification = d.pop("qualification")

        reasons = cast(list[str], d.pop("reasons"))

        version = d.pop("version")

        def _parse_processing_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        processing_days = _parse_processing_days(d.pop("processing_days", UNSET))

        published_decision_read = cls(
            comparable_level=comparable_level,
            decided_on=decided_on,
            host_country=host_country,
            id=id,
            institution_id=institution_id,
            institution_name=institution_name,
            legal_basis=legal_basis,
            origin_country=origin_country,
            origin_node=origin_node,
            outcome=outcome,
            programme_level=programme_level,
            qualification=qualification,
            reasons=reasons,
            version=version,
            processing_days=processing_days,
        )

        published_decision_read.additional_properties = d
        return published_decision_read

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
