from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.issued_credential_read_credential import IssuedCredentialReadCredential


T = TypeVar("T", bound="IssuedCredentialRead")


@_attrs_define
class IssuedCredentialRead:
    """
    Attributes:
        credential (IssuedCredentialReadCredential): The credential (W3C VCDM 2.0).
        id (UUID):
        institution_id (None | UUID):
        jwt (str): The credential secured as `vc+jwt`.
        kind (str):
        revocation_reason (None | str):
        revoked_at (datetime.datetime | None):
        status_index (int):
        status_list_id (UUID):
        valid_from (datetime.datetime):
        agency_id (None | Unset | UUID):
        source_id (None | Unset | UUID): The recognition case or QA evaluation it was issued from.
        suspended_at (datetime.datetime | None | Unset):
        suspension_index (int | None | Unset):
        suspension_list_id (None | Unset | UUID):
        suspension_reason (None | str | Unset):
    """

    credential: IssuedCredentialReadCredential
    id: UUID
    institution_id: None | UUID
    jwt: str
    kind: str
    revocation_reason: None | str
    revoked_at: datetime.datetime | None
    status_index: int
    status_list_id: UUID
    valid_from: datetime.datetime
    agency_id: None | Unset | UUID = UNSET
    source_id: None | Unset | UUID = UNSET
    suspended_at: datetime.datetime | None | Unset = UNSET
    suspension_index: int | None | Unset = UNSET
    suspension_list_id: None | Unset | UUID = UNSET
    suspension_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credential = self.credential.to_dict()

        id = str(self.id)

        institution_id: None | str
        if isinstance(self.institution_id, UUID):
            institution_id = str(self.institution_id)
        else:
            institution_id = self.institution_id

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

        agency_id: None | str | Unset
        if isinstance(self.agency_id, Unset):
            agency_id = UNSET
        elif isinstance(self.agency_id, UUID):
            agency_id = str(self.agency_id)
        else:
            agency_id = self.agency_id

        source_id: None | str | Unset
        if isinstance(self.source_id, Unset):
            source_id = UNSET
        elif isinstance(self.source_id, UUID):
            source_id = str(self.source_id)
        else:
            source_id = self.source_id

        suspended_at: None | str | Unset
        if isinstance(self.suspended_at, Unset):
            suspended_at = UNSET
        elif isinstance(self.suspended_at, datetime.datetime):
            suspended_at = self.suspended_at.isoformat()
        else:
            suspended_at = self.suspended_at

        suspension_index: int | None | Unset
        if isinstance(self.suspension_index, Unset):
            suspension_index = UNSET
        else:
            suspension_index = self.suspension_index

        suspension_list_id: None | str | Unset
        if isinstance(self.suspension_list_id, Unset):
            suspension_list_id = UNSET
        elif isinstance(self.suspension_list_id, UUID):
            suspension_list_id = str(self.suspension_list_id)
        else:
            suspension_list_id = self.suspension_list_id

        suspension_reason: None | str | Unset
        if isinstance(self.suspension_reason, Unset):
            suspension_reason = UNSET
        else:
            suspension_reason = self.suspension_reason

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
        if agency_id is not UNSET:
            field_dict["agency_id"] = agency_id
        if source_id is not UNSET:
            field_dict["source_id"] = source_id
        if suspended_at is not UNSET:
            field_dict["suspended_at"] = suspended_at
        if suspension_index is not UNSET:
            field_dict["suspension_index"] = suspension_index
        if suspension_list_id is not UNSET:
            field_dict["suspension_list_id"] = suspension_list_id
        if suspension_reason is not UNSET:
            field_dict["suspension_reason"] = suspension_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.issued_credential_read_credential import IssuedCredentialReadCredential  # noqa: PLC0415

        d = dict(src_dict)
        credential = IssuedCredentialReadCredential.from_dict(d.pop("credential"))

        id = UUID(d.pop("id"))

        def _parse_institution_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                institution_id_type_0 = UUID(data)

                return institution_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        institution_id = _parse_institution_id(d.pop("institution_id"))

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

        def _parse_agency_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agency_id_type_0 = UUID(data)

                return agency_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        agency_id = _parse_agency_id(d.pop("agency_id", UNSET))

        def _parse_source_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_id_type_0 = UUID(data)

                return source_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        source_id = _parse_source_id(d.pop("source_id", UNSET))

        def _parse_suspended_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                suspended_at_type_0 = datetime.datetime.fromisoformat(data)

                return suspended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        suspended_at = _parse_suspended_at(d.pop("suspended_at", UNSET))

        def _parse_suspension_index(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        suspension_index = _parse_suspension_index(d.pop("suspension_index", UNSET))

        def _parse_suspension_list_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                suspension_list_id_type_0 = UUID(data)

                return suspension_list_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        suspension_list_id = _parse_suspension_list_id(d.pop("suspension_list_id", UNSET))

        def _parse_suspension_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        suspension_reason = _parse_suspension_reason(d.pop("suspension_reason", UNSET))

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
            agency_id=agency_id,
            source_id=source_id,
            suspended_at=suspended_at,
            suspension_index=suspension_index,
            suspension_list_id=suspension_list_id,
            suspension_reason=suspension_reason,
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
