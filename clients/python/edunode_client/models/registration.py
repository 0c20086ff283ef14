from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.register import Register
from ..models.registration_decision import RegistrationDecision
from ..types import UNSET, Unset

T = TypeVar("T", bound="Registration")


@_attrs_define
class Registration:
    """A listing of the agency on a register, with its validity window.

    Attributes:
        register (Register):
        valid_from (datetime.date):
        decision (RegistrationDecision | Unset):
        valid_to (datetime.date | None | Unset): Open-ended when null.
    """

    register: Register
    valid_from: datetime.date
    decision: RegistrationDecision | Unset = UNSET
    valid_to: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        register = self.register.value

        valid_from = self.valid_from.isoformat()

        decision: str | Unset = UNSET
        if not isinstance(self.decision, Unset):
            decision = self.decision.value

        valid_to: None | str | Unset
        if isinstance(self.valid_to, Unset):
            valid_to = UNSET
        elif isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "register": register,
                "valid_from": valid_from,
            }
        )
        if decision is not UNSET:
            field_dict["decision"] = decision
        if valid_to is not UNSET:
            field_dict["valid_to"] = valid_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        register = Register(d.pop("register"))

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        _decision = d.pop("decision", UNSET)
        decision: RegistrationDecision | Unset
        if isinstance(_decision, Unset):
            decision = UNSET
        else:
            decision = RegistrationDecision(_decision)

        def _parse_valid_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_to_type_0 = datetime.date.fromisoformat(data)

                return valid_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        valid_to = _parse_valid_to(d.pop("valid_to", UNSET))

        registration = cls(
            register=register,
            valid_from=valid_from,
            decision=decision,
            valid_to=valid_to,
        )

        return registration
