from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PeerStatus")


@_attrs_define
class PeerStatus:
    """
    Attributes:
        connected (bool): Its JetStream domain answers through the hub now.
        id (str):
        last_event_at (datetime.datetime | None): Time of the newest of its events applied here.
        quarantined (int): Its events refused here (signature, authority, replay).
        source_lag (int | None): Its events not yet copied into this node's replica stream.
    """

    connected: bool
    id: str
    last_event_at: datetime.datetime | None
    quarantined: int
    source_lag: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connected = self.connected

        id = self.id

        last_event_at: None | str
        if isinstance(self.last_event_at, datetime.datetime):
            last_event_at = self.last_event_at.isoformat()
        else:
            last_event_at = self.last_event_at

        quarantined = self.quarantined

        source_lag: int | None
        source_lag = self.source_lag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connected": connected,
                "id": id,
                "last_event_at": last_event_at,
                "quarantined": quarantined,
                "source_lag": source_lag,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        connected = d.pop("connected")

        id = d.pop("id")

        def _parse_last_event_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_event_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_event_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_event_at = _parse_last_event_at(d.pop("last_event_at"))

        quarantined = d.pop("quarantined")

        def _parse_source_lag(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        source_lag = _parse_source_lag(d.pop("source_lag"))

        peer_status = cls(
            connected=connected,
            id=id,
            last_event_at=last_event_at,
            quarantined=quarantined,
            source_lag=source_lag,
        )

        peer_status.additional_properties = d
        return peer_status

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
