from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.result_status import ResultStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transcript_credit import TranscriptCredit


T = TypeVar("T", bound="TranscriptComponent")


@_attrs_define
class TranscriptComponent:
    """One result of the transcript: a course (ELMO learning opportunity) and the learner's
    result in it.

        Attributes:
            title (str):
            code (None | str | Unset): The local identifier.
            credits_ (list[TranscriptCredit] | Unset):
            end (datetime.date | None | Unset):
            grade (None | str | Unset):
            isced_f (None | str | Unset):
            language (None | str | Unset):
            start (datetime.date | None | Unset):
            status (ResultStatus | Unset): ELMO's learning opportunity instance status (no status: passed, as ELMO says).
            term (None | str | Unset):
    """

    title: str
    code: None | str | Unset = UNSET
    credits_: list[TranscriptCredit] | Unset = UNSET
    end: datetime.date | None | Unset = UNSET
    grade: None | str | Unset = UNSET
    isced_f: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    start: datetime.date | None | Unset = UNSET
    status: ResultStatus | Unset = UNSET
    term: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        credits_: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.credits_, Unset):
            credits_ = []
            for credits_item_data in self.credits_:
                credits_item = credits_item_data.to_dict()
                credits_.append(credits_item)

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        elif isinstance(self.end, datetime.date):
            end = self.end.isoformat()
        else:
            end = self.end

        grade: None | str | Unset
        if isinstance(self.grade, Unset):
            grade = UNSET
        else:
            grade = self.grade

        isced_f: None | str | Unset
        if isinstance(self.isced_f, Unset):
            isced_f = UNSET
        else:
            isced_f = self.isced_f

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        start: None | str | Unset
        if isinstance(self.start, Unset):
            start = UNSET
        elif isinstance(self.start, datetime.date):
            start = self.start.isoformat()
        else:
            start = self.start

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        term: None | str | Unset
        if isinstance(self.term, Unset):
            term = UNSET
        else:
            term = self.term

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if credits_ is not UNSET:
            field_dict["credits"] = credits_
        if end is not UNSET:
            field_dict["end"] = end
        if grade is not UNSET:
            field_dict["grade"] = grade
        if isced_f is not UNSET:
            field_dict["isced_f"] = isced_f
        if language is not UNSET:
            field_dict["language"] = language
        if start is not UNSET:
            field_dict["start"] = start
        if status is not UNSET:
            field_dict["status"] = status
        if term is not UNSET:
            field_dict["term"] = term

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transcript_credit import TranscriptCredit  # noqa: PLC0415

        d = dict(src_dict)
        title = d.pop("title")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        _credits_ = d.pop("credits", UNSET)
        credits_: list[TranscriptCredit] | Unset = UNSET
        if _credits_ is not UNSET:
            credits_ = []
            for credits_item_data in _credits_:
                credits_item = TranscriptCredit.from_dict(credits_item_data)

                credits_.append(credits_item)

        def _parse_end(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_type_0 = datetime.date.fromisoformat(data)

                return end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        def _parse_grade(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        grade = _parse_grade(d.pop("grade", UNSET))

        def _parse_isced_f(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        isced_f = _parse_isced_f(d.pop("isced_f", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_start(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_type_0 = datetime.date.fromisoformat(data)

                return start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        start = _parse_start(d.pop("start", UNSET))

        _status = d.pop("status", UNSET)
        status: ResultStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ResultStatus(_status)

        def _parse_term(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        term = _parse_term(d.pop("term", UNSET))

        transcript_component = cls(
            title=title,
            code=code,
            credits_=credits_,
            end=end,
            grade=grade,
            isced_f=isced_f,
            language=language,
            start=start,
            status=status,
            term=term,
        )

        return transcript_component
