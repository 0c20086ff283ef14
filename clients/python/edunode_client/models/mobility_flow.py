from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MobilityFlow")


@_attrs_define
class MobilityFlow:
    """Students accepted for a stay from one country to another, in one broad field and
    level, in one academic year.

        Attributes:
            eqf_level (int):
            isced_f (str): ISCED-F 2013 broad field.
            receiving_country (None | str):
            sending_country (None | str): ISO 3166-1 alpha-2 of the sending node (null if it covers several).
            students (int):
    """

    eqf_level: int
    isced_f: str
    receiving_country: None | str
    sending_country: None | str
    students: int

    def to_dict(self) -> dict[str, Any]:
        eqf_level = self.eqf_level

        isced_f = self.isced_f

        receiving_country: None | str
        receiving_country = self.receiving_country

        sending_country: None | str
        sending_country = self.sending_country

        students = self.students

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "eqf_level": eqf_level,
                "isced_f": isced_f,
                "receiving_country": receiving_country,
                "sending_country": sending_country,
                "students": students,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        eqf_level = d.pop("eqf_level")

        isced_f = d.pop("isced_f")

        def _parse_receiving_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        receiving_country = _parse_receiving_country(d.pop("receiving_country"))

        def _parse_sending_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sending_country = _parse_sending_country(d.pop("sending_country"))

        students = d.pop("students")

        mobility_flow = cls(
            eqf_level=eqf_level,
            isced_f=isced_f,
            receiving_country=receiving_country,
            sending_country=sending_country,
            students=students,
        )

        return mobility_flow
