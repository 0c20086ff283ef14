from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TranscriptCredit")


@_attrs_define
class TranscriptCredit:
    """
    Attributes:
        scheme (str): `ects` or a credit system's code.
        value (float):
    """

    scheme: str
    value: float

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

        transcript_credit = cls(
            scheme=scheme,
            value=value,
        )

        return transcript_credit
