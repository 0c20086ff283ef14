from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agreement_kind import AgreementKind
from ..models.agreement_scope import AgreementScope
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="Agreement")


@_attrs_define
class Agreement:
    """A recognition agreement, as served and as `recognition.agreement.*` events carry it.

    Attributes:
        id (str):
        kind (AgreementKind):
        levels (list[str]): QF-EHEA cycles covered, e.g. `QF-EHEA:first`.
        parties (list[str]):
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        title (str):
        article (None | str | Unset): The article on which recognition rests, e.g. `3(1)`.
        conditions (list[str] | Unset):
        ended_on (datetime.date | None | Unset):
        in_force_on (datetime.date | None | Unset):
        legal_basis (None | str | Unset): Unused: the conventions are reference data of their own
            (`rules/conventions.py`), not agreements.
        origin_node (None | str | Unset):
        scope (AgreementScope | Unset):
        signed_on (datetime.date | None | Unset):
        updated_at (datetime.datetime | None | Unset):
        version (int | Unset):  Default: 1.
    """

    id: str
    kind: AgreementKind
    levels: list[str]
    parties: list[str]
    source: Source
    title: str
    article: None | str | Unset = UNSET
    conditions: list[str] | Unset = UNSET
    ended_on: datetime.date | None | Unset = UNSET
    in_force_on: datetime.date | None | Unset = UNSET
    legal_basis: None | str | Unset = UNSET
    origin_node: None | str | Unset = UNSET
    scope: AgreementScope | Unset = UNSET
    signed_on: datetime.date | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    version: int | Unset = 1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        levels = self.levels

        parties = self.parties

        source = self.source.to_dict()

        title = self.title

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

        legal_basis: None | str | Unset
        if isinstance(self.legal_basis, Unset):
            legal_basis = UNSET
        else:
            legal_basis = self.legal_basis

        origin_node: None | str | Unset
        if isinstance(self.origin_node, Unset):
            origin_node = UNSET
        else:
            origin_node = self.origin_node

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

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "levels": levels,
                "parties": parties,
                "source": source,
                "title": title,
            }
        )
        if article is not UNSET:
            field_dict["article"] = article
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if ended_on is not UNSET:
            field_dict["ended_on"] = ended_on
        if in_force_on is not UNSET:
            field_dict["in_force_on"] = in_force_on
        if legal_basis is not UNSET:
            field_dict["legal_basis"] = legal_basis
        if origin_node is not UNSET:
            field_dict["origin_node"] = origin_node
        if scope is not UNSET:
            field_dict["scope"] = scope
        if signed_on is not UNSET:
            field_dict["signed_on"] = signed_on
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        kind = AgreementKind(d.pop("kind"))

        levels = cast(list[str], d.pop("levels"))

        parties = cast(list[str], d.pop("parties"))

        source = Source.from_dict(d.pop("source"))

        title = d.pop("title")

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

        def _parse_legal_basis(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        legal_basis = _parse_legal_basis(d.pop("legal_basis", UNSET))

        def _parse_origin_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin_node = _parse_origin_node(d.pop("origin_node", UNSET))

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

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        version = d.pop("version", UNSET)

        agreement = cls(
            id=id,
            kind=kind,
            levels=levels,
            parties=parties,
            source=source,
            title=title,
            article=article,
            conditions=conditions,
            ended_on=ended_on,
            in_force_on=in_force_on,
            legal_basis=legal_basis,
            origin_node=origin_node,
            scope=scope,
            signed_on=signed_on,
            updated_at=updated_at,
            version=version,
        )

        agreement.additional_properties = d
        return agreement

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
