from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LaHomeComponent")


@_attrs_define
class LaHomeComponent:
    """A component at home that the stay replaces: `replaced_by` names the codes of the
    components abroad that replace it (empty: the whole programme abroad).

        Attributes:
            code (str):
            credit_system (str): `ECTS`, `CN`, `MY`…
            credits_ (float):
            term (str): Which term of the academic year: `1/2` the first of two semesters.
            title (str):
            replaced_by (list[str] | Unset):
    """

    code: str
    credit_system: str
    credits_: float
    term: str
    title: str
    replaced_by: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        credit_system = self.credit_system

        credits_ = self.credits_

        term = self.term

        title = self.title

        replaced_by: list[str] | Unset = UNSET
        if not isinstance(self.replaced_by, Unset):
            replaced_by = self.replaced_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "credit_system": credit_system,
                "credits": credits_,
                "term": term,
                "title": title,
            }
        )
        if replaced_by is not UNSET:
            field_dict["replaced_by"] = replaced_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        credit_system = d.pop("credit_system")

        credits_ = d.pop("credits")

        term = d.pop("term")

        title = d.pop("title")

        replaced_by = cast(list[str], d.pop("replaced_by", UNSET))

        la_home_component = cls(
            code=code,
            credit_system=credit_system,
            credits_=credits_,
            term=term,
            title=title,
            replaced_by=replaced_by,
        )

        return la_home_component
