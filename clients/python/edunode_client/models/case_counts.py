from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CaseCounts")


@_attrs_define
class CaseCounts:
    """The open cases of this node, and how many of them are late or due within seven days.

    Attributes:
        as_of (datetime.date): The day the deadlines are judged on.
        due_within_7_days (int): Open cases not overdue whose deadline is at most seven days ahead.
        open_ (int): Cases not closed (decided, appeal decided, withdrawn): `?open=true`.
        overdue (int): Open cases past their deadline (`?overdue=true`).
    """

    as_of: datetime.date
    due_within_7_days: int
    open_: int
    overdue: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        due_within_7_days = self.due_within_7_days

        open_ = self.open_

        overdue = self.overdue

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "due_within_7_days": due_within_7_days,
                "open": open_,
                "overdue": overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        due_within_7_days = d.pop("due_within_7_days")

        open_ = d.pop("open")

        overdue = d.pop("overdue")

        case_counts = cls(
            as_of=as_of,
            due_within_7_days=due_within_7_days,
            open_=open_,
            overdue=overdue,
        )

        case_counts.additional_properties = d
        return case_counts

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
