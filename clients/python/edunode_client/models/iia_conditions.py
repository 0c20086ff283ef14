from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.cooperation_condition import CooperationCondition


T = TypeVar("T", bound="IiaConditions")


@_attrs_define
class IiaConditions:
    """What both partners sign: the cooperation conditions and the academic years covered.

    Attributes:
        academic_years (list[str]): Academic years covered, `2026/2027`, consecutive years each.
        cooperation_conditions (list[CooperationCondition]):
    """

    academic_years: list[str]
    cooperation_conditions: list[CooperationCondition]

    def to_dict(self) -> dict[str, Any]:
        academic_years = self.academic_years

        cooperation_conditions = []
        for cooperation_conditions_item_data in self.cooperation_conditions:
            cooperation_conditions_item = cooperation_conditions_item_data.to_dict()
            cooperation_conditions.append(cooperation_conditions_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "academic_years": academic_years,
                "cooperation_conditions": cooperation_conditions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cooperation_condition import CooperationCondition  # noqa: PLC0415

        d = dict(src_dict)
        academic_years = cast(list[str], d.pop("academic_years"))

        cooperation_conditions = []
        _cooperation_conditions = d.pop("cooperation_conditions")
        for cooperation_conditions_item_data in _cooperation_conditions:
            cooperation_conditions_item = CooperationCondition.from_dict(cooperation_conditions_item_data)

            cooperation_conditions.append(cooperation_conditions_item)

        iia_conditions = cls(
            academic_years=academic_years,
            cooperation_conditions=cooperation_conditions,
        )

        return iia_conditions
