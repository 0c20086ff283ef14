from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TranscriptLearner")


@_attrs_define
class TranscriptLearner:
    """
    Attributes:
        family_name (str):
        given_names (str):
        birth_date (datetime.date | None | Unset):
        citizenship (None | str | Unset):
    """

    family_name: str
    given_names: str
    birth_date: datetime.date | None | Unset = UNSET
    citizenship: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        family_name = self.family_name

        given_names = self.given_names

        birth_date: None | str | Unset
        if isinstance(self.birth_date, Unset):
            birth_date = UNSET
        elif isinstance(self.birth_date, datetime.date):
            birth_date = self.birth_date.isoformat()
        else:
            birth_date = self.birth_date

        citizenship: None | str | Unset
        if isinstance(self.citizenship, Unset):
            citizenship = UNSET
        else:
            citizenship = self.citizenship

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "family_name": family_name,
                "given_names": given_names,
            }
        )
        if birth_date is not UNSET:
            field_dict["birth_date"] = birth_date
        if citizenship is not UNSET:
            field_dict["citizenship"] = citizenship

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        family_name = d.pop("family_name")

        given_names = d.pop("given_names")

        def _parse_birth_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                birth_date_type_0 = datetime.date.fromisoformat(data)

                return birth_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        birth_date = _parse_birth_date(d.pop("birth_date", UNSET))

        def _parse_citizenship(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        citizenship = _parse_citizenship(d.pop("citizenship", UNSET))

        transcript_learner = cls(
            family_name=family_name,
            given_names=given_names,
            birth_date=birth_date,
            citizenship=citizenship,
        )

        return transcript_learner
