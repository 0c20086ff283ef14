from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.activity_type import ActivityType
from ..models.decision import Decision

T = TypeVar("T", bound="JustifyingEvaluation")


@_attrs_define
class JustifyingEvaluation:
    """
    Attributes:
        activity_type (ActivityType): What an agency evaluates (DEQAR activity types).
        agency_id (UUID):
        decision (Decision): An evaluation's decision (DEQAR's values, BRIEF §3).
        id (UUID):
        local_identifier (str):
        valid_from (datetime.date):
        valid_to (datetime.date):
    """

    activity_type: ActivityType
    agency_id: UUID
    decision: Decision
    id: UUID
    local_identifier: str
    valid_from: datetime.date
    valid_to: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        activity_type = self.activity_type.value

        agency_id = str(self.agency_id)

        decision = self.decision.value

        id = str(self.id)

        local_identifier = self.local_identifier

        valid_from = self.valid_from.isoformat()

        valid_to = self.valid_to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "activity_type": activity_type,
                "agency_id": agency_id,
                "decision": decision,
                "id": id,
                "local_identifier": local_identifier,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activity_type = ActivityType(d.pop("activity_type"))

        agency_id = UUID(d.pop("agency_id"))

        decision = Decision(d.pop("decision"))

        id = UUID(d.pop("id"))

        local_identifier = d.pop("local_identifier")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        valid_to = datetime.date.fromisoformat(d.pop("valid_to"))

        justifying_evaluation = cls(
            activity_type=activity_type,
            agency_id=agency_id,
            decision=decision,
            id=id,
            local_identifier=local_identifier,
            valid_from=valid_from,
            valid_to=valid_to,
        )

        justifying_evaluation.additional_properties = d
        return justifying_evaluation

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
