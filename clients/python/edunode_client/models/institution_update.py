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


T = TypeVar("T", bound="InstitutionUpdate")


@_attrs_define
class InstitutionUpdate:
    """A partial update: fields left out keep their value; `names`, `identifiers` and
    `relationships` are replaced as a whole when given. Closing is a status change (plus
    `closed_on`), never a delete.

        Attributes:
            city (None | str | Unset):
            closed_on (datetime.date | None | Unset):
            founded_on (datetime.date | None | Unset):
            geonames_id (int | None | Unset):
            identifiers (list[Identifier] | None | Unset):
            latitude (float | None | Unset):
            legal_status (LegalStatus | None | Unset):
            longitude (float | None | Unset):
            name (str | Unset):
            names (list[NameEntry] | None | Unset):
            relationships (list[Relationship] | None | Unset):
            status (InstitutionStatus | Unset):
            type_ (InstitutionType | Unset):
            website (None | str | Unset):
    """

    city: None | str | Unset = UNSET
    closed_on: datetime.date | None | Unset = UNSET
    founded_on: datetime.date | None | Unset = UNSET
    geonames_id: int | None | Unset = UNSET
    identifiers: list[Identifier] | None | Unset = UNSET
    latitude: float | None | Unset = UNSET
    legal_status: LegalStatus | None | Unset = UNSET
    longitude: float | None | Unset = UNSET
    name: str | Unset = UNSET
    names: list[NameEntry] | None | Unset = UNSET
    relationships: list[Relationship] | None | Unset = UNSET
    status: InstitutionStatus | Unset = UNSET
    type_: InstitutionType | Unset = UNSET
    website: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
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

        identifiers: list[dict[str, Any]] | None | Unset
        if isinstance(self.identifiers, Unset):
            identifiers = UNSET
        elif isinstance(self.identifiers, list):
            identifiers = []
            for identifiers_type_0_item_data in self.identifiers:
                identifiers_type_0_item = identifiers_type_0_item_data.to_dict()
                identifiers.append(identifiers_type_0_item)

        else:
            identifiers = self.identifiers

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

        relationships: list[dict[str, Any]] | None | Unset
        if isinstance(self.relationships, Unset):
            relationships = UNSET
        elif isinstance(self.relationships, list):
            relationships = []
            for relationships_type_0_item_data in self.relationships:
                relationships_type_0_item = relationships_type_0_item_data.to_dict()
                relationships.append(relationships_type_0_item)

        else:
            relationships = self.relationships

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

        field_dict.update({})
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
        if name is not UNSET:
            field_dict["name"] = name
        if names is not UNSET:
            field_dict["names"] = names
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

        def _parse_identifiers(data: object) -> list[Identifier] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                identifiers_type_0 = []
                _identifiers_type_0 = data
                for identifiers_type_0_item_data in _identifiers_type_0:
                    identifiers_type_0_item = Identifier.from_dict(identifiers_type_0_item_data)

                    identifiers_type_0.append(identifiers_type_0_item)

                return identifiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Identifier] | None | Unset, data)

        identifiers = _parse_identifiers(d.pop("identifiers", UNSET))

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

        def _parse_relationships(data: object) -> list[Relationship] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                relationships_type_0 = []
                _relationships_type_0 = data
                for relationships_type_0_item_data in _relationships_type_0:
                    relationships_type_0_item = Relationship.from_dict(relationships_type_0_item_data)

                    relationships_type_0.append(relationships_type_0_item)

                return relationships_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Relationship] | None | Unset, data)

        relationships = _parse_relationships(d.pop("relationships", UNSET))

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

        institution_update = cls(
            city=city,
            closed_on=closed_on,
            founded_on=founded_on,
            geonames_id=geonames_id,
            identifiers=identifiers,
            latitude=latitude,
            legal_status=legal_status,
            longitude=longitude,
            name=name,
            names=names,
            relationships=relationships,
            status=status,
            type_=type_,
            website=website,
        )

        return institution_update
