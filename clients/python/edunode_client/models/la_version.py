from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.la_version_status import LaVersionStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.la_approval import LaApproval
    from ..models.la_components import LaComponents
    from ..models.la_rejection import LaRejection


T = TypeVar("T", bound="LaVersion")


@_attrs_define
class LaVersion:
    """One version of a learning agreement's components, with its approvals.

    Attributes:
        approvals (list[LaApproval]):
        components (LaComponents): What the three parties approve: the components abroad and those they replace at home.
        digest (str):
        proposed_at (datetime.datetime):
        proposed_by (str):
        revision (int):
        status (LaVersionStatus):
        rejection (LaRejection | None | Unset):
        respond_by (datetime.date | None | Unset): The receiving coordinator's answer is due by this day, counted from
            when the student and the sending coordinator had both approved.
    """

    approvals: list[LaApproval]
    components: LaComponents
    digest: str
    proposed_at: datetime.datetime
    proposed_by: str
    revision: int
    status: LaVersionStatus
    rejection: LaRejection | None | Unset = UNSET
    respond_by: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.la_rejection import LaRejection  # noqa: PLC0415

        approvals = []
        for approvals_item_data in self.approvals:
            approvals_item = approvals_item_data.to_dict()
            approvals.append(approvals_item)

        components = self.components.to_dict()

        digest = self.digest

        proposed_at = self.proposed_at.isoformat()

        proposed_by = self.proposed_by

        revision = self.revision

        status = self.status.value

        rejection: dict[str, Any] | None | Unset
        if isinstance(self.rejection, Unset):
            rejection = UNSET
        elif isinstance(self.rejection, LaRejection):
            rejection = self.rejection.to_dict()
        else:
            rejection = self.rejection

        respond_by: None | str | Unset
        if isinstance(self.respond_by, Unset):
            respond_by = UNSET
        elif isinstance(self.respond_by, datetime.date):
            respond_by = self.respond_by.isoformat()
        else:
            respond_by = self.respond_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approvals": approvals,
                "components": components,
                "digest": digest,
                "proposed_at": proposed_at,
                "proposed_by": proposed_by,
                "revision": revision,
                "status": status,
            }
        )
        if rejection is not UNSET:
            field_dict["rejection"] = rejection
        if respond_by is not UNSET:
            field_dict["respond_by"] = respond_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.la_approval import LaApproval  # noqa: PLC0415
        from ..models.la_components import LaComponents  # noqa: PLC0415
        from ..models.la_rejection import LaRejection  # noqa: PLC0415

        d = dict(src_dict)
        approvals = []
        _approvals = d.pop("approvals")
        for approvals_item_data in _approvals:
            approvals_item = LaApproval.from_dict(approvals_item_data)

            approvals.append(approvals_item)

        components = LaComponents.from_dict(d.pop("components"))

        digest = d.pop("digest")

        proposed_at = datetime.datetime.fromisoformat(d.pop("proposed_at"))

        proposed_by = d.pop("proposed_by")

        revision = d.pop("revision")

        status = LaVersionStatus(d.pop("status"))

        def _parse_rejection(data: object) -> LaRejection | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rejection_type_0 = LaRejection.from_dict(data)

                return rejection_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LaRejection | None | Unset, data)

        rejection = _parse_rejection(d.pop("rejection", UNSET))

        def _parse_respond_by(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                respond_by_type_0 = datetime.date.fromisoformat(data)

                return respond_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        respond_by = _parse_respond_by(d.pop("respond_by", UNSET))

        la_version = cls(
            approvals=approvals,
            components=components,
            digest=digest,
            proposed_at=proposed_at,
            proposed_by=proposed_by,
            revision=revision,
            status=status,
            rejection=rejection,
            respond_by=respond_by,
        )

        return la_version
