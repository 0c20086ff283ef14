from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.institution_page_facets import InstitutionPageFacets
    from ..models.institution_read import InstitutionRead


T = TypeVar("T", bound="InstitutionPage")


@_attrs_define
class InstitutionPage:
    """One page of institutions, with facet counts over the whole (filtered) result.

    Attributes:
        items (list[InstitutionRead]):
        limit (int):
        facets (InstitutionPageFacets | Unset): Counts by country, type and status.
        next_cursor (None | str | Unset): Opaque cursor of the next page; null on the last page.
        total (int | None | Unset): How many institutions match.
    """

    items: list[InstitutionRead]
    limit: int
    facets: InstitutionPageFacets | Unset = UNSET
    next_cursor: None | str | Unset = UNSET
    total: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        limit = self.limit

        facets: dict[str, Any] | Unset = UNSET
        if not isinstance(self.facets, Unset):
            facets = self.facets.to_dict()

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        total: int | None | Unset
        if isinstance(self.total, Unset):
            total = UNSET
        else:
            total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "limit": limit,
            }
        )
        if facets is not UNSET:
            field_dict["facets"] = facets
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor
        if total is not UNSET:
            field_dict["total"] = total

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.institution_page_facets import InstitutionPageFacets  # noqa: PLC0415
        from ..models.institution_read import InstitutionRead  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = InstitutionRead.from_dict(items_item_data)

            items.append(items_item)

        limit = d.pop("limit")

        _facets = d.pop("facets", UNSET)
        facets: InstitutionPageFacets | Unset
        if isinstance(_facets, Unset):
            facets = UNSET
        else:
            facets = InstitutionPageFacets.from_dict(_facets)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        def _parse_total(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total = _parse_total(d.pop("total", UNSET))

        institution_page = cls(
            items=items,
            limit=limit,
            facets=facets,
            next_cursor=next_cursor,
            total=total,
        )

        institution_page.additional_properties = d
        return institution_page

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
