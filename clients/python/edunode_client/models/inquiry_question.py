from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.inquiry_holder import InquiryHolder
    from ..models.inquiry_qualification import InquiryQualification


T = TypeVar("T", bound="InquiryQuestion")


@_attrs_define
class InquiryQuestion:
    """
    Attributes:
        holder (InquiryHolder):
        institution_id (UUID):
        qualification (InquiryQualification):
    """

    holder: InquiryHolder
    institution_id: UUID
    qualification: InquiryQualification

    def to_dict(self) -> dict[str, Any]:
        holder = self.holder.to_dict()

        institution_id = str(self.institution_id)

        qualification = self.qualification.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "holder": holder,
                "institution_id": institution_id,
                "qualification": qualification,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inquiry_holder import InquiryHolder  # noqa: PLC0415
        from ..models.inquiry_qualification import InquiryQualification  # noqa: PLC0415

        d = dict(src_dict)
        holder = InquiryHolder.from_dict(d.pop("holder"))

        institution_id = UUID(d.pop("institution_id"))

        qualification = InquiryQualification.from_dict(d.pop("qualification"))

        inquiry_question = cls(
            holder=holder,
            institution_id=institution_id,
            qualification=qualification,
        )

        return inquiry_question
