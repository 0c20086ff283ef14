from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="EvaluationCredentialCreate")


@_attrs_define
class EvaluationCredentialCreate:
    """A QA agency's evaluation (as the node's quality service publishes it) as a public
    credential.

        Attributes:
            evaluation_id (UUID):
    """

    evaluation_id: UUID

    def to_dict(self) -> dict[str, Any]:
        evaluation_id = str(self.evaluation_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "evaluation_id": evaluation_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        evaluation_id = UUID(d.pop("evaluation_id"))

        evaluation_credential_create = cls(
            evaluation_id=evaluation_id,
        )

        return evaluation_credential_create
