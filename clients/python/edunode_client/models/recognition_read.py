from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recognition_status import RecognitionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.component_recognition import ComponentRecognition


T = TypeVar("T", bound="RecognitionRead")


@_attrs_define
class RecognitionRead:
    """What a transcript counts for at the sending institution, explained per component.

    Attributes:
        components (list[ComponentRecognition]):
        home_system (str):
        id (UUID): The transcript's id.
        mobility_id (UUID):
        sending_institution_id (UUID):
        status (RecognitionStatus):
        summary (str):
        version (int):
        decided_at (datetime.datetime | None | Unset):
        decided_by (None | str | Unset):
        reason (None | str | Unset):
    """

    components: list[ComponentRecognition]
    home_system: str
    id: UUID
    mobility_id: UUID
    sending_institution_id: UUID
    status: RecognitionStatus
    summary: str
    version: int
    decided_at: datetime.datetime | None | Unset = UNSET
    decided_by: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        home_system = self.home_system

        id = str(self.id)

        mobility_id = str(self.mobility_id)

        sending_institution_id = str(self.sending_institution_id)

        status = self.status.value

        summary = self.summary

        version = self.version

        decided_at: None | str | Unset
        if isinstance(self.decided_at, Unset):
            decided_at = UNSET
        elif isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        decided_by: None | str | Unset
        if isinstance(self.decided_by, Unset):
            decided_by = UNSET
        else:
            decided_by = self.decided_by

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "home_system": home_system,
                "id": id,
                "mobility_id": mobility_id,
                "sending_institution_id": sending_institution_id,
                "status": status,
                "summary": summary,
                "version": version,
            }
        )
        if decided_at is not UNSET:
            field_dict["decided_at"] = decided_at
        if decided_by is not UNSET:
            field_dict["decided_by"] = decided_by
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component_recognition import ComponentRecognition  # noqa: PLC0415

        d = dict(src_dict)
        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = ComponentRecognition.from_dict(components_item_data)

            components.append(components_item)

        home_system = d.pop("home_system")

        id = UUID(d.pop("id"))

        mobility_id = UUID(d.pop("mobility_id"))

        sending_institution_id = UUID(d.pop("sending_institution_id"))

        status = RecognitionStatus(d.pop("status"))

        summary = d.pop("summary")

        version = d.pop("version")

        def _parse_decided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        decided_at = _parse_decided_at(d.pop("decided_at", UNSET))

        def _parse_decided_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decided_by = _parse_decided_by(d.pop("decided_by", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        recognition_read = cls(
            components=components,
            home_system=home_system,
            id=id,
            mobility_id=mobility_id,
            sending_institution_id=sending_institution_id,
            status=status,
            summary=summary,
            version=version,
            decided_at=decided_at,
            decided_by=decided_by,
            reason=reason,
        )

        recognition_read.additional_properties = d
        return recognition_read

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
