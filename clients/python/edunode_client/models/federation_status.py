from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.divergence import Divergence
    from ..models.federation_status_records import FederationStatusRecords
    from ..models.peer_status import PeerStatus


T = TypeVar("T", bound="FederationStatus")


@_attrs_define
class FederationStatus:
    """How this node stands in the federation. Compare `records` between nodes: equal counts
    and checksums mean the same records at the same versions; within the node, every
    service's copy of a record type must match the type (`divergent` lists those that do
    not).

        Attributes:
            divergent (list[Divergence]): Copies that differ from their record type here. Transient while events are
                pending; otherwise a replica was changed behind the events' back: `edunode federation resync` rebuilds it from
                the owner's signed records.
            events_pending (int): Peers' events in the replica stream not yet applied by this node's services.
            node (str):
            own_stream_refused (int): Events found in this node's own stream that it did not sign (or that failed their
                checks), quarantined: someone wrote into the node's stream. An alarm.
            peers (list[PeerStatus]):
            quarantined (int): The peers' events refused here.
            records (FederationStatusRecords): Per record type, and per service's copy of it (`<type>@<service>`).
            unavailable_services (list[str] | Unset): Services that did not answer; their records are missing.
    """

    divergent: list[Divergence]
    events_pending: int
    node: str
    own_stream_refused: int
    peers: list[PeerStatus]
    quarantined: int
    records: FederationStatusRecords
    unavailable_services: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        divergent = []
        for divergent_item_data in self.divergent:
            divergent_item = divergent_item_data.to_dict()
            divergent.append(divergent_item)

        events_pending = self.events_pending

        node = self.node

        own_stream_refused = self.own_stream_refused

        peers = []
        for peers_item_data in self.peers:
            peers_item = peers_item_data.to_dict()
            peers.append(peers_item)

        quarantined = self.quarantined

        records = self.records.to_dict()

        unavailable_services: list[str] | Unset = UNSET
        if not isinstance(self.unavailable_services, Unset):
            unavailable_services = self.unavailable_services

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "divergent": divergent,
                "events_pending": events_pending,
                "node": node,
                "own_stream_refused": own_stream_refused,
                "peers": peers,
                "quarantined": quarantined,
                "records": records,
            }
        )
        if unavailable_services is not UNSET:
            field_dict["unavailable_services"] = unavailable_services

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.divergence import Divergence  # noqa: PLC0415
        from ..models.federation_status_records import FederationStatusRecords  # noqa: PLC0415
        from ..models.peer_status import PeerStatus  # noqa: PLC0415

        d = dict(src_dict)
        divergent = []
        _divergent = d.pop("divergent")
        for divergent_item_data in _divergent:
            divergent_item = Divergence.from_dict(divergent_item_data)

            divergent.append(divergent_item)

        events_pending = d.pop("events_pending")

        node = d.pop("node")

        own_stream_refused = d.pop("own_stream_refused")

        peers = []
        _peers = d.pop("peers")
        for peers_item_data in _peers:
            peers_item = PeerStatus.from_dict(peers_item_data)

            peers.append(peers_item)

        quarantined = d.pop("quarantined")

        records = FederationStatusRecords.from_dict(d.pop("records"))

        unavailable_services = cast(list[str], d.pop("unavailable_services", UNSET))

        federation_status = cls(
            divergent=divergent,
            events_pending=events_pending,
            node=node,
            own_stream_refused=own_stream_refused,
            peers=peers,
            quarantined=quarantined,
            records=records,
            unavailable_services=unavailable_services,
        )

        federation_status.additional_properties = d
        return federation_status

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
