from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.answer import Answer
from ..models.inquiry_status import InquiryStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inquiry_question import InquiryQuestion
    from ..models.inquiry_read_statement_type_0 import InquiryReadStatementType0


T = TypeVar("T", bound="InquiryRead")


@_attrs_define
class InquiryRead:
    """
    Attributes:
        asked_at (datetime.datetime):
        id (UUID):
        institution_id (UUID):
        question (InquiryQuestion):
        question_digest (str): SHA-256 of the question's canonical JSON: what the answer is bound to.
        status (InquiryStatus):
        target_node (str): The node asked: the one with authority over the institution's country.
        answer (Answer | None | Unset):
        answered_at (datetime.datetime | None | Unset):
        signature (None | str | Unset): The answering node's detached JWS (EdDSA, its federation key, `kid` in the trust
            list) over the statement's canonical JSON (sorted keys, no spaces).
        statement (InquiryReadStatementType0 | None | Unset): The answering node's statement (inquiry, nodes,
            institution, question digest, answer, time): no personal data.
    """

    asked_at: datetime.datetime
    id: UUID
    institution_id: UUID
    question: InquiryQuestion
    question_digest: str
    status: InquiryStatus
    target_node: str
    answer: Answer | None | Unset = UNSET
    answered_at: datetime.datetime | None | Unset = UNSET
    signature: None | str | Unset = UNSET
    statement: InquiryReadStatementType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.inquiry_read_statement_type_0 import InquiryReadStatementType0  # noqa: PLC0415

        asked_at = self.asked_at.isoformat()

        id = str(self.id)

        institution_id = str(self.institution_id)

        question = self.question.to_dict()

        question_digest = self.question_digest

        status = self.status.value

        target_node = self.target_node

        answer: None | str | Unset
        if isinstance(self.answer, Unset):
            answer = UNSET
        elif isinstance(self.answer, Answer):
            answer = self.answer.value
        else:
            answer = self.answer

        answered_at: None | str | Unset
        if isinstance(self.answered_at, Unset):
            answered_at = UNSET
        elif isinstance(self.answered_at, datetime.datetime):
            answered_at = self.answered_at.isoformat()
        else:
            answered_at = self.answered_at

        signature: None | str | Unset
        if isinstance(self.signature, Unset):
            signature = UNSET
        else:
            signature = self.signature

        statement: dict[str, Any] | None | Unset
        if isinstance(self.statement, Unset):
            statement = UNSET
        elif isinstance(self.statement, InquiryReadStatementType0):
            statement = self.statement.to_dict()
        else:
            statement = self.statement

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asked_at": asked_at,
                "id": id,
                "institution_id": institution_id,
                "question": question,
                "question_digest": question_digest,
                "status": status,
                "target_node": target_node,
            }
        )
        if answer is not UNSET:
            field_dict["answer"] = answer
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if signature is not UNSET:
            field_dict["signature"] = signature
        if statement is not UNSET:
            field_dict["statement"] = statement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inquiry_question import InquiryQuestion  # noqa: PLC0415
        from ..models.inquiry_read_statement_type_0 import InquiryReadStatementType0  # noqa: PLC0415

        d = dict(src_dict)
        asked_at = datetime.datetime.fromisoformat(d.pop("asked_at"))

        id = UUID(d.pop("id"))

        institution_id = UUID(d.pop("institution_id"))

        question = InquiryQuestion.from_dict(d.pop("question"))

        question_digest = d.pop("question_digest")

        status = InquiryStatus(d.pop("status"))

        target_node = d.pop("target_node")

        def _parse_answer(data: object) -> Answer | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_type_0 = Answer(data)

                return answer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Answer | None | Unset, data)

        answer = _parse_answer(d.pop("answer", UNSET))

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

        def _parse_signature(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        signature = _parse_signature(d.pop("signature", UNSET))

        def _parse_statement(data: object) -> InquiryReadStatementType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                statement_type_0 = InquiryReadStatementType0.from_dict(data)

                return statement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InquiryReadStatementType0 | None | Unset, data)

        statement = _parse_statement(d.pop("statement", UNSET))

        inquiry_read = cls(
            asked_at=asked_at,
            id=id,
            institution_id=institution_id,
            question=question,
            question_digest=question_digest,
            status=status,
            target_node=target_node,
            answer=answer,
            answered_at=answered_at,
            signature=signature,
            statement=statement,
        )

        inquiry_read.additional_properties = d
        return inquiry_read

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
