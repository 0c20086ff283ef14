from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referencing_basis import ReferencingBasis
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="Referencing")


@_attrs_define
class Referencing:
    """One entry of a referencing table: `from` corresponds to `to`.

    Attributes:
        basis (ReferencingBasis):
        from_ (str):
        source (Source): Where a fact comes from; `verified: false` marks facts not checked against it.
        to (str):
        origin_node (None | str | Unset): null for the shipped reference data; else the owning node.
    """

    basis: ReferencingBasis
    from_: str
    source: Source
    to: str
    origin_node: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis.value

        from_ = self.from_

        source = self.source.to_dict()

        to = self.to

        origin_node: None | str | Unset
        if isinstance(self.origin_node, Unset):
            origin_node = UNSET
        else:
            origin_node = self.origin_node

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
        if origin_node is not UNSET:
            field_dict["origin_node"] = origin_node

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        basis = ReferencingBasis(d.pop("basis"))

        from_ = d.pop("from")

        source = Source.from_dict(d.pop("source"))

        to = d.pop("to")

        def _parse_origin_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        origin_node = _parse_origin_node(d.pop("origin_node", UNSET))

        referencing = cls(
            basis=basis,
            from_=from_,
            source=source,
            to=to,
            origin_node=origin_node,
        )

        referencing.additional_properties = d
        return referencing

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
