"""What a verifier sends to ask an issuing node, and what it reads back."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from contracts.credential_inquiries import Answer, InquiryQuestion


class InquiryStatus(StrEnum):
    PENDING = "pending"  # sent; the issuing node has not answered yet
    ANSWERED = "answered"


class InquiryRead(BaseModel):
    id: uuid.UUID
    institution_id: uuid.UUID
    target_node: str = Field(
        description="The node asked: the one with authority over the institution's country."
    )
    status: InquiryStatus
    question: InquiryQuestion = Field(description="As asked (kept on this node only).")
    question_digest: str = Field(
        description="SHA-256 of the question's canonical JSON: what the answer is bound to."
    )
    answer: Answer | None = None
    statement: dict[str, Any] | None = Field(
        default=None,
        description="The answering node's statement (inquiry, nodes, institution, question "
        "digest, answer, time): no personal data.",
    )
    signature: str | None = Field(
        default=None,
        description="The answering node's detached JWS (EdDSA, its federation key, `kid` in "
        "the trust list) over the statement's canonical JSON (sorted keys, no spaces).",
    )
    asked_at: datetime
    answered_at: datetime | None = None
