from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consumer_health import ConsumerHealth
    from ..models.outbox_health import OutboxHealth
    from ..models.service_health_checks import ServiceHealthChecks


T = TypeVar("T", bound="ServiceHealth")


@_attrs_define
class ServiceHealth:
    """One service's own report.

    Attributes:
        checks (ServiceHealthChecks): Each readiness check: `ok` or why it fails.
        consumers (list[ConsumerHealth]):
        dead_letters (int): Events its consumers gave up on, all time.
        outbox (OutboxHealth):
        quarantined (int): Replicated events refused (never applied), all time.
        ready (bool):
        service (str):
        own_stream_refused (int | Unset): Of those, events found in the node's own stream that it did not sign (or that
            failed their checks): someone wrote into the node's stream. An alarm. Default: 0.
    """

    checks: ServiceHealthChecks
    consumers: list[ConsumerHealth]
    dead_letters: int
    outbox: OutboxHealth
    quarantined: int
    ready: bool
    service: str
    own_stream_refused: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checks = self.checks.to_dict()

        consumers = []
        for consumers_item_data in self.consumers:
            consumers_item = consumers_item_data.to_dict()
            consumers.append(consumers_item)

        dead_letters = self.dead_letters

        outbox = self.outbox.to_dict()

        quarantined = self.quarantined

        ready = self.ready

        service = self.service

        own_stream_refused = self.own_stream_refused

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checks": checks,
                "consumers": consumers,
                "dead_letters": dead_letters,
                "outbox": outbox,
                "quarantined": quarantined,
                "ready": ready,
                "service": service,
            }
        )
        if own_stream_refused is not UNSET:
            field_dict["own_stream_refused"] = own_stream_refused

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consumer_health import ConsumerHealth  # noqa: PLC0415
        from ..models.outbox_health import OutboxHealth  # noqa: PLC0415
        from ..models.service_health_checks import ServiceHealthChecks  # noqa: PLC0415

        d = dict(src_dict)
        checks = ServiceHealthChecks.from_dict(d.pop("checks"))

        consumers = []
        _consumers = d.pop("consumers")
        for consumers_item_data in _consumers:
            consumers_item = ConsumerHealth.from_dict(consumers_item_data)

            consumers.append(consumers_item)

        dead_letters = d.pop("dead_letters")

        outbox = OutboxHealth.from_dict(d.pop("outbox"))

        quarantined = d.pop("quarantined")

        ready = d.pop("ready")

        service = d.pop("service")

        own_stream_refused = d.pop("own_stream_refused", UNSET)

        service_health = cls(
            checks=checks,
            consumers=consumers,
            dead_letters=dead_letters,
            outbox=outbox,
            quarantined=quarantined,
            ready=ready,
            service=service,
            own_stream_refused=own_stream_refused,
        )

        service_health.additional_properties = d
        return service_health

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
