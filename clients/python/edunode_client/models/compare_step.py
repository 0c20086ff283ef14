from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referencing_basis import ReferencingBasis

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="CompareStep")


@_attrs_define
class CompareStep:
    """
    Attributes:
        basis (ReferencingBasis):
        from_ (str):
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        to (str):
    """

    basis: ReferencingBasis
    from_: str
    source: Source
    to: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis.value

        from_ = self.from_

        source = self.source.to_dict()

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "basis": basis,
                "from": from_,
                "source": source,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        basis = ReferencingBasis(d.pop("basis"))

        from_ = d.pop("from")

        source = Source.from_dict(d.pop("source"))

        to = d.pop("to")

        compare_step = cls(
            basis=basis,
            from_=from_,
            source=source,
            to=to,
        )

        compare_step.additional_properties = d
        return compare_step

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
