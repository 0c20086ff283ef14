from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.convention_party import ConventionParty


T = TypeVar("T", bound="ConventionRead")


@_attrs_define
class ConventionRead:
    """A recognition convention as reference data (`rules/conventions.py`).

    Attributes:
        adopted_on (datetime.date):
        article (None | str): The article on recognising qualifications.
        article_source (str):
        id (str):
        in_force_on (datetime.date):
        name (str):
        parties (list[ConventionParty]):
        regional (bool):
        title (str):
    """

    adopted_on: datetime.date
    article: None | str
    article_source: str
    id: str
    in_force_on: datetime.date
    name: str
    parties: list[ConventionParty]
    regional: bool
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adopted_on = self.adopted_on.isoformat()

        article: None | str
        article = self.article

        article_source = self.article_source

        id = self.id

        in_force_on = self.in_force_on.isoformat()

        name = self.name

        parties = []
        for parties_item_data in self.parties:
            parties_item = parties_item_data.to_dict()
            parties.append(parties_item)

        regional = self.regional

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adopted_on": adopted_on,
                "article": article,
                "article_source": article_source,
                "id": id,
                "in_force_on": in_force_on,
                "name": name,
                "parties": parties,
                "regional": regional,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.convention_party import ConventionParty  # noqa: PLC0415

        d = dict(src_dict)
        adopted_on = datetime.date.fromisoformat(d.pop("adopted_on"))

        def _parse_article(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        article = _parse_article(d.pop("article"))

        article_source = d.pop("article_source")

        id = d.pop("id")

        in_force_on = datetime.date.fromisoformat(d.pop("in_force_on"))

        name = d.pop("name")

        parties = []
        _parties = d.pop("parties")
        for parties_item_data in _parties:
            parties_item = ConventionParty.from_dict(parties_item_data)

            parties.append(parties_item)

        regional = d.pop("regional")

        title = d.pop("title")

        convention_read = cls(
            adopted_on=adopted_on,
            article=article,
            article_source=article_source,
            id=id,
            in_force_on=in_force_on,
            name=name,
            parties=parties,
            regional=regional,
            title=title,
        )

        convention_read.additional_properties = d
        return convention_read

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
