from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.diploma_qualification import DiplomaQualification
    from ..models.holder import Holder


T = TypeVar("T", bound="DiplomaCreate")


@_attrs_define
class DiplomaCreate:
    """
    Attributes:
        holder (Holder): The graduate. Personal data: it stays in this node's database and in the credential.
        qualification (DiplomaQualification):
        valid_until (datetime.datetime | None | Unset): When the credential stops being valid (usually never).
    """

    holder: Holder
    qualification: DiplomaQualification
    valid_until: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        holder = self.holder.to_dict()

        qualification = self.qualification.to_dict()

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "holder": holder,
                "qualification": qualification,
            }
        )
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.diploma_qualification import DiplomaQualification  # noqa: PLC0415
        from ..models.holder import Holder  # noqa: PLC0415

        d = dict(src_dict)
        holder = Holder.from_dict(d.pop("holder"))

        qualification = DiplomaQualification.from_dict(d.pop("qualification"))

        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        diploma_create = cls(
            holder=holder,
            qualification=qualification,
            valid_until=valid_until,
        )

        return diploma_create
