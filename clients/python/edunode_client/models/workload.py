from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Workload")


@_attrs_define
class Workload:
    """The notional workload needed to achieve the learning outcomes: in ECTS credits
    wherever possible, else in hours.

        Attributes:
            ects_credits (float | None | Unset):
            hours (float | None | Unset):
    """

    ects_credits: float | None | Unset = UNSET
    hours: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ects_credits: float | None | Unset
        if isinstance(self.ects_credits, Unset):
            ects_credits = UNSET
        else:
            ects_credits = self.ects_credits

        hours: float | None | Unset
        if isinstance(self.hours, Unset):
            hours = UNSET
        else:
            hours = self.hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ects_credits is not UNSET:
            field_dict["ects_credits"] = ects_credits
        if hours is not UNSET:
            field_dict["hours"] = hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_ects_credits(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ects_credits = _parse_ects_credits(d.pop("ects_credits", UNSET))

        def _parse_hours(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        hours = _parse_hours(d.pop("hours", UNSET))

        workload = cls(
            ects_credits=ects_credits,
            hours=hours,
        )

        return workload
