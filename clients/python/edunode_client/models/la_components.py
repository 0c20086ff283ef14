from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.la_component import LaComponent
    from ..models.la_home_component import LaHomeComponent


T = TypeVar("T", bound="LaComponents")


@_attrs_define
class LaComponents:
    """What the three parties approve: the components abroad and those they replace at home.

    Attributes:
        abroad (list[LaComponent]):
        home (list[LaHomeComponent]):
    """

    abroad: list[LaComponent]
    home: list[LaHomeComponent]

    def to_dict(self) -> dict[str, Any]:
        abroad = []
        for abroad_item_data in self.abroad:
            abroad_item = abroad_item_data.to_dict()
            abroad.append(abroad_item)

        home = []
        for home_item_data in self.home:
            home_item = home_item_data.to_dict()
            home.append(home_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "abroad": abroad,
                "home": home,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.la_component import LaComponent  # noqa: PLC0415
        from ..models.la_home_component import LaHomeComponent  # noqa: PLC0415

        d = dict(src_dict)
        abroad = []
        _abroad = d.pop("abroad")
        for abroad_item_data in _abroad:
            abroad_item = LaComponent.from_dict(abroad_item_data)

            abroad.append(abroad_item)

        home = []
        _home = d.pop("home")
        for home_item_data in _home:
            home_item = LaHomeComponent.from_dict(home_item_data)

            home.append(home_item)

        la_components = cls(
            abroad=abroad,
            home=home,
        )

        return la_components
