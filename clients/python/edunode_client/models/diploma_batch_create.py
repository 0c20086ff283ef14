from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.diploma_create import DiplomaCreate


T = TypeVar("T", bound="DiplomaBatchCreate")


@_attrs_define
class DiplomaBatchCreate:
    """
    Attributes:
        diplomas (list[DiplomaCreate]):
    """

    diplomas: list[DiplomaCreate]

    def to_dict(self) -> dict[str, Any]:
        diplomas = []
        for diplomas_item_data in self.diplomas:
            diplomas_item = diplomas_item_data.to_dict()
            diplomas.append(diplomas_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "diplomas": diplomas,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.diploma_create import DiplomaCreate  # noqa: PLC0415

        d = dict(src_dict)
        diplomas = []
        _diplomas = d.pop("diplomas")
        for diplomas_item_data in _diplomas:
            diplomas_item = DiplomaCreate.from_dict(diplomas_item_data)

            diplomas.append(diplomas_item)

        diploma_batch_create = cls(
            diplomas=diplomas,
        )

        return diploma_batch_create
