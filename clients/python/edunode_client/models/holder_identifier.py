from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="HolderIdentifier")


@_attrs_define
class HolderIdentifier:
    """
    Attributes:
        scheme (str): e.g. `national-id`, `passport`, `student-id`
        value (str):
    """

    scheme: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = d.pop("scheme")

        value = d.pop("value")

        holder_identifier = cls(
            scheme=scheme,
            value=value,
        )

        return holder_identifier
