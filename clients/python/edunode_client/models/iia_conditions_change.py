from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.iia_conditions import IiaConditions


T = TypeVar("T", bound="IiaConditionsChange")


@_attrs_define
class IiaConditionsChange:
    """New conditions (replaced whole): the partner's approval is needed again.

    Attributes:
        conditions (IiaConditions): What both partners sign: the cooperation conditions and the academic years covered.
    """

    conditions: IiaConditions

    def to_dict(self) -> dict[str, Any]:
        conditions = self.conditions.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "conditions": conditions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iia_conditions import IiaConditions  # noqa: PLC0415

        d = dict(src_dict)
        conditions = IiaConditions.from_dict(d.pop("conditions"))

        iia_conditions_change = cls(
            conditions=conditions,
        )

        return iia_conditions_change
