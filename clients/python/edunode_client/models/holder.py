from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.holder_identifier import HolderIdentifier


T = TypeVar("T", bound="Holder")


@_attrs_define
class Holder:
    """The graduate. Personal data: it stays in this node's database and in the credential.

    Attributes:
        birth_date (datetime.date):
        family_name (str):
        given_name (str):
        identifier (HolderIdentifier):
    """

    birth_date: datetime.date
    family_name: str
    given_name: str
    identifier: HolderIdentifier

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        family_name = self.family_name

        given_name = self.given_name

        identifier = self.identifier.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "birth_date": birth_date,
                "family_name": family_name,
                "given_name": given_name,
                "identifier": identifier,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.holder_identifier import HolderIdentifier  # noqa: PLC0415

        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        family_name = d.pop("family_name")

        given_name = d.pop("given_name")

        identifier = HolderIdentifier.from_dict(d.pop("identifier"))

        holder = cls(
            birth_date=birth_date,
            family_name=family_name,
            given_name=given_name,
            identifier=identifier,
        )

        return holder
