from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.name_kind import NameKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="NameEntry")


@_attrs_define
class NameEntry:
    """One name of an institution; historical names keep `valid_to` and stay searchable.

    Attributes:
        value (str):
        kind (NameKind | Unset):
        lang (None | str | Unset):
        valid_to (datetime.date | None | Unset): Last day the name was in use.
    """

    value: str
    kind: NameKind | Unset = UNSET
    lang: None | str | Unset = UNSET
    valid_to: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        value = self.value

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        lang: None | str | Unset
        if isinstance(self.lang, Unset):
            lang = UNSET
        else:
            lang = self.lang

        valid_to: None | str | Unset
        if isinstance(self.valid_to, Unset):
            valid_to = UNSET
        elif isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "value": value,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if lang is not UNSET:
            field_dict["lang"] = lang
        if valid_to is not UNSET:
            field_dict["valid_to"] = valid_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        value = d.pop("value")

        _kind = d.pop("kind", UNSET)
        kind: NameKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = NameKind(_kind)

        def _parse_lang(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lang = _parse_lang(d.pop("lang", UNSET))

        def _parse_valid_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_to_type_0 = datetime.date.fromisoformat(data)

                return valid_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        valid_to = _parse_valid_to(d.pop("valid_to", UNSET))

        name_entry = cls(
            value=value,
            kind=kind,
            lang=lang,
            valid_to=valid_to,
        )

        return name_entry
