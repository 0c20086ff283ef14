from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_status import CaseStatus
from ..models.purpose import Purpose

if TYPE_CHECKING:
    from ..models.applicant import Applicant
    from ..models.document import Document
    from ..models.history_entry import HistoryEntry
    from ..models.qualification import Qualification


T = TypeVar("T", bound="CaseRead")


@_attrs_define
class CaseRead:
    """A case as its officers see it (personal data included; erased → null).

    Attributes:
        applicant (Applicant | None):
        applicant_erased_at (datetime.datetime | None):
        completed_on (datetime.date | None):
        created_at (datetime.datetime):
        created_by (str):
        deadline_on (datetime.date | None):
        decided_at (datetime.datetime | None):
        documents (list[Document]):
        history (list[HistoryEntry]):
        host_country (str):
        id (UUID):
        overdue (bool):
        purpose (Purpose):
        qualification (Qualification): The qualification presented: no person in it.
        status (CaseStatus):
        target_level (str):
        version (int):
    """

    applicant: Applicant | None
    applicant_erased_at: datetime.datetime | None
    completed_on: datetime.date | None
    created_at: datetime.datetime
    created_by: str
    deadline_on: datetime.date | None
    decided_at: datetime.datetime | None
    documents: list[Document]
    history: list[HistoryEntry]
    host_country: str
    id: UUID
    overdue: bool
    purpose: Purpose
    qualification: Qualification
    status: CaseStatus
    target_level: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.applicant import Applicant  # noqa: PLC0415

        applicant: dict[str, Any] | None
        if isinstance(self.applicant, Applicant):
            applicant = self.applicant.to_dict()
        else:
            applicant = self.applicant

        applicant_erased_at: None | str
        if isinstance(self.applicant_erased_at, datetime.datetime):
            applicant_erased_at = self.applicant_erased_at.isoformat()
        else:
            applicant_erased_at = self.applicant_erased_at

        completed_on: None | str
        if isinstance(self.completed_on, datetime.date):
            completed_on = self.completed_on.isoformat()
        else:
            completed_on = self.completed_on

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        deadline_on: None | str
        if isinstance(self.deadline_on, datetime.date):
            deadline_on = self.deadline_on.isoformat()
        else:
            deadline_on = self.deadline_on

        decided_at: None | str
        if isinstance(self.decided_at, datetime.datetime):
            decided_at = self.decided_at.isoformat()
        else:
            decided_at = self.decided_at

        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        host_country = self.host_country

        id = str(self.id)

        overdue = self.overdue

        purpose = self.purpose.value

        qualification = self.qualification.to_dict()

        status = self.status.value

        target_level = self.target_level

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applicant": applicant,
                "applicant_erased_at": applicant_erased_at,
                "completed_on": completed_on,
                "created_at": created_at,
                "created_by": created_by,
                "deadline_on": deadline_on,
                "decided_at": decided_at,
                "documents": documents,
                "history": history,
                "host_country": host_country,
                "id": id,
                "overdue": overdue,
                "purpose": purpose,
                "qualification": qualification,
                "status": status,
                "target_level": target_level,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.applicant import Applicant  # noqa: PLC0415
        from ..models.document import Document  # noqa: PLC0415
        from ..models.history_entry import HistoryEntry  # noqa: PLC0415
        from ..models.qualification import Qualification  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_applicant(data: object) -> Applicant | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                applicant_type_0 = Applicant.from_dict(data)

                return applicant_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Applicant | None, data)

        applicant = _parse_applicant(d.pop("applicant"))

        def _parse_applicant_erased_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                applicant_erased_at_type_0 = datetime.datetime.fromisoformat(data)

                return applicant_erased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        applicant_erased_at = _parse_applicant_erased_at(d.pop("applicant_erased_at"))

        def _parse_completed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_on_type_0 = datetime.date.fromisoformat(data)

                return completed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        completed_on = _parse_completed_on(d.pop("completed_on"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        def _parse_deadline_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_on_type_0 = datetime.date.fromisoformat(data)

                return deadline_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        deadline_on = _parse_deadline_on(d.pop("deadline_on"))

        def _parse_decided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decided_at_type_0 = datetime.datetime.fromisoformat(data)

                return decided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        decided_at = _parse_decided_at(d.pop("decided_at"))

        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = Document.from_dict(documents_item_data)

            documents.append(documents_item)

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = HistoryEntry.from_dict(history_item_data)

            history.append(history_item)

        host_country = d.pop("host_country")

        id = UUID(d.pop("id"))

        overdue = d.pop("overdue")

        purpose = Purpose(d.pop("purpose"))

        qualification = Qualification.from_dict(d.pop("qualification"))

        status = CaseStatus(d.pop("status"))

        target_level = d.pop("target_level")

        version = d.pop("version")

        case_read = cls(
            applicant=applicant,
            applicant_erased_at=applicant_erased_at,
            completed_on=completed_on,
            created_at=created_at,
            created_by=created_by,
            deadline_on=deadline_on,
            decided_at=decided_at,
            documents=documents,
            history=history,
            host_country=host_country,
            id=id,
            overdue=overdue,
            purpose=purpose,
            qualification=qualification,
            status=status,
            target_level=target_level,
            version=version,
        )

        case_read.additional_properties = d
        return case_read

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
