from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.node_health_status import NodeHealthStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.node_health_services import NodeHealthServices


T = TypeVar("T", bound="NodeHealth")


@_attrs_define
class NodeHealth:
    """The node as a whole: `unhealthy` with something in `problems`, else `degraded` with
    something in `alarms`, else `healthy`.

        Attributes:
            healthy (bool): `status` is `healthy`.
            node (str):
            problems (list[str]): What makes the node unhealthy.
            services (NodeHealthServices): Each service's report; null where the service did not answer.
            status (NodeHealthStatus):
            warnings (list[str]): What deserves a look but does not stop the node.
            alarms (list[str] | Unset): What works but must not be left alone (events someone wrote into the node's own
                stream): the node is degraded.
    """

    healthy: bool
    node: str
    problems: list[str]
    services: NodeHealthServices
    status: NodeHealthStatus
    warnings: list[str]
    alarms: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        healthy = self.healthy

        node = self.node

        problems = self.problems

        services = self.services.to_dict()

        status = self.status.value

        warnings = self.warnings

        alarms: list[str] | Unset = UNSET
        if not isinstance(self.alarms, Unset):
            alarms = self.alarms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "healthy": healthy,
                "node": node,
                "problems": problems,
                "services": services,
                "status": status,
                "warnings": warnings,
            }
        )
        if alarms is not UNSET:
            field_dict["alarms"] = alarms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.node_health_services import NodeHealthServices  # noqa: PLC0415

        d = dict(src_dict)
        healthy = d.pop("healthy")

        node = d.pop("node")

        problems = cast(list[str], d.pop("problems"))

        services = NodeHealthServices.from_dict(d.pop("services"))

        status = NodeHealthStatus(d.pop("status"))

        warnings = cast(list[str], d.pop("warnings"))

        alarms = cast(list[str], d.pop("alarms", UNSET))

        node_health = cls(
            healthy=healthy,
            node=node,
            problems=problems,
            services=services,
            status=status,
            warnings=warnings,
            alarms=alarms,
        )

        node_health.additional_properties = d
        return node_health

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
