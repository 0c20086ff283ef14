from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LaRejection")


@_attrs_define
class LaRejection:
    """
    Attributes:
        reason (str):
        rejected_at (datetime.datetime):
        rejected_by (str):
    """

    reason: str
    rejected_at: datetime.datetime
    rejected_by: str

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        rejected_at = self.rejected_at.isoformat()

        rejected_by = self.rejected_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
                "rejected_at": rejected_at,
                "rejected_by": rejected_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        rejected_at = datetime.datetime.fromisoformat(d.pop("rejected_at"))

        rejected_by = d.pop("rejected_by")

        la_rejection = cls(
            reason=reason,
            rejected_at=rejected_at,
            rejected_by=rejected_by,
        )

        return la_rejection
