from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.institution_read import InstitutionRead


T = TypeVar("T", bound="MatchItem")


@_attrs_define
class MatchItem:
    """
    Attributes:
        chosen (bool):
        institution (InstitutionRead): An institution as the directory publishes it. `relationships` include the inverse
            of
            those other institutions declare towards this one.
        matching_type (str):
        score (float):
    """

    chosen: bool
    institution: InstitutionRead
    matching_type: str
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chosen = self.chosen

        institution = self.institution.to_dict()

        matching_type = self.matching_type

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chosen": chosen,
                "institution": institution,
                "matching_type": matching_type,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.institution_read import InstitutionRead  # noqa: PLC0415

        d = dict(src_dict)
        chosen = d.pop("chosen")

        institution = InstitutionRead.from_dict(d.pop("institution"))

        matching_type = d.pop("matching_type")

        score = d.pop("score")

        match_item = cls(
            chosen=chosen,
            institution=institution,
            matching_type=matching_type,
            score=score,
        )

        match_item.additional_properties = d
        return match_item

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
