from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PlannedComponent")


@_attrs_define
class PlannedComponent:
    """A component of the learning agreement to be studied abroad, matched with the
    transcript by its code (else its title).

        Attributes:
            credits_ (float):
            title (str):
            code (None | str | Unset):
            isced_f (None | str | Unset):
            replaces (list[str] | Unset): The components at home it replaces, as `code title` (learning agreement).
            system (str | Unset):  Default: 'ECTS'.
    """

    credits_: float
    title: str
    code: None | str | Unset = UNSET
    isced_f: None | str | Unset = UNSET
    replaces: list[str] | Unset = UNSET
    system: str | Unset = "ECTS"

    def to_dict(self) -> dict[str, Any]:
        credits_ = self.credits_

        title = self.title

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        isced_f: None | str | Unset
        if isinstance(self.isced_f, Unset):
            isced_f = UNSET
        else:
            isced_f = self.isced_f

        replaces: list[str] | Unset = UNSET
        if not isinstance(self.replaces, Unset):
            replaces = self.replaces

        system = self.system

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "credits": credits_,
                "title": title,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if isced_f is not UNSET:
            field_dict["isced_f"] = isced_f
        if replaces is not UNSET:
            field_dict["replaces"] = replaces
        if system is not UNSET:
            field_dict["system"] = system

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        credits_ = d.pop("credits")

        title = d.pop("title")

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_isced_f(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        isced_f = _parse_isced_f(d.pop("isced_f", UNSET))

        replaces = cast(list[str], d.pop("replaces", UNSET))

        system = d.pop("system", UNSET)

        planned_component = cls(
            credits_=credits_,
            title=title,
            code=code,
            isced_f=isced_f,
            replaces=replaces,
            system=system,
        )

        return planned_component
