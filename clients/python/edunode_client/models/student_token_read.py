from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StudentTokenRead")


@_attrs_define
class StudentTokenRead:
    """A single-use token for the student to approve one version: the sending coordinator
    hands it to the student (e-mail, the institution's portal); it is shown once.

        Attributes:
            digest (str):
            expires_at (datetime.datetime):
            learning_agreement_id (UUID):
            revision (int):
            token (str):
    """

    digest: str
    expires_at: datetime.datetime
    learning_agreement_id: UUID
    revision: int
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        digest = self.digest

        expires_at = self.expires_at.isoformat()

        learning_agreement_id = str(self.learning_agreement_id)

        revision = self.revision

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "digest": digest,
                "expires_at": expires_at,
                "learning_agreement_id": learning_agreement_id,
                "revision": revision,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        digest = d.pop("digest")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        learning_agreement_id = UUID(d.pop("learning_agreement_id"))

        revision = d.pop("revision")

        token = d.pop("token")

        student_token_read = cls(
            digest=digest,
            expires_at=expires_at,
            learning_agreement_id=learning_agreement_id,
            revision=revision,
            token=token,
        )

        student_token_read.additional_properties = d
        return student_token_read

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
