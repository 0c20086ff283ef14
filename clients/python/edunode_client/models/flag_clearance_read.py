from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.flag_level import FlagLevel

if TYPE_CHECKING:
    from ..models.flag_message import FlagMessage


T = TypeVar("T", bound="FlagClearanceRead")


@_attrs_define
class FlagClearanceRead:
    """
    Attributes:
        cleared_at (datetime.datetime):
        cleared_by (str):
        evaluation_id (UUID):
        evaluation_version (int):
        flag (FlagLevel):
        flag_messages (list[FlagMessage]):
        id (UUID):
        reason (str):
    """

    cleared_at: datetime.datetime
    cleared_by: str
    evaluation_id: UUID
    evaluation_version: int
    flag: FlagLevel
    flag_messages: list[FlagMessage]
    id: UUID
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cleared_at = self.cleared_at.isoformat()

        cleared_by = self.cleared_by

        evaluation_id = str(self.evaluation_id)

        evaluation_version = self.evaluation_version

        flag = self.flag.value

        flag_messages = []
        for flag_messages_item_data in self.flag_messages:
            flag_messages_item = flag_messages_item_data.to_dict()
            flag_messages.append(flag_messages_item)

        id = str(self.id)

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cleared_at": cleared_at,
                "cleared_by": cleared_by,
                "evaluation_id": evaluation_id,
                "evaluation_version": evaluation_version,
                "flag": flag,
                "flag_messages": flag_messages,
                "id": id,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flag_message import FlagMessage  # noqa: PLC0415

        d = dict(src_dict)
        cleared_at = datetime.datetime.fromisoformat(d.pop("cleared_at"))

        cleared_by = d.pop("cleared_by")

        evaluation_id = UUID(d.pop("evaluation_id"))

        evaluation_version = d.pop("evaluation_version")

        flag = FlagLevel(d.pop("flag"))

        flag_messages = []
        _flag_messages = d.pop("flag_messages")
        for flag_messages_item_data in _flag_messages:
            flag_messages_item = FlagMessage.from_dict(flag_messages_item_data)

            flag_messages.append(flag_messages_item)

        id = UUID(d.pop("id"))

        reason = d.pop("reason")

        flag_clearance_read = cls(
            cleared_at=cleared_at,
            cleared_by=cleared_by,
            evaluation_id=evaluation_id,
            evaluation_version=evaluation_version,
            flag=flag,
            flag_messages=flag_messages,
            id=id,
            reason=reason,
        )

        flag_clearance_read.additional_properties = d
        return flag_clearance_read

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
