from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.mobility_type import MobilityType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.language_requirement import LanguageRequirement


T = TypeVar("T", bound="CooperationCondition")


@_attrs_define
class CooperationCondition:
    """One direction of one mobility type: who sends, who receives, how many, in what.

    Attributes:
        mobility_type (MobilityType): EWP's four mobility types of a cooperation condition.
        months_per_place (float): Months per place (staff: may be under one month, e.g. 0.25).
        places_per_year (int):
        receiving_institution_id (UUID):
        sending_institution_id (UUID):
        eqf_levels (list[int] | Unset): EQF levels 1 to 8 (6 bachelor, 7 master, 8 doctorate).
        isced_f (list[str] | Unset): ISCED-F 2013 field codes (`0613`, `041`).
        languages (list[LanguageRequirement] | Unset):
        note (None | str | Unset):
    """

    mobility_type: MobilityType
    months_per_place: float
    places_per_year: int
    receiving_institution_id: UUID
    sending_institution_id: UUID
    eqf_levels: list[int] | Unset = UNSET
    isced_f: list[str] | Unset = UNSET
    languages: list[LanguageRequirement] | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mobility_type = self.mobility_type.value

        months_per_place = self.months_per_place

        places_per_year = self.places_per_year

        receiving_institution_id = str(self.receiving_institution_id)

        sending_institution_id = str(self.sending_institution_id)

        eqf_levels: list[int] | Unset = UNSET
        if not isinstance(self.eqf_levels, Unset):
            eqf_levels = self.eqf_levels

        isced_f: list[str] | Unset = UNSET
        if not isinstance(self.isced_f, Unset):
            isced_f = self.isced_f

        languages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.languages, Unset):
            languages = []
            for languages_item_data in self.languages:
                languages_item = languages_item_data.to_dict()
                languages.append(languages_item)

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mobility_type": mobility_type,
                "months_per_place": months_per_place,
                "places_per_year": places_per_year,
                "receiving_institution_id": receiving_institution_id,
                "sending_institution_id": sending_institution_id,
            }
        )
        if eqf_levels is not UNSET:
            field_dict["eqf_levels"] = eqf_levels
        if isced_f is not UNSET:
            field_dict["isced_f"] = isced_f
        if languages is not UNSET:
            field_dict["languages"] = languages
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.language_requirement import LanguageRequirement  # noqa: PLC0415

        d = dict(src_dict)
        mobility_type = MobilityType(d.pop("mobility_type"))

        months_per_place = d.pop("months_per_place")

        places_per_year = d.pop("places_per_year")

        receiving_institution_id = UUID(d.pop("receiving_institution_id"))

        sending_institution_id = UUID(d.pop("sending_institution_id"))

        eqf_levels = cast(list[int], d.pop("eqf_levels", UNSET))

        isced_f = cast(list[str], d.pop("isced_f", UNSET))

        _languages = d.pop("languages", UNSET)
        languages: list[LanguageRequirement] | Unset = UNSET
        if _languages is not UNSET:
            languages = []
            for languages_item_data in _languages:
                languages_item = LanguageRequirement.from_dict(languages_item_data)

                languages.append(languages_item)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        cooperation_condition = cls(
            mobility_type=mobility_type,
            months_per_place=months_per_place,
            places_per_year=places_per_year,
            receiving_institution_id=receiving_institution_id,
            sending_institution_id=sending_institution_id,
            eqf_levels=eqf_levels,
            isced_f=isced_f,
            languages=languages,
            note=note,
        )

        return cooperation_condition
