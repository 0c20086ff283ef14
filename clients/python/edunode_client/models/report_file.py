from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportFile")


@_attrs_define
class ReportFile:
    """
    Attributes:
        url (str):
        languages (list[str] | Unset):
    """

    url: str
    languages: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        languages: list[str] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = self.languages

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if languages is not UNSET:
            field_dict["languages"] = languages

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        languages = cast(list[str], d.pop("languages", UNSET))

        report_file = cls(
            url=url,
            languages=languages,
        )

        return report_file
