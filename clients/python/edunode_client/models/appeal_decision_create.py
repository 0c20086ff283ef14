from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.appeal_outcome import AppealOutcome
from ..models.outcome import Outcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="AppealDecisionCreate")


@_attrs_define
class AppealDecisionCreate:
    """
    Attributes:
        justification (str):
        outcome (AppealOutcome):
        comparable_level (None | str | Unset):
        new_outcome (None | Outcome | Unset): Required when the appeal is granted: the decision's new outcome.
    """

    justification: str
    outcome: AppealOutcome
    comparable_level: None | str | Unset = UNSET
    new_outcome: None | Outcome | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        justification = self.justification

        outcome = self.outcome.value

        comparable_level: None | str | Unset
        if isinstance(self.comparable_level, Unset):
            comparable_level = UNSET
        else:
            comparable_level = self.comparable_level

        new_outcome: None | str | Unset
        if isinstance(self.new_outcome, Unset):
            new_outcome = UNSET
        elif isinstance(self.new_outcome, Outcome):
            new_outcome = self.new_outcome.value
        else:
            new_outcome = self.new_outcome

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "justification": justification,
                "outcome": outcome,
            }
        )
        if comparable_level is not UNSET:
            field_dict["comparable_level"] = comparable_level
        if new_outcome is not UNSET:
            field_dict["new_outcome"] = new_outcome

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        justification = d.pop("justification")

        outcome = AppealOutcome(d.pop("outcome"))

        def _parse_comparable_level(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comparable_level = _parse_comparable_level(d.pop("comparable_level", UNSET))

        def _parse_new_outcome(data: object) -> None | Outcome | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                new_outcome_type_0 = Outcome(data)

                return new_outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Outcome | Unset, data)

        new_outcome = _parse_new_outcome(d.pop("new_outcome", UNSET))

        appeal_decision_create = cls(
            justification=justification,
            outcome=outcome,
            comparable_level=comparable_level,
            new_outcome=new_outcome,
        )

        return appeal_decision_create
