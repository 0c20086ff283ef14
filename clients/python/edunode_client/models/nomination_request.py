from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.mobility_type import MobilityType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.nominated_student import NominatedStudent


T = TypeVar("T", bound="NominationRequest")


@_attrs_define
class NominationRequest:
    """A student of the caller's institution nominated to the partner of an approved
    agreement, within one of its cooperation conditions (type, direction, year, field, level)
    and its places.

        Attributes:
            academic_year (str):
            agreement_id (UUID):
            eqf_level (int):
            isced_f (str):
            student (NominatedStudent): The student: personal data, held only at the two partners' nodes and erased on
                request.
            term (str): Which term of the academic year: `1/2` the first of two semesters.
            mobility_type (MobilityType | Unset): EWP's four mobility types of a cooperation condition.
    """

    academic_year: str
    agreement_id: UUID
    eqf_level: int
    isced_f: str
    student: NominatedStudent
    term: str
    mobility_type: MobilityType | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        academic_year = self.academic_year

        agreement_id = str(self.agreement_id)

        eqf_level = self.eqf_level

        isced_f = self.isced_f

        student = self.student.to_dict()

        term = self.term

        mobility_type: str | Unset = UNSET
        if not isinstance(self.mobility_type, Unset):
            mobility_type = self.mobility_type.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "academic_year": academic_year,
                "agreement_id": agreement_id,
                "eqf_level": eqf_level,
                "isced_f": isced_f,
                "student": student,
                "term": term,
            }
        )
        if mobility_type is not UNSET:
            field_dict["mobility_type"] = mobility_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nominated_student import NominatedStudent  # noqa: PLC0415

        d = dict(src_dict)
        academic_year = d.pop("academic_year")

        agreement_id = UUID(d.pop("agreement_id"))

        eqf_level = d.pop("eqf_level")

        isced_f = d.pop("isced_f")

        student = NominatedStudent.from_dict(d.pop("student"))

        term = d.pop("term")

        _mobility_type = d.pop("mobility_type", UNSET)
        mobility_type: MobilityType | Unset
        if isinstance(_mobility_type, Unset):
            mobility_type = UNSET
        else:
            mobility_type = MobilityType(_mobility_type)

        nomination_request = cls(
            academic_year=academic_year,
            agreement_id=agreement_id,
            eqf_level=eqf_level,
            isced_f=isced_f,
            student=student,
            term=term,
            mobility_type=mobility_type,
        )

        return nomination_request
