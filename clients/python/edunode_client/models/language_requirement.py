from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.cefr_level import CefrLevel

T = TypeVar("T", bound="LanguageRequirement")


@_attrs_define
class LanguageRequirement:
    """
    Attributes:
        cefr_level (CefrLevel): The Common European Framework of Reference's levels.
        language (str): ISO 639-1 code, e.g. `en`.
    """

    cefr_level: CefrLevel
    language: str

    def to_dict(self) -> dict[str, Any]:
        cefr_level = self.cefr_level.value

        language = self.language

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cefr_level": cefr_level,
                "language": language,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cefr_level = CefrLevel(d.pop("cefr_level"))

        language = d.pop("language")

        language_requirement = cls(
            cefr_level=cefr_level,
            language=language,
        )

        return language_requirement
