from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SuspensionCreate")


@_attrs_define
class SuspensionCreate:
    """
    Attributes:
        reason (str): Why (kept on this node: it may speak of the holder; verifiers read only that the credential is
            suspended).
    """

    reason: str

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        suspension_create = cls(
            reason=reason,
        )

        return suspension_create
