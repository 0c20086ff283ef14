from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreditsRead")


@_attrs_define
class CreditsRead:
    """
    Attributes:
        credits_ (float):
        ects (float):
        from_credits (float):
        from_system (str):
        rule (str):
        sources (list[str]): The sources of the factors, by title.
        system (str):
    """

    credits_: float
    ects: float
    from_credits: float
    from_system: str
    rule: str
    sources: list[str]
    system: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credits_ = self.credits_

        ects = self.ects

        from_credits = self.from_credits

        from_system = self.from_system

        rule = self.rule

        sources = self.sources

        system = self.system

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "credits": credits_,
                "ects": ects,
                "from_credits": from_credits,
                "from_system": from_system,
                "rule": rule,
                "sources": sources,
                "system": system,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        credits_ = d.pop("credits")

        ects = d.pop("ects")

        from_credits = d.pop("from_credits")

        from_system = d.pop("from_system")

        rule = d.pop("rule")

        sources = cast(list[str], d.pop("sources"))

        system = d.pop("system")

        credits_read = cls(
            credits_=credits_,
            ects=ects,
            from_credits=from_credits,
            from_system=from_system,
            rule=rule,
            sources=sources,
            system=system,
        )

        credits_read.additional_properties = d
        return credits_read

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
