from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_status import CaseStatus
from ..models.purpose import Purpose

T = TypeVar("T", bound="CaseSummary")


@_attrs_define
class CaseSummary:
    """A case in a list: no personal data. `overdue` and `due_within_7_days` are judged on the
    list's `as_of` (default today).

        Attributes:
            completed_on (datetime.date | None):
            country (str):
            deadline_on (datetime.date | None):
            due_within_7_days (bool): Not overdue, and the deadline at most seven days ahead (the clock running).
            id (UUID):
            overdue (bool):
            purpose (Purpose):
            status (CaseStatus):
            target_level (str):
            title (str):
            version (int):
    """

    completed_on: datetime.date | None
    country: str
    deadline_on: datetime.date | None
    due_within_7_days: bool
    id: UUID
    overdue: bool
    purpose: Purpose
    status: CaseStatus
    target_level: str
    title: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        completed_on: None | str
        if isinstance(self.completed_on, datetime.date):
            completed_on = self.completed_on.isoformat()
        else:
            completed_on = self.completed_on

        country = self.country

        deadline_on: None | str
        if isinstance(self.deadline_on, datetime.date):
            deadline_on = self.deadline_on.isoformat()
        else:
            deadline_on = self.deadline_on

        due_within_7_days = self.due_within_7_days

        id = str(self.id)

        overdue = self.overdue

        purpose = self.purpose.value

        status = self.status.value

        target_level = self.target_level

        title = self.title

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completed_on": completed_on,
                "country": country,
                "deadline_on": deadline_on,
                "due_within_7_days": due_within_7_days,
                "id": id,
                "overdue": overdue,
                "purpose": purpose,
                "status": status,
                "target_level": target_level,
                "title": title,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_completed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_on_type_0 = datetime.date.fromisoformat(data)

                return completed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        completed_on = _parse_completed_on(d.pop("completed_on"))

        country = d.pop("country")

        def _parse_deadline_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_on_type_0 = datetime.date.fromisoformat(data)

                return deadline_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        deadline_on = _parse_deadline_on(d.pop("deadline_on"))

        due_within_7_days = d.pop("due_within_7_days")

        id = UUID(d.pop("id"))

        overdue = d.pop("overdue")

        purpose = Purpose(d.pop("purpose"))

        status = CaseStatus(d.pop("status"))

        target_level = d.pop("target_level")

        title = d.pop("title")

        version = d.pop("version")

        case_summary = cls(
            completed_on=completed_on,
            country=country,
            deadline_on=deadline_on,
            due_within_7_days=due_within_7_days,
            id=id,
            overdue=overdue,
            purpose=purpose,
            status=status,
            target_level=target_level,
            title=title,
            version=version,
        )

        case_summary.additional_properties = d
        return case_summary

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
