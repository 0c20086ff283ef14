from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="StatementCreate")


@_attrs_define
class StatementCreate:
    """A statement of recognition: the decision on a recognition case of this node, issued
    to its applicant.

        Attributes:
            case_id (UUID):
    """

    case_id: UUID

    def to_dict(self) -> dict[str, Any]:
        case_id = str(self.case_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "case_id": case_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        case_id = UUID(d.pop("case_id"))

        statement_create = cls(
            case_id=case_id,
        )

        return statement_create
