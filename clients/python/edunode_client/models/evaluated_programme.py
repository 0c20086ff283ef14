from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.degree_outcome import DegreeOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="EvaluatedProgramme")


@_attrs_define
class EvaluatedProgramme:
    """A programme an evaluation covers; `programme_id` when the directory knows it.

    Attributes:
        name (str):
        degree_outcome (DegreeOutcome | Unset):
        ects (float | None | Unset):
        field (None | str | Unset): ISCED-F 2013 code.
        level (None | str | Unset): `FRAMEWORK:LEVEL`, e.g. `MQF:6`, `EQF:7`.
        programme_id (None | Unset | UUID):
        qualification (None | str | Unset):
    """

    name: str
    degree_outcome: DegreeOutcome | Unset = UNSET
    ects: float | None | Unset = UNSET
    field: None | str | Unset = UNSET
    level: None | str | Unset = UNSET
    programme_id: None | Unset | UUID = UNSET
    qualification: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        degree_outcome: str | Unset = UNSET
        if not isinstance(self.degree_outcome, Unset):
            degree_outcome = self.degree_outcome.value

        ects: float | None | Unset
        if isinstance(self.ects, Unset):
            ects = UNSET
        else:
            ects = self.ects

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        level: None | str | Unset
        if isinstance(self.level, Unset):
            level = UNSET
        else:
            level = self.level

        programme_id: None | str | Unset
        if isinstance(self.programme_id, Unset):
            programme_id = UNSET
        elif isinstance(self.programme_id, UUID):
            programme_id = str(self.programme_id)
        else:
            programme_id = self.programme_id

        qualification: None | str | Unset
        if isinstance(self.qualification, Unset):
            qualification = UNSET
        else:
            qualification = self.qualification

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if degree_outcome is not UNSET:
            field_dict["degree_outcome"] = degree_outcome
        if ects is not UNSET:
            field_dict["ects"] = ects
        if field is not UNSET:
            field_dict["field"] = field
        if level is not UNSET:
            field_dict["level"] = level
        if programme_id is not UNSET:
            field_dict["programme_id"] = programme_id
        if qualification is not UNSET:
            field_dict["qualification"] = qualification

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        _degree_outcome = d.pop("degree_outcome", UNSET)
        degree_outcome: DegreeOutcome | Unset
        if isinstance(_degree_outcome, Unset):
            degree_outcome = UNSET
        else:
            degree_outcome = DegreeOutcome(_degree_outcome)

        def _parse_ects(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        ects = _parse_ects(d.pop("ects", UNSET))

        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        def _parse_level(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        level = _parse_level(d.pop("level", UNSET))

        def _parse_programme_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                programme_id_type_0 = UUID(data)

                return programme_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        programme_id = _parse_programme_id(d.pop("programme_id", UNSET))

        def _parse_qualification(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qualification = _parse_qualification(d.pop("qualification", UNSET))

        evaluated_programme = cls(
            name=name,
            degree_outcome=degree_outcome,
            ects=ects,
            field=field,
            level=level,
            programme_id=programme_id,
            qualification=qualification,
        )

        return evaluated_programme
