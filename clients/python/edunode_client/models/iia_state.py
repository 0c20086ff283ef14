from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.iia_status import IiaStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.iia_approval import IiaApproval
    from ..models.iia_conditions import IiaConditions
    from ..models.iia_partner import IiaPartner


T = TypeVar("T", bound="IiaState")


@_attrs_define
class IiaState:
    """`mobility.agreement.updated`: the agreement as both partners hold it.

    Attributes:
        approvals (list[IiaApproval]):
        conditions (IiaConditions): What both partners sign: the cooperation conditions and the academic years covered.
        digest (str):
        id (UUID):
        partner (IiaPartner):
        proposer (IiaPartner):
        revision (int): Which version of the conditions; +1 per change.
        status (IiaStatus):
        updated_at (datetime.datetime):
        version (int):
        terminated_reason (None | str | Unset):
    """

    approvals: list[IiaApproval]
    conditions: IiaConditions
    digest: str
    id: UUID
    partner: IiaPartner
    proposer: IiaPartner
    revision: int
    status: IiaStatus
    updated_at: datetime.datetime
    version: int
    terminated_reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        approvals = []
        for approvals_item_data in self.approvals:
            approvals_item = approvals_item_data.to_dict()
            approvals.append(approvals_item)

        conditions = self.conditions.to_dict()

        digest = self.digest

        id = str(self.id)

        partner = self.partner.to_dict()

        proposer = self.proposer.to_dict()

        revision = self.revision

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        version = self.version

        terminated_reason: None | str | Unset
        if isinstance(self.terminated_reason, Unset):
            terminated_reason = UNSET
        else:
            terminated_reason = self.terminated_reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approvals": approvals,
                "conditions": conditions,
                "digest": digest,
                "id": id,
                "partner": partner,
                "proposer": proposer,
                "revision": revision,
                "status": status,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if terminated_reason is not UNSET:
            field_dict["terminated_reason"] = terminated_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iia_approval import IiaApproval  # noqa: PLC0415
        from ..models.iia_conditions import IiaConditions  # noqa: PLC0415
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415

        d = dict(src_dict)
        approvals = []
        _approvals = d.pop("approvals")
        for approvals_item_data in _approvals:
            approvals_item = IiaApproval.from_dict(approvals_item_data)

            approvals.append(approvals_item)

        conditions = IiaConditions.from_dict(d.pop("conditions"))

        digest = d.pop("digest")

        id = UUID(d.pop("id"))

        partner = IiaPartner.from_dict(d.pop("partner"))

        proposer = IiaPartner.from_dict(d.pop("proposer"))

        revision = d.pop("revision")

        status = IiaStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_terminated_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        terminated_reason = _parse_terminated_reason(d.pop("terminated_reason", UNSET))

        iia_state = cls(
            approvals=approvals,
            conditions=conditions,
            digest=digest,
            id=id,
            partner=partner,
            proposer=proposer,
            revision=revision,
            status=status,
            updated_at=updated_at,
            version=version,
            terminated_reason=terminated_reason,
        )

        return iia_state
