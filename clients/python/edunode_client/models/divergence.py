from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.record_digest import RecordDigest


T = TypeVar("T", bound="Divergence")


@_attrs_define
class Divergence:
    """A service's copy of a record type that does not match the record type itself: some
    record is missing, extra or at another version in the copy.

        Attributes:
            copy (str):
            expected (RecordDigest): Count and order-independent checksum of one record type, so two nodes can compare.
            found (RecordDigest): Count and order-independent checksum of one record type, so two nodes can compare.
            record_type (str):
    """

    copy: str
    expected: RecordDigest
    found: RecordDigest
    record_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        copy = self.copy

        expected = self.expected.to_dict()

        found = self.found.to_dict()

        record_type = self.record_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "copy": copy,
                "expected": expected,
                "found": found,
                "record_type": record_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.record_digest import RecordDigest  # noqa: PLC0415

        d = dict(src_dict)
        copy = d.pop("copy")

        expected = RecordDigest.from_dict(d.pop("expected"))

        found = RecordDigest.from_dict(d.pop("found"))

        record_type = d.pop("record_type")

        divergence = cls(
            copy=copy,
            expected=expected,
            found=found,
            record_type=record_type,
        )

        divergence.additional_properties = d
        return divergence

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
