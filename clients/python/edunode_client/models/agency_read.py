from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quality_framework import QualityFramework
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agency_activity import AgencyActivity
    from ..models.agency_name import AgencyName
    from ..models.focus_country import FocusCountry
    from ..models.registration import Registration


T = TypeVar("T", bound="AgencyRead")


@_attrs_define
class AgencyRead:
    """An agency as published (and as `quality.agency.*` events carry it).

    Attributes:
        acronym (str):
        country (str):
        framework (QualityFramework):
        id (UUID):
        name (str):
        origin_node (str): The node that owns (and alone may change) the record.
        updated_at (datetime.datetime):
        activities (list[AgencyActivity] | Unset):
        created_at (datetime.datetime | None | Unset):
        deqar_id (None | str | Unset):
        focus_countries (list[FocusCountry] | Unset):
        names (list[AgencyName] | Unset):
        reference_source (None | str | Unset): Set on a reference record (an agency of a country no node has authority
            over): where its facts come from.
        registrations (list[Registration] | Unset):
        superseded_by (None | Unset | UUID): The agency of the country's own node that superseded this reference record.
        version (int | Unset): The ETag; events carry it as `aggregateversion`. Default: 0.
        website (None | str | Unset):
    """

    acronym: str
    country: str
    framework: QualityFramework
    id: UUID
    name: str
    origin_node: str
    updated_at: datetime.datetime
    activities: list[AgencyActivity] | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    deqar_id: None | str | Unset = UNSET
    focus_countries: list[FocusCountry] | Unset = UNSET
    names: list[AgencyName] | Unset = UNSET
    reference_source: None | str | Unset = UNSET
    registrations: list[Registration] | Unset = UNSET
    superseded_by: None | Unset | UUID = UNSET
    version: int | Unset = 0
    website: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acronym = self.acronym

        country = self.country

        framework = self.framework.value

        id = str(self.id)

        name = self.name

        origin_node = self.origin_node

        updated_at = self.updated_at.isoformat()

        activities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.activities, Unset):
            activities = []
            for activities_item_data in self.activities:
                activities_item = activities_item_data.to_dict()
                activities.append(activities_item)

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

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

        superseded_by: None | str | Unset
        if isinstance(self.superseded_by, Unset):
            superseded_by = UNSET
        elif isinstance(self.superseded_by, UUID):
            superseded_by = str(self.superseded_by)
        else:
            superseded_by = self.superseded_by

        version = self.version

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acronym": acronym,
                "country": country,
                "framework": framework,
                "id": id,
                "name": name,
                "origin_node": origin_node,
                "updated_at": updated_at,
            }
        )
        if activities is not UNSET:
            field_dict["activities"] = activities
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if deqar_id is not UNSET:
            field_dict["deqar_id"] = deqar_id
        if focus_countries is not UNSET:
            field_dict["focus_countries"] = focus_countries
        if names is not UNSET:
            field_dict["names"] = names
        if reference_source is not UNSET:
            field_dict["reference_source"] = reference_source
        if registrations is not UNSET:
            field_dict["registrations"] = registrations
        if superseded_by is not UNSET:
            field_dict["superseded_by"] = superseded_by
        if version is not UNSET:
            field_dict["version"] = version
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

        framework = QualityFramework(d.pop("framework"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        origin_node = d.pop("origin_node")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _activities = d.pop("activities", UNSET)
        activities: list[AgencyActivity] | Unset = UNSET
        if _activities is not UNSET:
            activities = []
            for activities_item_data in _activities:
                activities_item = AgencyActivity.from_dict(activities_item_data)

                activities.append(activities_item)

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

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

        def _parse_superseded_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                superseded_by_type_0 = UUID(data)

                return superseded_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        superseded_by = _parse_superseded_by(d.pop("superseded_by", UNSET))

        version = d.pop("version", UNSET)

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))

        agency_read = cls(
            acronym=acronym,
            country=country,
            framework=framework,
            id=id,
            name=name,
            origin_node=origin_node,
            updated_at=updated_at,
            activities=activities,
            created_at=created_at,
            deqar_id=deqar_id,
            focus_countries=focus_countries,
            names=names,
            reference_source=reference_source,
            registrations=registrations,
            superseded_by=superseded_by,
            version=version,
            website=website,
        )

        agency_read.additional_properties = d
        return agency_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
