from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.mobility_flow import MobilityFlow


T = TypeVar("T", bound="MobilityStatisticsState")


@_attrs_define
class MobilityStatisticsState:
    """`mobility.statistics.updated`: one node's outgoing flows in one academic year, public
    and anonymous (no person, no institution; flows under 5 students left out).

        Attributes:
            academic_year (str):
            flows (list[MobilityFlow]):
            id (UUID):
            origin_node (str):
            updated_at (datetime.datetime):
    """

    academic_year: str
    flows: list[MobilityFlow]
    id: UUID
    origin_node: str
    updated_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        academic_year = self.academic_year

        flows = []
        for flows_item_data in self.flows:
            flows_item = flows_item_data.to_dict()
            flows.append(flows_item)

        id = str(self.id)

        origin_node = self.origin_node

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "academic_year": academic_year,
                "flows": flows,
                "id": id,
                "origin_node": origin_node,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mobility_flow import MobilityFlow  # noqa: PLC0415

        d = dict(src_dict)
        academic_year = d.pop("academic_year")

        flows = []
        _flows = d.pop("flows")
        for flows_item_data in _flows:
            flows_item = MobilityFlow.from_dict(flows_item_data)

            flows.append(flows_item)

        id = UUID(d.pop("id"))

        origin_node = d.pop("origin_node")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        mobility_statistics_state = cls(
            academic_year=academic_year,
            flows=flows,
            id=id,
            origin_node=origin_node,
            updated_at=updated_at,
        )

        return mobility_statistics_state
