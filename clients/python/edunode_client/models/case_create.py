from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.purpose import Purpose
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.applicant import Applicant
    from ..models.document import Document
    from ..models.qualification import Qualification


T = TypeVar("T", bound="CaseCreate")


@_attrs_define
class CaseCreate:
    """
    Attributes:
        applicant (Applicant): The applicant: personal data. It stays in this node's case tables, is never published,
            never logged, and is erased on request.
        purpose (Purpose):
        qualification (Qualification): The qualification presented: no person in it.
        target_level (str): The host framework level sought.
        documents (list[Document] | Unset):
    """

    applicant: Applicant
    purpose: Purpose
    qualification: Qualification
    target_level: str
    documents: list[Document] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        applicant = self.applicant.to_dict()

        purpose = self.purpose.value

        qualification = self.qualification.to_dict()

        target_level = self.target_level

        documents: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.documents, Unset):
            documents = []
            for documents_item_data in self.documents:
                documents_item = documents_item_data.to_dict()
                documents.append(documents_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "applicant": applicant,
                "purpose": purpose,
                "qualification": qualification,
                "target_level": target_level,
            }
        )
        if documents is not UNSET:
            field_dict["documents"] = documents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.applicant import Applicant  # noqa: PLC0415
        from ..models.document import Document  # noqa: PLC0415
        from ..models.qualification import Qualification  # noqa: PLC0415

        d = dict(src_dict)
        applicant = Applicant.from_dict(d.pop("applicant"))

        purpose = Purpose(d.pop("purpose"))

        qualification = Qualification.from_dict(d.pop("qualification"))

        target_level = d.pop("target_level")

        _documents = d.pop("documents", UNSET)
        documents: list[Document] | Unset = UNSET
        if _documents is not UNSET:
            documents = []
            for documents_item_data in _documents:
                documents_item = Document.from_dict(documents_item_data)

                documents.append(documents_item)

        case_create = cls(
            applicant=applicant,
            purpose=purpose,
            qualification=qualification,
            target_level=target_level,
            documents=documents,
        )

        return case_create
