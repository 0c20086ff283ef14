from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credit_system_hours_per_credit_type_0 import CreditSystemHoursPerCreditType0
    from ..models.source import Source


T = TypeVar("T", bound="CreditSystem")


@_attrs_define
class CreditSystem:
    """
    Attributes:
        assumption (str):
        code (str):
        ects_per_credit (float):
        name (str):
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        countries (list[str] | Unset):
        hours_per_credit (CreditSystemHoursPerCreditType0 | None | Unset):
        per_year_full_time (float | None | Unset):
    """

    assumption: str
    code: str
    ects_per_credit: float
    name: str
    source: Source
    countries: list[str] | Unset = UNSET
    hours_per_credit: CreditSystemHoursPerCreditType0 | None | Unset = UNSET
    per_year_full_time: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.credit_system_hours_per_credit_type_0 import CreditSystemHoursPerCreditType0  # noqa: PLC0415

        assumption = self.assumption

        code = self.code

        ects_per_credit = self.ects_per_credit

        name = self.name

        source = self.source.to_dict()

        countries: list[str] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries

        hours_per_credit: dict[str, Any] | None | Unset
        if isinstance(self.hours_per_credit, Unset):
            hours_per_credit = UNSET
        elif isinstance(self.hours_per_credit, CreditSystemHoursPerCreditType0):
            hours_per_credit = self.hours_per_credit.to_dict()
        else:
            hours_per_credit = self.hours_per_credit

        per_year_full_time: float | None | Unset
        if isinstance(self.per_year_full_time, Unset):
            per_year_full_time = UNSET
        else:
            per_year_full_time = self.per_year_full_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "assumption": assumption,
                "code": code,
                "ects_per_credit": ects_per_credit,
                "name": name,
                "source": source,
            }
        )
        if countries is not UNSET:
            field_dict["countries"] = countries
        if hours_per_credit is not UNSET:
            field_dict["hours_per_credit"] = hours_per_credit
        if per_year_full_time is not UNSET:
            field_dict["per_year_full_time"] = per_year_full_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credit_system_hours_per_credit_type_0 import CreditSystemHoursPerCreditType0  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        assumption = d.pop("assumption")

        code = d.pop("code")

        ects_per_credit = d.pop("ects_per_credit")

        name = d.pop("name")

        source = Source.from_dict(d.pop("source"))

        countries = cast(list[str], d.pop("countries", UNSET))

        def _parse_hours_per_credit(data: object) -> CreditSystemHoursPerCreditType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                hours_per_credit_type_0 = CreditSystemHoursPerCreditType0.from_dict(data)

                return hours_per_credit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreditSystemHoursPerCreditType0 | None | Unset, data)

        hours_per_credit = _parse_hours_per_credit(d.pop("hours_per_credit", UNSET))

        def _parse_per_year_full_time(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        per_year_full_time = _parse_per_year_full_time(d.pop("per_year_full_time", UNSET))

        credit_system = cls(
            assumption=assumption,
            code=code,
            ects_per_credit=ects_per_credit,
            name=name,
            source=source,
            countries=countries,
            hours_per_credit=hours_per_credit,
            per_year_full_time=per_year_full_time,
        )

        credit_system.additional_properties = d
        return credit_system

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
