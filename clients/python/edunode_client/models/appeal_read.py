from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AppealRead")


@_attrs_define
class AppealRead:
    """
    Attributes:
        case_id (UUID):
        decided_by (None | str):
        decided_on (datetime.date | None):
        grounds (None | str):
        justification (None | str):
        lodged_by (str):
        lodged_on (datetime.date):
        new_outcome (None | str):
        outcome (None | str):
    """

    case_id: UUID
    decided_by: None | str
    decided_on: datetime.date | None
    grounds: None | str
    justification: None | str
    lodged_by: str
    lodged_on: datetime.date
    new_outcome: None | str
    outcome: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        case_id = str(self.case_id)

        decided_by: None | str
        decided_by = self.decided_by

        decided_on: None | str
        if isinstance(self.decided_on, datetime.date):
            decided_on = self.decided_on.isoformat()
        else:
            decided_on = self.decided_on

        grounds: None | str
        grounds = self.grounds

        justification: None | str
        justification = self.justification

        lodged_by = self.lodged_by

        lodged_on = self.lodged_on.isoformat()

        new_outcome: None | str
        new_outcome = self.new_outcome

        outcome: None | str
        outcome = self.outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "case_id": case_id,
                "decided_by": decided_by,
                "decided_on": decided_on,
                "grounds": grounds,
                "justification": justification,
                "lodged_by": lodged_by,
                "lodged_on": lodged_on,
                "new_outcome": new_outcome,
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        case_id = UUID(d.pop("case_id"))

        def _parse_decided_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decided_by = _parse_decided_by(d.pop("decided_by"))

        def _parse_decided_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_on_type_0 = datetime.date.fromisoformat(data)

                return decided_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        decided_on = _parse_decided_on(d.pop("decided_on"))

        def _parse_grounds(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        grounds = _parse_grounds(d.pop("grounds"))

        def _parse_justification(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        justification = _parse_justification(d.pop("justification"))

        lodged_by = d.pop("lodged_by")

        lodged_on = datetime.date.fromisoformat(d.pop("lodged_on"))

        def _parse_new_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        new_outcome = _parse_new_outcome(d.pop("new_outcome"))

        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))

        appeal_read = cls(
            case_id=case_id,
            decided_by=decided_by,
            decided_on=decided_on,
            grounds=grounds,
            justification=justification,
            lodged_by=lodged_by,
            lodged_on=lodged_on,
            new_outcome=new_outcome,
            outcome=outcome,
        )

        appeal_read.additional_properties = d
        return appeal_read

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
