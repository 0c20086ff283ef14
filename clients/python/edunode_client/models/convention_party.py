from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConventionParty")


@_attrs_define
class ConventionParty:
    """
    Attributes:
        country (str):
        in_force_on (datetime.date): From this date the convention binds the country.
        source (str):
        verified (bool): False: the date is one by which the convention was certainly in force for the country (the
            source says which), not the exact date.
    """

    country: str
    in_force_on: datetime.date
    source: str
    verified: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        in_force_on = self.in_force_on.isoformat()

        source = self.source

        verified = self.verified

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "country": country,
                "in_force_on": in_force_on,
                "source": source,
                "verified": verified,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        country = d.pop("country")

        in_force_on = datetime.date.fromisoformat(d.pop("in_force_on"))

        source = d.pop("source")

        verified = d.pop("verified")

        convention_party = cls(
            country=country,
            in_force_on=in_force_on,
            source=source,
            verified=verified,
        )

        convention_party.additional_properties = d
        return convention_party

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
