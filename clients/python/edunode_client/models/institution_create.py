from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.institution_status import InstitutionStatus
from ..models.institution_type import InstitutionType
from ..models.legal_status import LegalStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identifier import Identifier
    from ..models.name_entry import NameEntry
    from ..models.relationship import Relationship


T = TypeVar("T", bound="InstitutionCreate")


@_attrs_define
class InstitutionCreate:
    """A new institution of a country this node has authority over; or, with its
    `reference_source`, a reference record of a country no node has authority over (node
    admin only).

        Attributes:
            country (str): ISO 3166-1 alpha-2.
            name (str): The display name; it is always one of `names` too.
            city (None | str | Unset):
            closed_on (datetime.date | None | Unset):
            founded_on (datetime.date | None | Unset):
            geonames_id (int | None | Unset): The GeoNames id of the city, as ROR records it.
            identifiers (list[Identifier] | Unset):
            latitude (float | None | Unset):
            legal_status (LegalStatus | None | Unset):
            longitude (float | None | Unset):
            names (list[NameEntry] | Unset):
            reference_source (None | str | Unset):
            relationships (list[Relationship] | Unset):
            status (InstitutionStatus | Unset):
            type_ (InstitutionType | Unset):
            website (None | str | Unset):
    """

    country: str
    name: str
    city: None | str | Unset = UNSET
    closed_on: datetime.date | None | Unset = UNSET
    founded_on: datetime.date | None | Unset = UNSET
    geonames_id: int | None | Unset = UNSET
    identifiers: list[Identifier] | Unset = UNSET
    latitude: float | None | Unset = UNSET
    legal_status: LegalStatus | None | Unset = UNSET
    longitude: float | None | Unset = UNSET
    names: list[NameEntry] | Unset = UNSET
    reference_source: None | str | Unset = UNSET
    relationships: list[Relationship] | Unset = UNSET
    status: InstitutionStatus | Unset = UNSET
    type_: InstitutionType | Unset = UNSET
    website: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        name = self.name

        city: None | str | Unset
        if isinstance(self.city, Unset):
            city = UNSET
        else:
            city = self.city

        closed_on: None | str | Unset
        if isinstance(self.closed_on, Unset):
            closed_on = UNSET
        elif isinstance(self.closed_on, datetime.date):
            closed_on = self.closed_on.isoformat()
        else:
            closed_on = self.closed_on

        founded_on: None | str | Unset
        if isinstance(self.founded_on, Unset):
            founded_on = UNSET
        elif isinstance(self.founded_on, datetime.date):
            founded_on = self.founded_on.isoformat()
        else:
            founded_on = self.founded_on

        geonames_id: int | None | Unset
        if isinstance(self.geonames_id, Unset):
            geonames_id = UNSET
        else:
            geonames_id = self.geonames_id

        identifiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identifiers, Unset):
            identifiers = []
            for identifiers_item_data in self.identifiers:
                identifiers_item = identifiers_item_data.to_dict()
                identifiers.append(identifiers_item)

        latitude: float | None | Unset
        if isinstance(self.latitude, Unset):
            latitude = UNSET
        else:
            latitude = self.latitude

        legal_status: None | str | Unset
        if isinstance(self.legal_status, Unset):
            legal_status = UNSET
        elif isinstance(self.legal_status, LegalStatus):
            legal_status = self.legal_status.value
        else:
            legal_status = self.legal_status

        longitude: float | None | Unset
        if isinstance(self.longitude, Unset):
            longitude = UNSET
        else:
            longitude = self.longitude

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

        relationships: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = []
            for relationships_item_data in self.relationships:
                relationships_item = relationships_item_data.to_dict()
                relationships.append(relationships_item)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        website: None | str | Unset
        if isinstance(self.website, Unset):
            website = UNSET
        else:
            website = self.website

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "country": country,
                "name": name,
            }
        )
        if city is not UNSET:
            field_dict["city"] = city
        if closed_on is not UNSET:
            field_dict["closed_on"] = closed_on
        if founded_on is not UNSET:
            field_dict["founded_on"] = founded_on
        if geonames_id is not UNSET:
            field_dict["geonames_id"] = geonames_id
        if identifiers is not UNSET:
            field_dict["identifiers"] = identifiers
        if latitude is not UNSET:
            field_dict["latitude"] = latitude
        if legal_status is not UNSET:
            field_dict["legal_status"] = legal_status
        if longitude is not UNSET:
            field_dict["longitude"] = longitude
        if names is not UNSET:
            field_dict["names"] = names
        if reference_source is not UNSET:
            field_dict["reference_source"] = reference_source
        if relationships is not UNSET:
            field_dict["relationships"] = relationships
        if status is not UNSET:
            field_dict["status"] = status
        if type_ is not UNSET:
            field_dict["type"] = type_
        if website is not UNSET:
            field_dict["website"] = website

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identifier import Identifier  # noqa: PLC0415
        from ..models.name_entry import NameEntry  # noqa: PLC0415
        from ..models.relationship import Relationship  # noqa: PLC0415

        d = dict(src_dict)
        country = d.pop("country")

        name = d.pop("name")

        def _parse_city(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        city = _parse_city(d.pop("city", UNSET))

        def _parse_closed_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_on_type_0 = datetime.date.fromisoformat(data)

                return closed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        closed_on = _parse_closed_on(d.pop("closed_on", UNSET))

        def _parse_founded_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                founded_on_type_0 = datetime.date.fromisoformat(data)

                return founded_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        founded_on = _parse_founded_on(d.pop("founded_on", UNSET))

        def _parse_geonames_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        geonames_id = _parse_geonames_id(d.pop("geonames_id", UNSET))

        _identifiers = d.pop("identifiers", UNSET)
        identifiers: list[Identifier] | Unset = UNSET
        if _identifiers is not UNSET:
            identifiers = []
            for identifiers_item_data in _identifiers:
                identifiers_item = Identifier.from_dict(identifiers_item_data)

                identifiers.append(identifiers_item)

        def _parse_latitude(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latitude = _parse_latitude(d.pop("latitude", UNSET))

        def _parse_legal_status(data: object) -> LegalStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                legal_status_type_0 = LegalStatus(data)

                return legal_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegalStatus | None | Unset, data)

        legal_status = _parse_legal_status(d.pop("legal_status", UNSET))

        def _parse_longitude(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        longitude = _parse_longitude(d.pop("longitude", UNSET))

        _names = d.pop("names", UNSET)
        names: list[NameEntry] | Unset = UNSET
        if _names is not UNSET:
            names = []
            for names_item_data in _names:
                names_item = NameEntry.from_dict(names_item_data)

                names.append(names_item)

        def _parse_reference_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_source = _parse_reference_source(d.pop("reference_source", UNSET))

        _relationships = d.pop("relationships", UNSET)
        relationships: list[Relationship] | Unset = UNSET
        if _relationships is not UNSET:
            relationships = []
            for relationships_item_data in _relationships:
                relationships_item = Relationship.from_dict(relationships_item_data)

                relationships.append(relationships_item)

        _status = d.pop("status", UNSET)
        status: InstitutionStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = InstitutionStatus(_status)

        _type_ = d.pop("type", UNSET)
        type_: InstitutionType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = InstitutionType(_type_)

        def _parse_website(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        website = _parse_website(d.pop("website", UNSET))

        institution_create = cls(
            country=country,
            name=name,
            city=city,
            closed_on=closed_on,
            founded_on=founded_on,
            geonames_id=geonames_id,
            identifiers=identifiers,
            latitude=latitude,
            legal_status=legal_status,
            longitude=longitude,
            names=names,
            reference_source=reference_source,
            relationships=relationships,
            status=status,
            type_=type_,
            website=website,
        )

        return institution_create
