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


T = TypeVar("T", bound="AgencyUpdate")


@_attrs_define
class AgencyUpdate:
    """A partial update; fields left out keep their value (lists are replaced whole).

    Attributes:
        acronym (None | str | Unset):
        activities (list[AgencyActivity] | None | Unset):
        deqar_id (None | str | Unset):
        focus_countries (list[FocusCountry] | None | Unset):
        framework (None | QualityFramework | Unset):
        name (None | str | Unset):
        names (list[AgencyName] | None | Unset):
        registrations (list[Registration] | None | Unset):
        website (None | str | Unset):
    """

    acronym: None | str | Unset = UNSET
    activities: list[AgencyActivity] | None | Unset = UNSET
    deqar_id: None | str | Unset = UNSET
    focus_countries: list[FocusCountry] | None | Unset = UNSET
    framework: None | QualityFramework | Unset = UNSET
    name: None | str | Unset = UNSET
    names: list[AgencyName] | None | Unset = UNSET
    registrations: list[Registration] | None | Unset = UNSET
    website: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        acronym: None | str | Unset
        if isinstance(self.acronym, Unset):
            acronym = UNSET
        else:
            acronym = self.acronym

        activities: list[dict[str, Any]] | None | Unset
        if isinstance(self.activities, Unset):
            activities = UNSET
        elif isinstance(self.activities, list):
            activities = []
            for activities_type_0_item_data in self.activities:
                activities_type_0_item = activities_type_0_item_data.to_dict()
                activities.append(activities_type_0_item)

        else:
            activities = self.activities

        deqar_id: None | str | Unset
        if isinstance(self.deqar_id, Unset):
            deqar_id = UNSET
        else:
            deqar_id = self.deqar_id

        focus_countries: list[dict[str, Any]] | None | Unset
        if isinstance(self.focus_countries, Unset):
            focus_countries = UNSET
        elif isinstance(self.focus_countries, list):
            focus_countries = []
            for focus_countries_type_0_item_data in self.focus_countries:
                focus_countries_type_0_item = focus_countries_type_0_item_data.to_dict()
                focus_countries.append(focus_countries_type_0_item)

        else:
            focus_countries = self.focus_countries

        framework: None | str | Unset
        if isinstance(self.framework, Unset):
            framework = UNSET
        elif isinstance(self.framework, QualityFramework):
            framework = self.framework.value
        else:
            framework = self.framework

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
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

        registrations: list[dict[str, Any]] | None | Unset
        if isinstance(self.registrations, Unset):
            registrations = UNSET
        elif isinstance(self.registrations, list):
            registrations = []
            for registrations_type_0_item_data in self.registrations:
                registrations_type_0_item = registrations_type_0_item_data.to_dict()
                registrations.append(registrations_type_0_item)

        else:
            registrations = self.registrations

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if acronym is not UNSET:
            field_dict["acronym"] = acronym
        if activities is not UNSET:
            field_dict["activities"] = activities
        if deqar_id is not UNSET:
            field_dict["deqar_id"] = deqar_id
        if focus_countries is not UNSET:
            field_dict["focus_countries"] = focus_countries
        if framework is not UNSET:
            field_dict["framework"] = framework
        if name is not UNSET:
            field_dict["name"] = name
        if names is not UNSET:
            field_dict["names"] = names
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

        def _parse_acronym(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        acronym = _parse_acronym(d.pop("acronym", UNSET))

        def _parse_activities(data: object) -> list[AgencyActivity] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                activities_type_0 = []
                _activities_type_0 = data
                for activities_type_0_item_data in _activities_type_0:
                    activities_type_0_item = AgencyActivity.from_dict(activities_type_0_item_data)

                    activities_type_0.append(activities_type_0_item)

                return activities_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AgencyActivity] | None | Unset, data)

        activities = _parse_activities(d.pop("activities", UNSET))

        def _parse_deqar_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deqar_id = _parse_deqar_id(d.pop("deqar_id", UNSET))

        def _parse_focus_countries(data: object) -> list[FocusCountry] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                focus_countries_type_0 = []
                _focus_countries_type_0 = data
                for focus_countries_type_0_item_data in _focus_countries_type_0:
                    focus_countries_type_0_item = FocusCountry.from_dict(focus_countries_type_0_item_data)

                    focus_countries_type_0.append(focus_countries_type_0_item)

                return focus_countries_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FocusCountry] | None | Unset, data)

        focus_countries = _parse_focus_countries(d.pop("focus_countries", UNSET))

        def _parse_framework(data: object) -> None | QualityFramework | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                framework_type_0 = QualityFramework(data)

                return framework_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QualityFramework | Unset, data)

        framework = _parse_framework(d.pop("framework", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_names(data: object) -> list[AgencyName] | None | Unset:
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
                    names_type_0_item = AgencyName.from_dict(names_type_0_item_data)

                    names_type_0.append(names_type_0_item)

                return names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AgencyName] | None | Unset, data)

        names = _parse_names(d.pop("names", UNSET))

        def _parse_registrations(data: object) -> list[Registration] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                registrations_type_0 = []
                _registrations_type_0 = data
                for registrations_type_0_item_data in _registrations_type_0:
                    registrations_type_0_item = Registration.from_dict(registrations_type_0_item_data)

                    registrations_type_0.append(registrations_type_0_item)

                return registrations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Registration] | None | Unset, data)

        registrations = _parse_registrations(d.pop("registrations", UNSET))

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))

        agency_update = cls(
            acronym=acronym,
            activities=activities,
            deqar_id=deqar_id,
            focus_countries=focus_countries,
            framework=framework,
            name=name,
            names=names,
            registrations=registrations,
            website=website,
        )

        return agency_update
