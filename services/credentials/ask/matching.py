"""Whether an issued diploma answers an inquiry's question (pure): every detail given must
match — names ignoring case and runs of spaces, the birth date exactly, the identifier (if
given) exactly ignoring spaces and case, the title (if given) one of the qualification's titles
in any language, the award date (if given) exactly. A revoked diploma answers nothing."""

from __future__ import annotations

from typing import Any

from contracts.credential_inquiries import InquiryQuestion


def _text(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _code(value: object) -> str:
    return "".join(str(value).split()).casefold() if value is not None else ""


def matches(document: dict[str, Any], question: InquiryQuestion) -> bool:
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict):
        return False
    holder = question.holder
    if _text(subject.get("givenName")) != _text(holder.given_name):
        return False
    if _text(subject.get("familyName")) != _text(holder.family_name):
        return False
    if subject.get("birthDate") != holder.birth_date.isoformat():
        return False
    if holder.identifier_value is not None:
        identifier = subject.get("identifier")
        if not isinstance(identifier, dict):
            return False
        if _code(identifier.get("notation")) != _code(holder.identifier_value):
            return False
        if holder.identifier_scheme is not None and _code(identifier.get("schemeName")) != _code(
            holder.identifier_scheme
        ):
            return False
    claim = subject.get("hasClaim")
    if not isinstance(claim, dict):
        return False
    asked = question.qualification
    if asked.award_date is not None and claim.get("awardedOnDate") != asked.award_date.isoformat():
        return False
    if asked.title is not None:
        titles = claim.get("title")
        values = titles.values() if isinstance(titles, dict) else []
        if _text(asked.title) not in {_text(v) for v in values}:
            return False
    return True
