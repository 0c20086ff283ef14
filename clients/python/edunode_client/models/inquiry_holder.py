from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="InquiryHolder")


@_attrs_define
class InquiryHolder:
    """
    Attributes:
        birth_date (datetime.date):
        family_name (str):
        given_name (str):
        identifier_scheme (None | str | Unset):
        identifier_value (None | str | Unset):
    """

    birth_date: datetime.date
    family_name: str
    given_name: str
    identifier_scheme: None | str | Unset = UNSET
    identifier_value: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        family_name = self.family_name

        given_name = self.given_name

        identifier_scheme: None | str | Unset
        if isinstance(self.identifier_scheme, Unset):
            identifier_scheme = UNSET
        else:
            identifier_scheme = self.identifier_scheme

        identifier_value: None | str | Unset
        if isinstance(self.identifier_value, Unset):
            identifier_value = UNSET
        else:
            identifier_value = self.identifier_value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "birth_date": birth_date,
                "family_name": family_name,
                "given_name": given_name,
            }
        )
        if identifier_scheme is not UNSET:
            field_dict["identifier_scheme"] = identifier_scheme
        if identifier_value is not UNSET:
            field_dict["identifier_value"] = identifier_value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        def _parse_identifier_scheme(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier_scheme = _parse_identifier_scheme(d.pop("identifier_scheme", UNSET))

        def _parse_identifier_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier_value = _parse_identifier_value(d.pop("identifier_value", UNSET))

        inquiry_holder = cls(
            birth_date=birth_date,
            family_name=family_name,
            given_name=given_name,
            identifier_scheme=identifier_scheme,
            identifier_value=identifier_value,
        )

        return inquiry_holder
