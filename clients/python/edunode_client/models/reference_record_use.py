from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferenceRecordUse")


@_attrs_define
class ReferenceRecordUse:
    """A reference record the assessment rests on: a record of a country without a node,
    entered by a node's admin from a named source (docs/reference-records.md).

        Attributes:
            entered_by (str): The node whose admin entered it.
            id (str):
            kind (str): institution, agency or evaluation
            label (str): What the record is, in a few words.
            source (str):
            superseded_by (None | str | Unset): The record of the country's own node that has since replaced it (the
                assessment then uses that one).
    """

    entered_by: str
    id: str
    kind: str
    label: str
    source: str
    superseded_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        entered_by = self.entered_by

        id = self.id

        kind = self.kind

        label = self.label

        source = self.source

        superseded_by: None | str | Unset
        if isinstance(self.superseded_by, Unset):
            superseded_by = UNSET
        else:
            superseded_by = self.superseded_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "entered_by": entered_by,
                "id": id,
                "kind": kind,
                "label": label,
                "source": source,
            }
        )
        if superseded_by is not UNSET:
            field_dict["superseded_by"] = superseded_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entered_by = d.pop("entered_by")

        id = d.pop("id")

        kind = d.pop("kind")

        label = d.pop("label")

        source = d.pop("source")

        def _parse_superseded_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        superseded_by = _parse_superseded_by(d.pop("superseded_by", UNSET))

        reference_record_use = cls(
            entered_by=entered_by,
            id=id,
            kind=kind,
            label=label,
            source=source,
            superseded_by=superseded_by,
        )

        reference_record_use.additional_properties = d
        return reference_record_use

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
