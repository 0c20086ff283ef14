from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="QualificationTitle")


@_attrs_define
class QualificationTitle:
    """
    Attributes:
        lang (str): ISO 639-1.
        value (str):
    """

    lang: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        lang = self.lang

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "lang": lang,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lang = d.pop("lang")

        value = d.pop("value")

        qualification_title = cls(
            lang=lang,
            value=value,
        )

        return qualification_title
