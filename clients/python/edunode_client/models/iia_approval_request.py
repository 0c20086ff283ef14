from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="IiaApprovalRequest")


@_attrs_define
class IiaApprovalRequest:
    """The digest of the conditions being approved, as the agreement showed them: a stale one
    is refused (409), so nobody approves conditions they have not seen.

        Attributes:
            digest (str):
    """

    digest: str

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "digest": digest,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        digest = d.pop("digest")

        iia_approval_request = cls(
            digest=digest,
        )

        return iia_approval_request
