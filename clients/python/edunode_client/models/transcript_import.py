from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.iia_partner import IiaPartner
    from ..models.planned_component import PlannedComponent
    from ..models.transcript import Transcript


T = TypeVar("T", bound="TranscriptImport")


@_attrs_define
class TranscriptImport:
    """A transcript the caller's (receiving) institution issued for a mobility, to be sent to
    the sending institution's node. `mobility_id` is the learning agreement's id: its sending
    institution and its approved components are taken from it. For a mobility whose learning
    agreement is not held here, `sending` (and `planned`, its components) are given.

        Attributes:
            mobility_id (UUID): The learning agreement's id.
            transcript (Transcript): A transcript of records, as ELMO XML carries it (`services/mobility/elmo.py`) and as
                JSON: who, issued by whom and when, and each component's result.
            planned (list[PlannedComponent] | None | Unset):
            sending (IiaPartner | None | Unset):
    """

    mobility_id: UUID
    transcript: Transcript
    planned: list[PlannedComponent] | None | Unset = UNSET
    sending: IiaPartner | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415

        mobility_id = str(self.mobility_id)

        transcript = self.transcript.to_dict()

        planned: list[dict[str, Any]] | None | Unset
        if isinstance(self.planned, Unset):
            planned = UNSET
        elif isinstance(self.planned, list):
            planned = []
            for planned_type_0_item_data in self.planned:
                planned_type_0_item = planned_type_0_item_data.to_dict()
                planned.append(planned_type_0_item)

        else:
            planned = self.planned

        sending: dict[str, Any] | None | Unset
        if isinstance(self.sending, Unset):
            sending = UNSET
        elif isinstance(self.sending, IiaPartner):
            sending = self.sending.to_dict()
        else:
            sending = self.sending

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mobility_id": mobility_id,
                "transcript": transcript,
            }
        )
        if planned is not UNSET:
            field_dict["planned"] = planned
        if sending is not UNSET:
            field_dict["sending"] = sending

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415
        from ..models.planned_component import PlannedComponent  # noqa: PLC0415
        from ..models.transcript import Transcript  # noqa: PLC0415

        d = dict(src_dict)
        mobility_id = UUID(d.pop("mobility_id"))

        transcript = Transcript.from_dict(d.pop("transcript"))

        def _parse_planned(data: object) -> list[PlannedComponent] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                planned_type_0 = []
                _planned_type_0 = data
                for planned_type_0_item_data in _planned_type_0:
                    planned_type_0_item = PlannedComponent.from_dict(planned_type_0_item_data)

                    planned_type_0.append(planned_type_0_item)

                return planned_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PlannedComponent] | None | Unset, data)

        planned = _parse_planned(d.pop("planned", UNSET))

        def _parse_sending(data: object) -> IiaPartner | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sending_type_0 = IiaPartner.from_dict(data)

                return sending_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IiaPartner | None | Unset, data)

        sending = _parse_sending(d.pop("sending", UNSET))

        transcript_import = cls(
            mobility_id=mobility_id,
            transcript=transcript,
            planned=planned,
            sending=sending,
        )

        return transcript_import
