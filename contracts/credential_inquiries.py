"""What "ask the issuer" carries over the direct channel (never the public streams), for a
qualification that was never issued digitally (docs/credentials.md):

- `credentials.inquiry.asked`, from a verifying node to the node with authority over the
  institution's country: "did institution X award qualification Y to a person with these
  details?" — sealed to the recipient, read there only;
- `credentials.inquiry.answered`, back: yes or no, bound to the question by its digest and
  signed by the answering node's federation key, with no personal data at all."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

ANSWER_STATEMENT_TYPE = "edunode:credential-inquiry-answer"


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class InquiryHolder(_Message):
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: date
    identifier_scheme: str | None = Field(default=None, max_length=40)
    identifier_value: str | None = Field(default=None, max_length=100)


class InquiryQualification(_Message):
    title: str | None = Field(
        default=None, max_length=500, description="The title in any of its languages."
    )
    award_date: date | None = None


class InquiryQuestion(_Message):
    institution_id: uuid.UUID
    holder: InquiryHolder
    qualification: InquiryQualification

    def digest(self) -> str:
        """SHA-256 of the question's canonical JSON (sorted keys): what the answer is bound to,
        so that it need not repeat any of it."""
        canonical = orjson.dumps(self.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        return "sha256:" + hashlib.sha256(canonical).hexdigest()


class InquiryAsked(_Message):
    """`credentials.inquiry.asked` (sealed to the answering node)."""

    inquiry_id: uuid.UUID
    question: InquiryQuestion


class Answer(StrEnum):
    YES = "yes"  # a credential matching every detail given, not revoked
    NO = "no"  # none (or only a revoked one)


class AnswerStatement(_Message):
    """What the answering node signs: the answer bound to the inquiry and the question's
    digest, nothing personal."""

    type: str = ANSWER_STATEMENT_TYPE
    inquiry_id: uuid.UUID
    asker_node: str
    answerer_node: str
    institution_id: uuid.UUID
    question_digest: str
    answer: Answer
    answered_at: datetime

    def canonical(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


class InquiryAnswered(_Message):
    """`credentials.inquiry.answered`: the statement and the answering node's detached JWS
    over its canonical JSON."""

    statement: AnswerStatement
    signature: str = Field(max_length=2000)

    def as_record(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
