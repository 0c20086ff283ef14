from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.la_components import LaComponents


T = TypeVar("T", bound="LaProposal")


@_attrs_define
class LaProposal:
    """The components of a nominated student's stay, proposed by the sending institution.

    Attributes:
        components (LaComponents): What the three parties approve: the components abroad and those they replace at home.
        nomination_id (UUID):
    """

    components: LaComponents
    nomination_id: UUID

    def to_dict(self) -> dict[str, Any]:
        components = self.components.to_dict()

        nomination_id = str(self.nomination_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "components": components,
                "nomination_id": nomination_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.la_components import LaComponents  # noqa: PLC0415

        d = dict(src_dict)
        components = LaComponents.from_dict(d.pop("components"))

        nomination_id = UUID(d.pop("nomination_id"))

        la_proposal = cls(
            components=components,
            nomination_id=nomination_id,
        )

        return la_proposal
