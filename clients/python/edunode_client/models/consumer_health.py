from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsumerHealth")


@_attrs_define
class ConsumerHealth:
    """
    Attributes:
        ack_pending (int | None): Delivered, not yet acknowledged.
        name (str):
        pending (int | None): Consumer lag: messages not yet delivered (null: the broker did not say).
        stream (str):
    """

    ack_pending: int | None
    name: str
    pending: int | None
    stream: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ack_pending: int | None
        ack_pending = self.ack_pending

        name = self.name

        pending: int | None
        pending = self.pending

        stream = self.stream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ack_pending": ack_pending,
                "name": name,
                "pending": pending,
                "stream": stream,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_ack_pending(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        ack_pending = _parse_ack_pending(d.pop("ack_pending"))

        name = d.pop("name")

        def _parse_pending(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pending = _parse_pending(d.pop("pending"))

        stream = d.pop("stream")

        consumer_health = cls(
            ack_pending=ack_pending,
            name=name,
            pending=pending,
            stream=stream,
        )

        consumer_health.additional_properties = d
        return consumer_health

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
