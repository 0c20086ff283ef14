from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.programme_status import ProgrammeStatus
from ..models.study_mode import StudyMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.name_entry import NameEntry


T = TypeVar("T", bound="ProgrammeUpdate")


@_attrs_define
class ProgrammeUpdate:
    """A partial update; lists are replaced as a whole. Ending a programme is a status change.

    Attributes:
        credit_system (None | str | Unset):
        credits_ (float | None | Unset):
        duration_years (float | None | Unset):
        field (None | str | Unset):
        joint_partners (list[UUID] | None | Unset):
        languages (list[str] | None | Unset):
        levels (list[str] | None | Unset):
        mode (None | StudyMode | Unset):
        name (str | Unset):
        names (list[NameEntry] | None | Unset):
        qualification (None | str | Unset):
        status (ProgrammeStatus | Unset):
    """

    credit_system: None | str | Unset = UNSET
    credits_: float | None | Unset = UNSET
    duration_years: float | None | Unset = UNSET
    field: None | str | Unset = UNSET
    joint_partners: list[UUID] | None | Unset = UNSET
    languages: list[str] | None | Unset = UNSET
    levels: list[str] | None | Unset = UNSET
    mode: None | StudyMode | Unset = UNSET
    name: str | Unset = UNSET
    names: list[NameEntry] | None | Unset = UNSET
    qualification: None | str | Unset = UNSET
    status: ProgrammeStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        duration_years: float | None | Unset
        if isinstance(self.duration_years, Unset):
            duration_years = UNSET
        else:
            duration_years = self.duration_years

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        joint_partners: list[str] | None | Unset
        if isinstance(self.joint_partners, Unset):
            joint_partners = UNSET
        elif isinstance(self.joint_partners, list):
            joint_partners = []
            for joint_partners_type_0_item_data in self.joint_partners:
                joint_partners_type_0_item = str(joint_partners_type_0_item_data)
                joint_partners.append(joint_partners_type_0_item)

        else:
            joint_partners = self.joint_partners

        languages: list[str] | None | Unset
        if isinstance(self.languages, Unset):
            languages = UNSET
        elif isinstance(self.languages, list):
            languages = self.languages

        else:
            languages = self.languages

        levels: list[str] | None | Unset
        if isinstance(self.levels, Unset):
            levels = UNSET
        elif isinstance(self.levels, list):
            levels = self.levels

        else:
            levels = self.levels

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, StudyMode):
            mode = self.mode.value
        else:
            mode = self.mode

        name = self.name

        names: list[dict[str, Any]] | None | Unset
        if isinstance(self.names, Unset):
            names = UNSET
        elif isinstance(self.names, list):
            names = []
            for names_type_0_item_data in self.names:
                names_type_0_item = names_type_0_item_data.to_dict()
                names.append(names_type_0_item)

        else:
            names = self.names

        qualification: None | str | Unset
        if isinstance(self.qualification, Unset):
            qualification = UNSET
        else:
            qualification = self.qualification

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if credit_system is not UNSET:
            field_dict["credit_system"] = credit_system
        if credits_ is not UNSET:
            field_dict["credits"] = credits_
        if duration_years is not UNSET:
            field_dict["duration_years"] = duration_years
        if field is not UNSET:
            field_dict["field"] = field
        if joint_partners is not UNSET:
            field_dict["joint_partners"] = joint_partners
        if languages is not UNSET:
            field_dict["languages"] = languages
        if levels is not UNSET:
            field_dict["levels"] = levels
        if mode is not UNSET:
            field_dict["mode"] = mode
        if name is not UNSET:
            field_dict["name"] = name
        if names is not UNSET:
            field_dict["names"] = names
        if qualification is not UNSET:
            field_dict["qualification"] = qualification
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.name_entry import NameEntry  # noqa: PLC0415

        d = dict(src_dict)

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

        def _parse_duration_years(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration_years = _parse_duration_years(d.pop("duration_years", UNSET))

        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        def _parse_joint_partners(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                joint_partners_type_0 = []
                _joint_partners_type_0 = data
                for joint_partners_type_0_item_data in _joint_partners_type_0:
                    joint_partners_type_0_item = UUID(joint_partners_type_0_item_data)

                    joint_partners_type_0.append(joint_partners_type_0_item)

                return joint_partners_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        joint_partners = _parse_joint_partners(d.pop("joint_partners", UNSET))

        def _parse_languages(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                languages_type_0 = cast(list[str], data)

                return languages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        languages = _parse_languages(d.pop("languages", UNSET))

        def _parse_levels(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                levels_type_0 = cast(list[str], data)

                return levels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        levels = _parse_levels(d.pop("levels", UNSET))

        def _parse_mode(data: object) -> None | StudyMode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_0 = StudyMode(data)

                return mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StudyMode | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))

        name = d.pop("name", UNSET)

        def _parse_names(data: object) -> list[NameEntry] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                names_type_0 = []
                _names_type_0 = data
                for names_type_0_item_data in _names_type_0:
                    names_type_0_item = NameEntry.from_dict(names_type_0_item_data)

                    names_type_0.append(names_type_0_item)

                return names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[NameEntry] | None | Unset, data)

        names = _parse_names(d.pop("names", UNSET))

        def _parse_qualification(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qualification = _parse_qualification(d.pop("qualification", UNSET))

        _status = d.pop("status", UNSET)
        status: ProgrammeStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ProgrammeStatus(_status)

        programme_update = cls(
            credit_system=credit_system,
            credits_=credits_,
            duration_years=duration_years,
            field=field,
            joint_partners=joint_partners,
            languages=languages,
            levels=levels,
            mode=mode,
            name=name,
            names=names,
            qualification=qualification,
            status=status,
        )

        return programme_update
