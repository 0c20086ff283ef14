from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LaRejectionRequest")


@_attrs_define
class LaRejectionRequest:
    """
    Attributes:
        digest (str):
        reason (str):
    """

    digest: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "digest": digest,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        digest = d.pop("digest")

        reason = d.pop("reason")

        la_rejection_request = cls(
            digest=digest,
            reason=reason,
        )

        return la_rejection_request
