from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="QualificationLevel")


@_attrs_define
class QualificationLevel:
    """A level on a qualifications framework: the issuing country's NQF or a regional one it
    is referenced to (e.g. `EQF` 6, `AQRF` 6).

        Attributes:
            framework (str):
            level (str):
    """

    framework: str
    level: str

    def to_dict(self) -> dict[str, Any]:
        framework = self.framework

        level = self.level

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "framework": framework,
                "level": level,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        framework = d.pop("framework")

        level = d.pop("level")

        qualification_level = cls(
            framework=framework,
            level=level,
        )

        return qualification_level
