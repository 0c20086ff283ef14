from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.issued_credential_read_credential import IssuedCredentialReadCredential


T = TypeVar("T", bound="IssuedCredentialRead")


@_attrs_define
class IssuedCredentialRead:
    """
    Attributes:
        credential (IssuedCredentialReadCredential): The credential (W3C VCDM 2.0).
        id (UUID):
        institution_id (UUID):
        jwt (str): The credential secured as `vc+jwt`.
        kind (str):
        revocation_reason (None | str):
        revoked_at (datetime.datetime | None):
        status_index (int):
        status_list_id (UUID):
        valid_from (datetime.datetime):
    """

    credential: IssuedCredentialReadCredential
    id: UUID
    institution_id: UUID
    jwt: str
    kind: str
    revocation_reason: None | str
    revoked_at: datetime.datetime | None
    status_index: int
    status_list_id: UUID
    valid_from: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credential = self.credential.to_dict()

        id = str(self.id)

        institution_id = str(self.institution_id)

        jwt = self.jwt

        kind = self.kind

        revocation_reason: None | str
        revocation_reason = self.revocation_reason

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        status_index = self.status_index

        status_list_id = str(self.status_list_id)

        valid_from = self.valid_from.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credential": credential,
                "id": id,
                "institution_id": institution_id,
                "jwt": jwt,
                "kind": kind,
                "revocation_reason": revocation_reason,
                "revoked_at": revoked_at,
                "status_index": status_index,
                "status_list_id": status_list_id,
                "valid_from": valid_from,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.issued_credential_read_credential import IssuedCredentialReadCredential  # noqa: PLC0415

        d = dict(src_dict)
        credential = IssuedCredentialReadCredential.from_dict(d.pop("credential"))

        id = UUID(d.pop("id"))

        institution_id = UUID(d.pop("institution_id"))

        jwt = d.pop("jwt")

        kind = d.pop("kind")

        def _parse_revocation_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revocation_reason = _parse_revocation_reason(d.pop("revocation_reason"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        status_index = d.pop("status_index")

        status_list_id = UUID(d.pop("status_list_id"))

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        issued_credential_read = cls(
            credential=credential,
            id=id,
            institution_id=institution_id,
            jwt=jwt,
            kind=kind,
            revocation_reason=revocation_reason,
            revoked_at=revoked_at,
            status_index=status_index,
            status_list_id=status_list_id,
            valid_from=valid_from,
        )

        issued_credential_read.additional_properties = d
        return issued_credential_read

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
