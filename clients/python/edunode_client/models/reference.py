from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.referencing_basis import ReferencingBasis
from ..types import UNSET, Unset

T = TypeVar("T", bound="Reference")


@_attrs_define
class Reference:
    """A level's correspondence to a level of another (reference) framework.

    Attributes:
        to (str):
        basis (ReferencingBasis | Unset):
    """

    to: str
    basis: ReferencingBasis | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        to = self.to

        basis: str | Unset = UNSET
        if not isinstance(self.basis, Unset):
            basis = self.basis.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "to": to,
            }
        )
        if basis is not UNSET:
            field_dict["basis"] = basis

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        to = d.pop("to")

        _basis = d.pop("basis", UNSET)
        basis: ReferencingBasis | Unset
        if isinstance(_basis, Unset):
            basis = UNSET
        else:
            basis = ReferencingBasis(_basis)

        reference = cls(
            to=to,
            basis=basis,
        )

        return reference
