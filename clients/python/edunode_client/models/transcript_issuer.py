from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transcript_identifier import TranscriptIdentifier


T = TypeVar("T", bound="TranscriptIssuer")


@_attrs_define
class TranscriptIssuer:
    """The institution that issued the transcript (ELMO's report issuer).

    Attributes:
        identifiers (list[TranscriptIdentifier]):
        name (str):
        url (str):
        country (None | str | Unset):
    """

    identifiers: list[TranscriptIdentifier]
    name: str
    url: str
    country: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identifiers = []
        for identifiers_item_data in self.identifiers:
            identifiers_item = identifiers_item_data.to_dict()
            identifiers.append(identifiers_item)

        name = self.name

        url = self.url

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "identifiers": identifiers,
                "name": name,
                "url": url,
            }
        )
        if country is not UNSET:
            field_dict["country"] = country

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transcript_identifier import TranscriptIdentifier  # noqa: PLC0415

        d = dict(src_dict)
        identifiers = []
        _identifiers = d.pop("identifiers")
        for identifiers_item_data in _identifiers:
            identifiers_item = TranscriptIdentifier.from_dict(identifiers_item_data)

            identifiers.append(identifiers_item)

        name = d.pop("name")

        url = d.pop("url")

        def _parse_country(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        transcript_issuer = cls(
            identifiers=identifiers,
            name=name,
            url=url,
            country=country,
        )

        return transcript_issuer
