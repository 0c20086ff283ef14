from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuditEntry")


@_attrs_define
class AuditEntry:
    """One write: who, what, when, from which request, and the record's versions before and
    after. References only: never a record's content.

        Attributes:
            action (str):
            actor_client_id (str): The API client; `node:<id>` for a peer's replicated event, `cli:<user>` for a command-
                line import, `system` for the node's own jobs.
            actor_roles (str):
            at (datetime.datetime):
            hash_ (str): SHA-256 of this entry's canonical form (docs/audit.md).
            prev_hash (str): `hash` of entry `seq - 1` (64 zeros for the first).
            record_id (str):
            record_type (str):
            seq (int): Position in the chain, from 1 without gaps.
            actor_node (None | str | Unset):
            request_id (None | str | Unset): The request's `X-Request-ID`, or the applied event's id.
            version_after (int | None | Unset):
            version_before (int | None | Unset):
    """

    action: str
    actor_client_id: str
    actor_roles: str
    at: datetime.datetime
    hash_: str
    prev_hash: str
    record_id: str
    record_type: str
    seq: int
    actor_node: None | str | Unset = UNSET
    request_id: None | str | Unset = UNSET
    version_after: int | None | Unset = UNSET
    version_before: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor_client_id = self.actor_client_id

        actor_roles = self.actor_roles

        at = self.at.isoformat()

        hash_ = self.hash_

        prev_hash = self.prev_hash

        record_id = self.record_id

        record_type = self.record_type

        seq = self.seq

        actor_node: None | str | Unset
        if isinstance(self.actor_node, Unset):
            actor_node = UNSET
        else:
            actor_node = self.actor_node

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        version_after: int | None | Unset
        if isinstance(self.version_after, Unset):
            version_after = UNSET
        else:
            version_after = self.version_after

        version_before: int | None | Unset
        if isinstance(self.version_before, Unset):
            version_before = UNSET
        else:
            version_before = self.version_before

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor_client_id": actor_client_id,
                "actor_roles": actor_roles,
                "at": at,
                "hash": hash_,
                "prev_hash": prev_hash,
                "record_id": record_id,
                "record_type": record_type,
                "seq": seq,
            }
        )
        if actor_node is not UNSET:
            field_dict["actor_node"] = actor_node
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if version_after is not UNSET:
            field_dict["version_after"] = version_after
        if version_before is not UNSET:
            field_dict["version_before"] = version_before

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        actor_client_id = d.pop("actor_client_id")

        actor_roles = d.pop("actor_roles")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        hash_ = d.pop("hash")

        prev_hash = d.pop("prev_hash")

        record_id = d.pop("record_id")

        record_type = d.pop("record_type")

        seq = d.pop("seq")

        def _parse_actor_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor_node = _parse_actor_node(d.pop("actor_node", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        def _parse_version_after(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version_after = _parse_version_after(d.pop("version_after", UNSET))

        def _parse_version_before(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version_before = _parse_version_before(d.pop("version_before", UNSET))

        audit_entry = cls(
            action=action,
            actor_client_id=actor_client_id,
            actor_roles=actor_roles,
            at=at,
            hash_=hash_,
            prev_hash=prev_hash,
            record_id=record_id,
            record_type=record_type,
            seq=seq,
            actor_node=actor_node,
            request_id=request_id,
            version_after=version_after,
            version_before=version_before,
        )

        audit_entry.additional_properties = d
        return audit_entry

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
