from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_status import CaseStatus

T = TypeVar("T", bound="HistoryEntry")


@_attrs_define
class HistoryEntry:
    """
    Attributes:
        actor (str):
        at (datetime.datetime):
        from_status (CaseStatus | None):
        legal_reason (str):
        to_status (CaseStatus):
    """

    actor: str
    at: datetime.datetime
    from_status: CaseStatus | None
    legal_reason: str
    to_status: CaseStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        at = self.at.isoformat()

        from_status: None | str
        if isinstance(self.from_status, CaseStatus):
            from_status = self.from_status.value
        else:
            from_status = self.from_status

        legal_reason = self.legal_reason

        to_status = self.to_status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "at": at,
                "from_status": from_status,
                "legal_reason": legal_reason,
                "to_status": to_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        actor = d.pop("actor")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_from_status(data: object) -> CaseStatus | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_status_type_0 = CaseStatus(data)

                return from_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CaseStatus | None, data)

        from_status = _parse_from_status(d.pop("from_status"))

        legal_reason = d.pop("legal_reason")

        to_status = CaseStatus(d.pop("to_status"))

        history_entry = cls(
            actor=actor,
            at=at,
            from_status=from_status,
            legal_reason=legal_reason,
            to_status=to_status,
        )

        history_entry.additional_properties = d
        return history_entry

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
