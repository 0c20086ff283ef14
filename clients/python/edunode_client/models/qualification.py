from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.study_mode import StudyMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="Qualification")


@_attrs_define
class Qualification:
    """The qualification presented: no person in it.

    Attributes:
        awarded_on (datetime.date):
        country (str):
        title (str):
        credit_system (None | str | Unset):
        credits_ (float | None | Unset):
        field (None | str | Unset): ISCED-F 2013.
        institution_id (None | Unset | UUID): The awarding institution in the directory, if known.
        institution_name (None | str | Unset): Free text, matched against the directory.
        level (None | str | Unset): Framework level, e.g. `MQF:6`.
        mode (StudyMode | Unset):
        programme_id (None | Unset | UUID):
        transnational (bool | Unset): Awarded abroad, e.g. at a branch campus or by a partner. Default: False.
        years_full_time (float | None | Unset):
    """

    awarded_on: datetime.date
    country: str
    title: str
    credit_system: None | str | Unset = UNSET
    credits_: float | None | Unset = UNSET
    field: None | str | Unset = UNSET
    institution_id: None | Unset | UUID = UNSET
    institution_name: None | str | Unset = UNSET
    level: None | str | Unset = UNSET
    mode: StudyMode | Unset = UNSET
    programme_id: None | Unset | UUID = UNSET
    transnational: bool | Unset = False
    years_full_time: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        awarded_on = self.awarded_on.isoformat()

        country = self.country

        title = self.title

        credit_system: None | str | Unset
        if isinstance(self.credit_system, Unset):
            credit_system = UNSET
        else:
            credit_system = self.credit_system

        credits_: float | None | Unset
        if isinstance(self.credits_, Unset):
            credits_ = UNSET
        else:
            credits_ = self.credits_

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        institution_id: None | str | Unset
        if isinstance(self.institution_id, Unset):
            institution_id = UNSET
        elif isinstance(self.institution_id, UUID):
            institution_id = str(self.institution_id)
        else:
            institution_id = self.institution_id

        institution_name: None | str | Unset
        if isinstance(self.institution_name, Unset):
            institution_name = UNSET
        else:
            institution_name = self.institution_name

        level: None | str | Unset
        if isinstance(self.level, Unset):
            level = UNSET
        else:
            level = self.level

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        programme_id: None | str | Unset
        if isinstance(self.programme_id, Unset):
            programme_id = UNSET
        elif isinstance(self.programme_id, UUID):
            programme_id = str(self.programme_id)
        else:
            programme_id = self.programme_id

        transnational = self.transnational

        years_full_time: float | None | Unset
        if isinstance(self.years_full_time, Unset):
            years_full_time = UNSET
        else:
            years_full_time = self.years_full_time

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "awarded_on": awarded_on,
                "country": country,
                "title": title,
            }
        )
        if credit_system is not UNSET:
            field_dict["credit_system"] = credit_system
        if credits_ is not UNSET:
            field_dict["credits"] = credits_
        if field is not UNSET:
            field_dict["field"] = field
        if institution_id is not UNSET:
            field_dict["institution_id"] = institution_id
        if institution_name is not UNSET:
            field_dict["institution_name"] = institution_name
        if level is not UNSET:
            field_dict["level"] = level
        if mode is not UNSET:
            field_dict["mode"] = mode
        if programme_id is not UNSET:
            field_dict["programme_id"] = programme_id
        if transnational is not UNSET:
            field_dict["transnational"] = transnational
        if years_full_time is not UNSET:
            field_dict["years_full_time"] = years_full_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        awarded_on = datetime.date.fromisoformat(d.pop("awarded_on"))

        country = d.pop("country")

        title = d.pop("title")

        def _parse_credit_system(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credit_system = _parse_credit_system(d.pop("credit_system", UNSET))

        def _parse_credits_(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        credits_ = _parse_credits_(d.pop("credits", UNSET))

        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        def _parse_institution_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                institution_id_type_0 = UUID(data)

                return institution_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        institution_id = _parse_institution_id(d.pop("institution_id", UNSET))

        def _parse_institution_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        institution_name = _parse_institution_name(d.pop("institution_name", UNSET))

        def _parse_level(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        level = _parse_level(d.pop("level", UNSET))

        _mode = d.pop("mode", UNSET)
        mode: StudyMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = StudyMode(_mode)

        def _parse_programme_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                programme_id_type_0 = UUID(data)

                return programme_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        programme_id = _parse_programme_id(d.pop("programme_id", UNSET))

        transnational = d.pop("transnational", UNSET)

        def _parse_years_full_time(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        years_full_time = _parse_years_full_time(d.pop("years_full_time", UNSET))

        qualification = cls(
            awarded_on=awarded_on,
            country=country,
            title=title,
            credit_system=credit_system,
            credits_=credits_,
            field=field,
            institution_id=institution_id,
            institution_name=institution_name,
            level=level,
            mode=mode,
            programme_id=programme_id,
            transnational=transnational,
            years_full_time=years_full_time,
        )

        return qualification
