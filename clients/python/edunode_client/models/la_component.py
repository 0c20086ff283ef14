from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LaComponent")


@_attrs_define
class LaComponent:
    """A course (educational component): in the receiving institution's credits when studied
    abroad, in the sending institution's when replaced at home.

        Attributes:
            code (str):
            credit_system (str): `ECTS`, `CN`, `MY`…
            credits_ (float):
            term (str): Which term of the academic year: `1/2` the first of two semesters.
            title (str):
    """

    code: str
    credit_system: str
    credits_: float
    term: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        credit_system = self.credit_system

        credits_ = self.credits_

        term = self.term

        title = self.title

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        credit_system = d.pop("credit_system")

        credits_ = d.pop("credits")

        term = d.pop("term")

        title = d.pop("title")

        la_component = cls(
            code=code,
            credit_system=credit_system,
            credits_=credits_,
            term=term,
            title=title,
        )

        return la_component
