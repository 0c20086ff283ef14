from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.la_components import LaComponents


T = TypeVar("T", bound="LaChange")


@_attrs_define
class LaChange:
    """New components (replaced whole): a new version the three parties approve again.

    Attributes:
        components (LaComponents): What the three parties approve: the components abroad and those they replace at home.
    """

    components: LaComponents

    def to_dict(self) -> dict[str, Any]:
        components = self.components.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "components": components,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.la_components import LaComponents  # noqa: PLC0415

        d = dict(src_dict)
        components = LaComponents.from_dict(d.pop("components"))

        la_change = cls(
            components=components,
        )

        return la_change
