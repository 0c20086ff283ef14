from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.iia_conditions import IiaConditions
    from ..models.iia_partner import IiaPartner


T = TypeVar("T", bound="IiaProposal")


@_attrs_define
class IiaProposal:
    """A proposal from the caller's institution to `partner` (an institution of another
    node, by its directory id and node).

        Attributes:
            conditions (IiaConditions): What both partners sign: the cooperation conditions and the academic years covered.
            partner (IiaPartner):
    """

    conditions: IiaConditions
    partner: IiaPartner

    def to_dict(self) -> dict[str, Any]:
        conditions = self.conditions.to_dict()

        partner = self.partner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "conditions": conditions,
                "partner": partner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iia_conditions import IiaConditions  # noqa: PLC0415
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415

        d = dict(src_dict)
        conditions = IiaConditions.from_dict(d.pop("conditions"))

        partner = IiaPartner.from_dict(d.pop("partner"))

        iia_proposal = cls(
            conditions=conditions,
            partner=partner,
        )

        return iia_proposal
