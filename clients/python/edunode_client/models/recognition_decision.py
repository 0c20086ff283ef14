from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.recognition_decision_decision import RecognitionDecisionDecision
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.component_override import ComponentOverride


T = TypeVar("T", bound="RecognitionDecision")


@_attrs_define
class RecognitionDecision:
    """The coordinator confirms the computed recognition, or overrides it with a reason (and,
    per component, the credits or grade that count instead).

        Attributes:
            decision (RecognitionDecisionDecision):
            components (list[ComponentOverride] | Unset):
            reason (None | str | Unset):
    """

    decision: RecognitionDecisionDecision
    components: list[ComponentOverride] | Unset = UNSET
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        components: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = []
            for components_item_data in self.components:
                components_item = components_item_data.to_dict()
                components.append(components_item)

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
            }
        )
        if components is not UNSET:
            field_dict["components"] = components
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component_override import ComponentOverride  # noqa: PLC0415

        d = dict(src_dict)
        decision = RecognitionDecisionDecision(d.pop("decision"))

        _components = d.pop("components", UNSET)
        components: list[ComponentOverride] | Unset = UNSET
        if _components is not UNSET:
            components = []
            for components_item_data in _components:
                components_item = ComponentOverride.from_dict(components_item_data)

                components.append(components_item)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        recognition_decision = cls(
            decision=decision,
            components=components,
            reason=reason,
        )

        return recognition_decision
