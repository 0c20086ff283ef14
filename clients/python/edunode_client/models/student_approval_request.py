from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="StudentApprovalRequest")


@_attrs_define
class StudentApprovalRequest:
    """The student's approval: their token and the digest of the version they read.

    Attributes:
        digest (str):
        token (str):
    """

    digest: str
    token: str

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        token = self.token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "digest": digest,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        digest = d.pop("digest")

        token = d.pop("token")

        student_approval_request = cls(
            digest=digest,
            token=token,
        )

        return student_approval_request
