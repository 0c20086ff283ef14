from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.quality_framework import QualityFramework
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agency_activity import AgencyActivity
    from ..models.agency_name import AgencyName
    from ..models.focus_country import FocusCountry
    from ..models.registration import Registration


T = TypeVar("T", bound="AgencyCreate")


@_attrs_define
class AgencyCreate:
    """A new agency of a country this node has authority over; or, with its
    `reference_source`, a reference record of an agency of a country no node has authority
    over (node admin only; docs/reference-records.md).

        Attributes:
            acronym (str):
            country (str):
            name (str):
            activities (list[AgencyActivity] | Unset):
            deqar_id (None | str | Unset): The agency's id in DEQAR (EQAR-registered agencies): DEQAR's files may name the
                agency by it instead of its acronym.
            focus_countries (list[FocusCountry] | Unset):
            framework (QualityFramework | Unset):
            names (list[AgencyName] | Unset): Other names.
            reference_source (None | str | Unset):
            registrations (list[Registration] | Unset):
            website (None | str | Unset):
    """

    acronym: str
    country: str
    name: str
    activities: list[AgencyActivity] | Unset = UNSET
    deqar_id: None | str | Unset = UNSET
    focus_countries: list[FocusCountry] | Unset = UNSET
    framework: QualityFramework | Unset = UNSET
    names: list[AgencyName] | Unset = UNSET
    reference_source: None | str | Unset = UNSET
    registrations: list[Registration] | Unset = UNSET
    website: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        acronym = self.acronym

        country = self.country

        name = self.name

        activities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.activities, Unset):
            activities = []
            for activities_item_data in self.activities:
                activities_item = activities_item_data.to_dict()
                activities.append(activities_item)

        deqar_id: None | str | Unset
        if isinstance(self.deqar_id, Unset):
            deqar_id = UNSET
        else:
            deqar_id = self.deqar_id

        focus_countries: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.focus_countries, Unset):
            focus_countries = []
            for focus_countries_item_data in self.focus_countries:
                focus_countries_item = focus_countries_item_data.to_dict()
                focus_countries.append(focus_countries_item)

        framework: str | Unset = UNSET
        if not isinstance(self.framework, Unset):
            framework = self.framework.value

        names: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = []
            for names_item_data in self.names:
                names_item = names_item_data.to_dict()
                names.append(names_item)

        reference_source: None | str | Unset
        if isinstance(self.reference_source, Unset):
            reference_source = UNSET
        else:
            reference_source = self.reference_source

        registrations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.registrations, Unset):
            registrations = []
            for registrations_item_data in self.registrations:
                registrations_item = registrations_item_data.to_dict()
                registrations.append(registrations_item)

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "acronym": acronym,
                "country": country,
                "name": name,
            }
        )
        if activities is not UNSET:
            field_dict["activities"] = activities
        if deqar_id is not UNSET:
            field_dict["deqar_id"] = deqar_id
        if focus_countries is not UNSET:
            field_dict["focus_countries"] = focus_countries
        if framework is not UNSET:
            field_dict["framework"] = framework
        if names is not UNSET:
            field_dict["names"] = names
        if reference_source is not UNSET:
            field_dict["reference_source"] = reference_source
        if registrations is not UNSET:
            field_dict["registrations"] = registrations
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agency_activity import AgencyActivity  # noqa: PLC0415
        from ..models.agency_name import AgencyName  # noqa: PLC0415
        from ..models.focus_country import FocusCountry  # noqa: PLC0415
        from ..models.registration import Registration  # noqa: PLC0415

        d = dict(src_dict)
        acronym = d.pop("acronym")

        country = d.pop("country")

        name = d.pop("name")

        _activities = d.pop("activities", UNSET)
        activities: list[AgencyActivity] | Unset = UNSET
        if _activities is not UNSET:
            activities = []
            for activities_item_data in _activities:
                activities_item = AgencyActivity.from_dict(activities_item_data)

                activities.append(activities_item)

        def _parse_deqar_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deqar_id = _parse_deqar_id(d.pop("deqar_id", UNSET))

        _focus_countries = d.pop("focus_countries", UNSET)
        focus_countries: list[FocusCountry] | Unset = UNSET
        if _focus_countries is not UNSET:
            focus_countries = []
            for focus_countries_item_data in _focus_countries:
                focus_countries_item = FocusCountry.from_dict(focus_countries_item_data)

                focus_countries.append(focus_countries_item)

        _framework = d.pop("framework", UNSET)
        framework: QualityFramework | Unset
        if isinstance(_framework, Unset):
            framework = UNSET
        else:
            framework = QualityFramework(_framework)

        _names = d.pop("names", UNSET)
        names: list[AgencyName] | Unset = UNSET
        if _names is not UNSET:
            names = []
            for names_item_data in _names:
                names_item = AgencyName.from_dict(names_item_data)

                names.append(names_item)

        def _parse_reference_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_source = _parse_reference_source(d.pop("reference_source", UNSET))

        _registrations = d.pop("registrations", UNSET)
        registrations: list[Registration] | Unset = UNSET
        if _registrations is not UNSET:
            registrations = []
            for registrations_item_data in _registrations:
                registrations_item = Registration.from_dict(registrations_item_data)

                registrations.append(registrations_item)

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))

        agency_create = cls(
            acronym=acronym,
            country=country,
            name=name,
            activities=activities,
            deqar_id=deqar_id,
            focus_countries=focus_countries,
            framework=framework,
            names=names,
            reference_source=reference_source,
            registrations=registrations,
            website=website,
        )

        return agency_create
