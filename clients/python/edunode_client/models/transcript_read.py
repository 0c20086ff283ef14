from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.grade_table_state import GradeTableState
    from ..models.iia_partner import IiaPartner
    from ..models.planned_component import PlannedComponent
    from ..models.transcript import Transcript


T = TypeVar("T", bound="TranscriptRead")


@_attrs_define
class TranscriptRead:
    """
    Attributes:
        created_at (datetime.datetime):
        host_tables (list[GradeTableState]):
        id (UUID):
        mobility_id (UUID):
        receiving (IiaPartner):
        sending (IiaPartner):
        transcript (Transcript): A transcript of records, as ELMO XML carries it (`services/mobility/elmo.py`) and as
            JSON: who, issued by whom and when, and each component's result.
        version (int):
        learner_erased_at (datetime.datetime | None | Unset): When the learner's personal data was erased on request.
        planned (list[PlannedComponent] | None | Unset):
    """

    created_at: datetime.datetime
    host_tables: list[GradeTableState]
    id: UUID
    mobility_id: UUID
    receiving: IiaPartner
    sending: IiaPartner
    transcript: Transcript
    version: int
    learner_erased_at: datetime.datetime | None | Unset = UNSET
    planned: list[PlannedComponent] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        host_tables = []
        for host_tables_item_data in self.host_tables:
            host_tables_item = host_tables_item_data.to_dict()
            host_tables.append(host_tables_item)

        id = str(self.id)

        mobility_id = str(self.mobility_id)

        receiving = self.receiving.to_dict()

        sending = self.sending.to_dict()

        transcript = self.transcript.to_dict()

        version = self.version

        learner_erased_at: None | str | Unset
        if isinstance(self.learner_erased_at, Unset):
            learner_erased_at = UNSET
        elif isinstance(self.learner_erased_at, datetime.datetime):
            learner_erased_at = self.learner_erased_at.isoformat()
        else:
            learner_erased_at = self.learner_erased_at

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "host_tables": host_tables,
                "id": id,
                "mobility_id": mobility_id,
                "receiving": receiving,
                "sending": sending,
                "transcript": transcript,
                "version": version,
            }
        )
        if learner_erased_at is not UNSET:
            field_dict["learner_erased_at"] = learner_erased_at
        if planned is not UNSET:
            field_dict["planned"] = planned

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.grade_table_state import GradeTableState  # noqa: PLC0415
        from ..models.iia_partner import IiaPartner  # noqa: PLC0415
        from ..models.planned_component import PlannedComponent  # noqa: PLC0415
        from ..models.transcript import Transcript  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        host_tables = []
        _host_tables = d.pop("host_tables")
        for host_tables_item_data in _host_tables:
            host_tables_item = GradeTableState.from_dict(host_tables_item_data)

            host_tables.append(host_tables_item)

        id = UUID(d.pop("id"))

        mobility_id = UUID(d.pop("mobility_id"))

        receiving = IiaPartner.from_dict(d.pop("receiving"))

        sending = IiaPartner.from_dict(d.pop("sending"))

        transcript = Transcript.from_dict(d.pop("transcript"))

        version = d.pop("version")

        def _parse_learner_erased_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                learner_erased_at_type_0 = datetime.datetime.fromisoformat(data)

                return learner_erased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        learner_erased_at = _parse_learner_erased_at(d.pop("learner_erased_at", UNSET))

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

        transcript_read = cls(
            created_at=created_at,
            host_tables=host_tables,
            id=id,
            mobility_id=mobility_id,
            receiving=receiving,
            sending=sending,
            transcript=transcript,
            version=version,
            learner_erased_at=learner_erased_at,
            planned=planned,
        )

        return transcript_read
