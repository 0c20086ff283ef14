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


T = TypeVar("T", bound="ProgrammeCreate")


@_attrs_define
class ProgrammeCreate:
    """A new programme of an institution this node owns.

    Attributes:
        institution_id (UUID):
        name (str):
        credit_system (None | str | Unset):
        credits_ (float | None | Unset):
        duration_years (float | None | Unset):
        field (None | str | Unset):
        joint_partners (list[UUID] | Unset): Partner institutions' ids.
        languages (list[str] | Unset):
        levels (list[str] | Unset): Framework levels as FRAMEWORK:LEVEL: the national one and reference ones (EQF, AQRF,
            QF-EHEA, ISCED-2011).
        mode (None | StudyMode | Unset):
        names (list[NameEntry] | Unset):
        qualification (None | str | Unset):
        status (ProgrammeStatus | Unset):
    """

    institution_id: UUID
    name: str
    credit_system: None | str | Unset = UNSET
    credits_: float | None | Unset = UNSET
    duration_years: float | None | Unset = UNSET
    field: None | str | Unset = UNSET
    joint_partners: list[UUID] | Unset = UNSET
    languages: list[str] | Unset = UNSET
    levels: list[str] | Unset = UNSET
    mode: None | StudyMode | Unset = UNSET
    names: list[NameEntry] | Unset = UNSET
    qualification: None | str | Unset = UNSET
    status: ProgrammeStatus | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        institution_id = str(self.institution_id)

        name = self.name

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

        joint_partners: list[str] | Unset = UNSET
        if not isinstance(self.joint_partners, Unset):
            joint_partners = []
            for joint_partners_item_data in self.joint_partners:
                joint_partners_item = str(joint_partners_item_data)
                joint_partners.append(joint_partners_item)

        languages: list[str] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = self.languages

        levels: list[str] | Unset = UNSET
        if not isinstance(self.levels, Unset):
            levels = self.levels

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, StudyMode):
            mode = self.mode.value
        else:
            mode = self.mode

        names: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = []
            for names_item_data in self.names:
                names_item = names_item_data.to_dict()
                names.append(names_item)

        qualification: None | str | Unset
        if isinstance(self.qualification, Unset):
            qualification = UNSET
        else:
            qualification = self.qualification

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "institution_id": institution_id,
                "name": name,
            }
        )
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
        institution_id = UUID(d.pop("institution_id"))

        name = d.pop("name")

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

        _joint_partners = d.pop("joint_partners", UNSET)
        joint_partners: list[UUID] | Unset = UNSET
        if _joint_partners is not UNSET:
            joint_partners = []
            for joint_partners_item_data in _joint_partners:
                joint_partners_item = UUID(joint_partners_item_data)

                joint_partners.append(joint_partners_item)

        languages = cast(list[str], d.pop("languages", UNSET))

        levels = cast(list[str], d.pop("levels", UNSET))

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

        _names = d.pop("names", UNSET)
        names: list[NameEntry] | Unset = UNSET
        if _names is not UNSET:
            names = []
            for names_item_data in _names:
                names_item = NameEntry.from_dict(names_item_data)

                names.append(names_item)

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

        programme_create = cls(
            institution_id=institution_id,
            name=name,
            credit_system=credit_system,
            credits_=credits_,
            duration_years=duration_years,
            field=field,
            joint_partners=joint_partners,
            languages=languages,
            levels=levels,
            mode=mode,
            names=names,
            qualification=qualification,
            status=status,
        )

        return programme_create
