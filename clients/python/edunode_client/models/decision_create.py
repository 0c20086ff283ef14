from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.outcome import Outcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legal_basis import LegalBasis
    from ..models.substantial_difference import SubstantialDifference


T = TypeVar("T", bound="DecisionCreate")


@_attrs_define
class DecisionCreate:
    """
    Attributes:
        legal_basis (LegalBasis):
        outcome (Outcome):
        comparable_level (None | str | Unset): Defaults to the assessment's comparable level.
        conditions (list[str] | Unset):
        justification (None | str | Unset): Required when the outcome departs from the recommendation or refuses.
        substantial_differences (list[SubstantialDifference] | Unset): At least one for a refusal.
    """

    legal_basis: LegalBasis
    outcome: Outcome
    comparable_level: None | str | Unset = UNSET
    conditions: list[str] | Unset = UNSET
    justification: None | str | Unset = UNSET
    substantial_differences: list[SubstantialDifference] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        legal_basis = self.legal_basis.to_dict()

        outcome = self.outcome.value

        comparable_level: None | str | Unset
        if isinstance(self.comparable_level, Unset):
            comparable_level = UNSET
        else:
            comparable_level = self.comparable_level

        conditions: list[str] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = self.conditions

        justification: None | str | Unset
        if isinstance(self.justification, Unset):
            justification = UNSET
        else:
            justification = self.justification

        substantial_differences: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.substantial_differences, Unset):
            substantial_differences = []
            for substantial_differences_item_data in self.substantial_differences:
                substantial_differences_item = substantial_differences_item_data.to_dict()
                substantial_differences.append(substantial_differences_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "legal_basis": legal_basis,
                "outcome": outcome,
            }
        )
        if comparable_level is not UNSET:
            field_dict["comparable_level"] = comparable_level
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if justification is not UNSET:
            field_dict["justification"] = justification
        if substantial_differences is not UNSET:
            field_dict["substantial_differences"] = substantial_differences

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legal_basis import LegalBasis  # noqa: PLC0415
        from ..models.substantial_difference import SubstantialDifference  # noqa: PLC0415

        d = dict(src_dict)
        legal_basis = LegalBasis.from_dict(d.pop("legal_basis"))

        outcome = Outcome(d.pop("outcome"))

        def _parse_comparable_level(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comparable_level = _parse_comparable_level(d.pop("comparable_level", UNSET))

        conditions = cast(list[str], d.pop("conditions", UNSET))

        def _parse_justification(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        justification = _parse_justification(d.pop("justification", UNSET))

        _substantial_differences = d.pop("substantial_differences", UNSET)
        substantial_differences: list[SubstantialDifference] | Unset = UNSET
        if _substantial_differences is not UNSET:
            substantial_differences = []
            for substantial_differences_item_data in _substantial_differences:
                substantial_differences_item = SubstantialDifference.from_dict(substantial_differences_item_data)

                substantial_differences.append(substantial_differences_item)

        decision_create = cls(
            legal_basis=legal_basis,
            outcome=outcome,
            comparable_level=comparable_level,
            conditions=conditions,
            justification=justification,
            substantial_differences=substantial_differences,
        )

        return decision_create
