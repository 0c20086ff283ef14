from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.case_status import CaseStatus

T = TypeVar("T", bound="StatusChangeRequest")


@_attrs_define
class StatusChangeRequest:
    """
    Attributes:
        legal_reason (str):
        to (CaseStatus):
    """

    legal_reason: str
    to: CaseStatus

    def to_dict(self) -> dict[str, Any]:
        legal_reason = self.legal_reason

        to = self.to.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "legal_reason": legal_reason,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        legal_reason = d.pop("legal_reason")

        to = CaseStatus(d.pop("to"))

        status_change_request = cls(
            legal_reason=legal_reason,
            to=to,
        )

        return status_change_request
