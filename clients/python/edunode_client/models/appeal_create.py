from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppealCreate")


@_attrs_define
class AppealCreate:
    """
    Attributes:
        grounds (None | str | Unset):
    """

    grounds: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grounds: None | str | Unset
        if isinstance(self.grounds, Unset):
            grounds = UNSET
        else:
            grounds = self.grounds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grounds is not UNSET:
            field_dict["grounds"] = grounds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_grounds(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        grounds = _parse_grounds(d.pop("grounds", UNSET))

        appeal_create = cls(
            grounds=grounds,
        )

        return appeal_create
