from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.agreement_scope import AgreementScope
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="AgreementUpdate")


@_attrs_define
class AgreementUpdate:
    """
    Attributes:
        article (None | str | Unset):
        conditions (list[str] | Unset):
        ended_on (datetime.date | None | Unset):
        in_force_on (datetime.date | None | Unset):
        levels (list[str] | Unset):
        parties (list[str] | Unset):
        scope (AgreementScope | Unset):
        signed_on (datetime.date | None | Unset):
        source (Source | Unset): Where a fact comes from; `verified: false` marks facts not checked against it.
        title (str | Unset):
    """

    article: None | str | Unset = UNSET
    conditions: list[str] | Unset = UNSET
    ended_on: datetime.date | None | Unset = UNSET
    in_force_on: datetime.date | None | Unset = UNSET
    levels: list[str] | Unset = UNSET
    parties: list[str] | Unset = UNSET
    scope: AgreementScope | Unset = UNSET
    signed_on: datetime.date | None | Unset = UNSET
    source: Source | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        article: None | str | Unset
        if isinstance(self.article, Unset):
            article = UNSET
        else:
            article = self.article

        conditions: list[str] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = self.conditions

        ended_on: None | str | Unset
        if isinstance(self.ended_on, Unset):
            ended_on = UNSET
        elif isinstance(self.ended_on, datetime.date):
            ended_on = self.ended_on.isoformat()
        else:
            ended_on = self.ended_on

        in_force_on: None | str | Unset
        if isinstance(self.in_force_on, Unset):
            in_force_on = UNSET
        elif isinstance(self.in_force_on, datetime.date):
            in_force_on = self.in_force_on.isoformat()
        else:
            in_force_on = self.in_force_on

        levels: list[str] | Unset = UNSET
        if not isinstance(self.levels, Unset):
            levels = self.levels

        parties: list[str] | Unset = UNSET
        if not isinstance(self.parties, Unset):
            parties = self.parties

        scope: str | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope.value

        signed_on: None | str | Unset
        if isinstance(self.signed_on, Unset):
            signed_on = UNSET
        elif isinstance(self.signed_on, datetime.date):
            signed_on = self.signed_on.isoformat()
        else:
            signed_on = self.signed_on

        source: dict[str, Any] | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.to_dict()

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if article is not UNSET:
            field_dict["article"] = article
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if ended_on is not UNSET:
            field_dict["ended_on"] = ended_on
        if in_force_on is not UNSET:
            field_dict["in_force_on"] = in_force_on
        if levels is not UNSET:
            field_dict["levels"] = levels
        if parties is not UNSET:
            field_dict["parties"] = parties
        if scope is not UNSET:
            field_dict["scope"] = scope
        if signed_on is not UNSET:
            field_dict["signed_on"] = signed_on
        if source is not UNSET:
            field_dict["source"] = source
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_article(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        article = _parse_article(d.pop("article", UNSET))

        conditions = cast(list[str], d.pop("conditions", UNSET))

        def _parse_ended_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_on_type_0 = datetime.date.fromisoformat(data)

                return ended_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        ended_on = _parse_ended_on(d.pop("ended_on", UNSET))

        def _parse_in_force_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                in_force_on_type_0 = datetime.date.fromisoformat(data)

                return in_force_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        in_force_on = _parse_in_force_on(d.pop("in_force_on", UNSET))

        levels = cast(list[str], d.pop("levels", UNSET))

        parties = cast(list[str], d.pop("parties", UNSET))

        _scope = d.pop("scope", UNSET)
        scope: AgreementScope | Unset
        if isinstance(_scope, Unset):
            scope = UNSET
        else:
            scope = AgreementScope(_scope)

        def _parse_signed_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signed_on_type_0 = datetime.date.fromisoformat(data)

                return signed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        signed_on = _parse_signed_on(d.pop("signed_on", UNSET))

        _source = d.pop("source", UNSET)
        source: Source | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = Source.from_dict(_source)

        title = d.pop("title", UNSET)

        agreement_update = cls(
            article=article,
            conditions=conditions,
            ended_on=ended_on,
            in_force_on=in_force_on,
            levels=levels,
            parties=parties,
            scope=scope,
            signed_on=signed_on,
            source=source,
            title=title,
        )

        return agreement_update
