from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.mobility_type import MobilityType
from ..models.nomination_status import NominationStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.iia_partner import IiaPartner
    from ..models.nominated_student import NominatedStudent


T = TypeVar("T", bound="NominationRead")


@_attrs_define
class NominationRead:
    """
    Attributes:
        academic_year (str):
        agreement_id (UUID):
        eqf_level (int):
        id (UUID):
        isced_f (str):
        mobility_type (MobilityType): EWP's four mobility types of a cooperation condition.
        nominated_at (datetime.datetime):
        nominated_by (str):
        overdue (bool): Still unanswered after `respond_by` (the receiving side's 5 working days).
        receiving (IiaPartner):
        respond_by (datetime.date): The receiving institution's answer is due by this day.
        sending (IiaPartner):
        status (NominationStatus):
        student (NominatedStudent | None): null once erased on request.
        term (str): Which term of the academic year: `1/2` the first of two semesters.
        updated_at (datetime.datetime):
        version (int):
        answered_at (datetime.datetime | None | Unset):
        answered_by (None | str | Unset):
        reason (None | str | Unset): Why it was rejected or cancelled.
        student_erased_at (datetime.datetime | None | Unset):
    """

    academic_year: str
    agreement_id: UUID
    eqf_level: int
    id: UUID
    isced_f: str
    mobility_type: MobilityType
    nominated_at: datetime.datetime
    nominated_by: str
    overdue: bool
    receiving: IiaPartner
    respond_by: datetime.date
    sending: IiaPartner
    status: NominationStatus
    student: NominatedStudent | None
    term: str
    updated_at: datetime.datetime
    version: int
    answered_at: datetime.datetime | None | Unset = UNSET
    answered_by: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    student_erased_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.nominated_student import NominatedStudent  # noqa: PLC0415

        academic_year = self.academic_year

        agreement_id = str(self.agreement_id)

        eqf_level = self.eqf_level

        id = str(self.id)

        isced_f = self.isced_f

        mobility_type = self.mobility_type.value

        nominated_at = self.nominated_at.isoformat()

        nominated_by = self.nominated_by

        overdue = self.overdue

        receiving = self.receiving.to_dict()

        respond_by = self.respond_by.isoformat()

        sending = self.sending.to_dict()

        status = self.status.value

        student: dict[str, Any] | None
        if isinstance(self.student, NominatedStudent):
            student = self.student.to_dict()
        else:
            student = self.student

        term = self.term

        updated_at = self.updated_at.isoformat()

        version = self.version

        answered_at: None | str | Unset
        if isinstance(self.answered_at, Unset):
            answered_at = UNSET
        elif isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        answered_by: None | str | Unset
        if isinstance(self.answered_by, Unset):
            answered_by = UNSET
        else:
            answered_by = self.answered_by

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        student_erased_at: None | str | Unset
        if isinstance(self.student_erased_at, Unset):
            student_erased_at = UNSET
        elif isinstance(self.student_erased_at, datetime.datetime):
            student_erased_at = self.student_erased_at.isoformat()
        else:
            student_erased_at = self.student_erased_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "academic_year": academic_year,
                "agreement_id": agreement_id,
                "eqf_level": eqf_level,
                "id": id,
                "isced_f": isced_f,
                "mobility_type": mobility_type,
                "nominated_at": nominated_at,
                "nominated_by": nominated_by,
                "overdue": overdue,
                "receiving": receiving,
                "respond_by": respond_by,
                "sending": sending,
                "status": status,
                "student": student,
                "term": term,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if answered_by is not UNSET:
            field_dict["answered_by"] = answered_by
        if reason is not UNSET:
            field_dict["reason"] = reason
        if student_erased_at is not UNSET:
            field_dict["student_erased_at"] = student_erased_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415
        from ..models.nominated_student import NominatedStudent  # noqa: PLC0415

        d = dict(src_dict)
        academic_year = d.pop("academic_year")

        agreement_id = UUID(d.pop("agreement_id"))

        eqf_level = d.pop("eqf_level")

        id = UUID(d.pop("id"))

        isced_f = d.pop("isced_f")

        mobility_type = MobilityType(d.pop("mobility_type"))

        nominated_at = datetime.datetime.fromisoformat(d.pop("nominated_at"))

        nominated_by = d.pop("nominated_by")

        overdue = d.pop("overdue")

        receiving = IiaPartner.from_dict(d.pop("receiving"))

        respond_by = datetime.date.fromisoformat(d.pop("respond_by"))

        sending = IiaPartner.from_dict(d.pop("sending"))

        status = NominationStatus(d.pop("status"))

        def _parse_student(data: object) -> NominatedStudent | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                student_type_0 = NominatedStudent.from_dict(data)

                return student_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NominatedStudent | None, data)

        student = _parse_student(d.pop("student"))

        term = d.pop("term")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_answered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answered_at_type_0 = datetime.datetime.fromisoformat(data)

                return answered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        answered_at = _parse_answered_at(d.pop("answered_at", UNSET))

        def _parse_answered_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        answered_by = _parse_answered_by(d.pop("answered_by", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_student_erased_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                student_erased_at_type_0 = datetime.datetime.fromisoformat(data)

                return student_erased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        student_erased_at = _parse_student_erased_at(d.pop("student_erased_at", UNSET))

        nomination_read = cls(
            academic_year=academic_year,
            agreement_id=agreement_id,
            eqf_level=eqf_level,
            id=id,
            isced_f=isced_f,
            mobility_type=mobility_type,
            nominated_at=nominated_at,
            nominated_by=nominated_by,
            overdue=overdue,
            receiving=receiving,
            respond_by=respond_by,
            sending=sending,
            status=status,
            student=student,
            term=term,
            updated_at=updated_at,
            version=version,
            answered_at=answered_at,
            answered_by=answered_by,
            reason=reason,
            student_erased_at=student_erased_at,
        )

        return nomination_read
