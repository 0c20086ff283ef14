from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.iia_partner import IiaPartner
    from ..models.la_version import LaVersion


T = TypeVar("T", bound="LearningAgreementRead")


@_attrs_define
class LearningAgreementRead:
    """
    Attributes:
        current (LaVersion): One version of a learning agreement's components, with its approvals.
        id (UUID):
        nomination_id (UUID):
        overdue (bool): The receiving coordinator has not answered the current version after its `respond_by` day (5
            working days).
        receiving (IiaPartner):
        sending (IiaPartner):
        updated_at (datetime.datetime):
        version (int):
        history (list[LaVersion] | Unset): Earlier versions, oldest first.
    """

    current: LaVersion
    id: UUID
    nomination_id: UUID
    overdue: bool
    receiving: IiaPartner
    sending: IiaPartner
    updated_at: datetime.datetime
    version: int
    history: list[LaVersion] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        current = self.current.to_dict()

        id = str(self.id)

        nomination_id = str(self.nomination_id)

        overdue = self.overdue

        receiving = self.receiving.to_dict()

        sending = self.sending.to_dict()

        updated_at = self.updated_at.isoformat()

        version = self.version

        history: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.history, Unset):
            history = []
            for history_item_data in self.history:
                history_item = history_item_data.to_dict()
                history.append(history_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "current": current,
                "id": id,
                "nomination_id": nomination_id,
                "overdue": overdue,
                "receiving": receiving,
                "sending": sending,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if history is not UNSET:
            field_dict["history"] = history

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415
        from ..models.la_version import LaVersion  # noqa: PLC0415

        d = dict(src_dict)
        current = LaVersion.from_dict(d.pop("current"))

        id = UUID(d.pop("id"))

        nomination_id = UUID(d.pop("nomination_id"))

        overdue = d.pop("overdue")

        receiving = IiaPartner.from_dict(d.pop("receiving"))

        sending = IiaPartner.from_dict(d.pop("sending"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        _history = d.pop("history", UNSET)
        history: list[LaVersion] | Unset = UNSET
        if _history is not UNSET:
            history = []
            for history_item_data in _history:
                history_item = LaVersion.from_dict(history_item_data)

                history.append(history_item)

        learning_agreement_read = cls(
            current=current,
            id=id,
            nomination_id=nomination_id,
            overdue=overdue,
            receiving=receiving,
            sending=sending,
            updated_at=updated_at,
            version=version,
            history=history,
        )

        return learning_agreement_read
