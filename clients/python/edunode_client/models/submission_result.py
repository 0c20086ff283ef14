from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.flag_level import FlagLevel
from ..models.submission_result_result import SubmissionResultResult
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.flag_message import FlagMessage
    from ..models.submission_result_errors_item import SubmissionResultErrorsItem


T = TypeVar("T", bound="SubmissionResult")


@_attrs_define
class SubmissionResult:
    """The outcome of one submitted evaluation (one row of a batch).

    Attributes:
        result (SubmissionResultResult):
        errors (list[SubmissionResultErrorsItem] | Unset): For a rejected row: every reason (path, message).
        flag (FlagLevel | None | Unset):
        flags (list[FlagMessage] | Unset):
        id (None | Unset | UUID):
        index (int | None | Unset): Position in the batch (from 0).
        local_identifier (None | str | Unset):
        version (int | None | Unset):
    """

    result: SubmissionResultResult
    errors: list[SubmissionResultErrorsItem] | Unset = UNSET
    flag: FlagLevel | None | Unset = UNSET
    flags: list[FlagMessage] | Unset = UNSET
    id: None | Unset | UUID = UNSET
    index: int | None | Unset = UNSET
    local_identifier: None | str | Unset = UNSET
    version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result.value

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        flag: None | str | Unset
        if isinstance(self.flag, Unset):
            flag = UNSET
        elif isinstance(self.flag, FlagLevel):
            flag = self.flag.value
        else:
            flag = self.flag

        flags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.flags, Unset):
            flags = []
            for flags_item_data in self.flags:
                flags_item = flags_item_data.to_dict()
                flags.append(flags_item)

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        index: int | None | Unset
        if isinstance(self.index, Unset):
            index = UNSET
        else:
            index = self.index

        local_identifier: None | str | Unset
        if isinstance(self.local_identifier, Unset):
            local_identifier = UNSET
        else:
            local_identifier = self.local_identifier

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if flag is not UNSET:
            field_dict["flag"] = flag
        if flags is not UNSET:
            field_dict["flags"] = flags
        if id is not UNSET:
            field_dict["id"] = id
        if index is not UNSET:
            field_dict["index"] = index
        if local_identifier is not UNSET:
            field_dict["local_identifier"] = local_identifier
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flag_message import FlagMessage  # noqa: PLC0415
        from ..models.submission_result_errors_item import SubmissionResultErrorsItem  # noqa: PLC0415

        d = dict(src_dict)
        result = SubmissionResultResult(d.pop("result"))

        _errors = d.pop("errors", UNSET)
        errors: list[SubmissionResultErrorsItem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = SubmissionResultErrorsItem.from_dict(errors_item_data)

                errors.append(errors_item)

        def _parse_flag(data: object) -> FlagLevel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flag_type_0 = FlagLevel(data)

                return flag_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FlagLevel | None | Unset, data)

        flag = _parse_flag(d.pop("flag", UNSET))

        _flags = d.pop("flags", UNSET)
        flags: list[FlagMessage] | Unset = UNSET
        if _flags is not UNSET:
            flags = []
            for flags_item_data in _flags:
                flags_item = FlagMessage.from_dict(flags_item_data)

                flags.append(flags_item)

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_index(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        index = _parse_index(d.pop("index", UNSET))

        def _parse_local_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        local_identifier = _parse_local_identifier(d.pop("local_identifier", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        submission_result = cls(
            result=result,
            errors=errors,
            flag=flag,
            flags=flags,
            id=id,
            index=index,
            local_identifier=local_identifier,
            version=version,
        )

        submission_result.additional_properties = d
        return submission_result

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
