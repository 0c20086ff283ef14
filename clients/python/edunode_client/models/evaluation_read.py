from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.activity_type import ActivityType
from ..models.decision import Decision
from ..models.evaluation_status import EvaluationStatus
from ..models.flag_level import FlagLevel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.criterion_score import CriterionScore
    from ..models.evaluated_programme import EvaluatedProgramme
    from ..models.flag_message import FlagMessage
    from ..models.report_file import ReportFile


T = TypeVar("T", bound="EvaluationRead")


@_attrs_define
class EvaluationRead:
    """An evaluation as published (and as `quality.evaluation.*` events carry it).

    Attributes:
        activity_type (ActivityType): What an agency evaluates (DEQAR activity types).
        agency_id (UUID):
        decision (Decision): An evaluation's decision (DEQAR's values, BRIEF §3).
        id (UUID):
        local_identifier (str):
        origin_node (str): The node that owns (and alone may change) the record.
        status (EvaluationStatus): Whether the evaluation was part of the country's obligatory external QA.
        updated_at (datetime.datetime):
        valid_from (datetime.date):
        valid_to (datetime.date):
        activity (None | str | Unset): The agency's activity as the submission named it (its identifier or name), when
            it named one.
        contributing_agency_ids (list[UUID] | Unset):
        countries (list[str] | Unset):
        created_at (datetime.datetime | None | Unset):
        criterion_scores (list[CriterionScore] | Unset):
        files (list[ReportFile] | Unset):
        flag (FlagLevel | Unset):
        flag_cleared_at (datetime.datetime | None | Unset):
        flag_messages (list[FlagMessage] | Unset):
        institution_ids (list[UUID] | Unset):
        programmes (list[EvaluatedProgramme] | Unset):
        reference_source (None | str | Unset): Set on an evaluation by a reference agency: its source.
        summary (None | str | Unset):
        version (int | Unset): The ETag; events carry it as `aggregateversion`. Default: 0.
        withdrawn_at (datetime.datetime | None | Unset):
    """

    activity_type: ActivityType
    agency_id: UUID
    decision: Decision
    id: UUID
    local_identifier: str
    origin_node: str
    status: EvaluationStatus
    updated_at: datetime.datetime
    valid_from: datetime.date
    valid_to: datetime.date
    activity: None | str | Unset = UNSET
    contributing_agency_ids: list[UUID] | Unset = UNSET
    countries: list[str] | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    criterion_scores: list[CriterionScore] | Unset = UNSET
    files: list[ReportFile] | Unset = UNSET
    flag: FlagLevel | Unset = UNSET
    flag_cleared_at: datetime.datetime | None | Unset = UNSET
    flag_messages: list[FlagMessage] | Unset = UNSET
    institution_ids: list[UUID] | Unset = UNSET
    programmes: list[EvaluatedProgramme] | Unset = UNSET
    reference_source: None | str | Unset = UNSET
    summary: None | str | Unset = UNSET
    version: int | Unset = 0
    withdrawn_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        activity_type = self.activity_type.value

        agency_id = str(self.agency_id)

        decision = self.decision.value

        id = str(self.id)

        local_identifier = self.local_identifier

        origin_node = self.origin_node

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        valid_from = self.valid_from.isoformat()

        valid_to = self.valid_to.isoformat()

        activity: None | str | Unset
        if isinstance(self.activity, Unset):
            activity = UNSET
        else:
            activity = self.activity

        contributing_agency_ids: list[str] | Unset = UNSET
        if not isinstance(self.contributing_agency_ids, Unset):
            contributing_agency_ids = []
            for contributing_agency_ids_item_data in self.contributing_agency_ids:
                contributing_agency_ids_item = str(contributing_agency_ids_item_data)
                contributing_agency_ids.append(contributing_agency_ids_item)

        countries: list[str] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        criterion_scores: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.criterion_scores, Unset):
            criterion_scores = []
            for criterion_scores_item_data in self.criterion_scores:
                criterion_scores_item = criterion_scores_item_data.to_dict()
                criterion_scores.append(criterion_scores_item)

        files: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = []
            for files_item_data in self.files:
                files_item = files_item_data.to_dict()
                files.append(files_item)

        flag: str | Unset = UNSET
        if not isinstance(self.flag, Unset):
            flag = self.flag.value

        flag_cleared_at: None | str | Unset
        if isinstance(self.flag_cleared_at, Unset):
            flag_cleared_at = UNSET
        elif isinstance(self.flag_cleared_at, datetime.datetime):
            flag_cleared_at = self.flag_cleared_at.isoformat()
        else:
            flag_cleared_at = self.flag_cleared_at

        flag_messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.flag_messages, Unset):
            flag_messages = []
            for flag_messages_item_data in self.flag_messages:
                flag_messages_item = flag_messages_item_data.to_dict()
                flag_messages.append(flag_messages_item)

        institution_ids: list[str] | Unset = UNSET
        if not isinstance(self.institution_ids, Unset):
            institution_ids = []
            for institution_ids_item_data in self.institution_ids:
                institution_ids_item = str(institution_ids_item_data)
                institution_ids.append(institution_ids_item)

        programmes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.programmes, Unset):
            programmes = []
            for programmes_item_data in self.programmes:
                programmes_item = programmes_item_data.to_dict()
                programmes.append(programmes_item)

        reference_source: None | str | Unset
        if isinstance(self.reference_source, Unset):
            reference_source = UNSET
        else:
            reference_source = self.reference_source

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

        version = self.version

        withdrawn_at: None | str | Unset
        if isinstance(self.withdrawn_at, Unset):
            withdrawn_at = UNSET
        elif isinstance(self.withdrawn_at, datetime.datetime):
            withdrawn_at = self.withdrawn_at.isoformat()
        else:
            withdrawn_at = self.withdrawn_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "activity_type": activity_type,
                "agency_id": agency_id,
                "decision": decision,
                "id": id,
                "local_identifier": local_identifier,
                "origin_node": origin_node,
                "status": status,
                "updated_at": updated_at,
                "valid_from": valid_from,
                "valid_to": valid_to,
            }
        )
        if activity is not UNSET:
            field_dict["activity"] = activity
        if contributing_agency_ids is not UNSET:
            field_dict["contributing_agency_ids"] = contributing_agency_ids
        if countries is not UNSET:
            field_dict["countries"] = countries
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if criterion_scores is not UNSET:
            field_dict["criterion_scores"] = criterion_scores
        if files is not UNSET:
            field_dict["files"] = files
        if flag is not UNSET:
            field_dict["flag"] = flag
        if flag_cleared_at is not UNSET:
            field_dict["flag_cleared_at"] = flag_cleared_at
        if flag_messages is not UNSET:
            field_dict["flag_messages"] = flag_messages
        if institution_ids is not UNSET:
            field_dict["institution_ids"] = institution_ids
        if programmes is not UNSET:
            field_dict["programmes"] = programmes
        if reference_source is not UNSET:
            field_dict["reference_source"] = reference_source
        if summary is not UNSET:
            field_dict["summary"] = summary
        if version is not UNSET:
            field_dict["version"] = version
        if withdrawn_at is not UNSET:
            field_dict["withdrawn_at"] = withdrawn_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.criterion_score import CriterionScore  # noqa: PLC0415
        from ..models.evaluated_programme import EvaluatedProgramme  # noqa: PLC0415
        from ..models.flag_message import FlagMessage  # noqa: PLC0415
        from ..models.report_file import ReportFile  # noqa: PLC0415

        d = dict(src_dict)
        activity_type = ActivityType(d.pop("activity_type"))

        agency_id = UUID(d.pop("agency_id"))

        decision = Decision(d.pop("decision"))

        id = UUID(d.pop("id"))

        local_identifier = d.pop("local_identifier")

        origin_node = d.pop("origin_node")

        status = EvaluationStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        valid_to = datetime.date.fromisoformat(d.pop("valid_to"))

        def _parse_activity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        activity = _parse_activity(d.pop("activity", UNSET))

        _contributing_agency_ids = d.pop("contributing_agency_ids", UNSET)
        contributing_agency_ids: list[UUID] | Unset = UNSET
        if _contributing_agency_ids is not UNSET:
            contributing_agency_ids = []
            for contributing_agency_ids_item_data in _contributing_agency_ids:
                contributing_agency_ids_item = UUID(contributing_agency_ids_item_data)

                contributing_agency_ids.append(contributing_agency_ids_item)

        countries = cast(list[str], d.pop("countries", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        _criterion_scores = d.pop("criterion_scores", UNSET)
        criterion_scores: list[CriterionScore] | Unset = UNSET
        if _criterion_scores is not UNSET:
            criterion_scores = []
            for criterion_scores_item_data in _criterion_scores:
                criterion_scores_item = CriterionScore.from_dict(criterion_scores_item_data)

                criterion_scores.append(criterion_scores_item)

        _files = d.pop("files", UNSET)
        files: list[ReportFile] | Unset = UNSET
        if _files is not UNSET:
            files = []
            for files_item_data in _files:
                files_item = ReportFile.from_dict(files_item_data)

                files.append(files_item)

        _flag = d.pop("flag", UNSET)
        flag: FlagLevel | Unset
        if isinstance(_flag, Unset):
            flag = UNSET
        else:
            flag = FlagLevel(_flag)

        def _parse_flag_cleared_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                flag_cleared_at_type_0 = datetime.datetime.fromisoformat(data)

                return flag_cleared_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        flag_cleared_at = _parse_flag_cleared_at(d.pop("flag_cleared_at", UNSET))

        _flag_messages = d.pop("flag_messages", UNSET)
        flag_messages: list[FlagMessage] | Unset = UNSET
        if _flag_messages is not UNSET:
            flag_messages = []
            for flag_messages_item_data in _flag_messages:
                flag_messages_item = FlagMessage.from_dict(flag_messages_item_data)

                flag_messages.append(flag_messages_item)

        _institution_ids = d.pop("institution_ids", UNSET)
        institution_ids: list[UUID] | Unset = UNSET
        if _institution_ids is not UNSET:
            institution_ids = []
            for institution_ids_item_data in _institution_ids:
                institution_ids_item = UUID(institution_ids_item_data)

                institution_ids.append(institution_ids_item)

        _programmes = d.pop("programmes", UNSET)
        programmes: list[EvaluatedProgramme] | Unset = UNSET
        if _programmes is not UNSET:
            programmes = []
            for programmes_item_data in _programmes:
                programmes_item = EvaluatedProgramme.from_dict(programmes_item_data)

                programmes.append(programmes_item)

        def _parse_reference_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_source = _parse_reference_source(d.pop("reference_source", UNSET))

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        version = d.pop("version", UNSET)

        def _parse_withdrawn_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                withdrawn_at_type_0 = datetime.datetime.fromisoformat(data)

                return withdrawn_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        withdrawn_at = _parse_withdrawn_at(d.pop("withdrawn_at", UNSET))

        evaluation_read = cls(
            activity_type=activity_type,
            agency_id=agency_id,
            decision=decision,
            id=id,
            local_identifier=local_identifier,
            origin_node=origin_node,
            status=status,
            updated_at=updated_at,
            valid_from=valid_from,
            valid_to=valid_to,
            activity=activity,
            contributing_agency_ids=contributing_agency_ids,
            countries=countries,
            created_at=created_at,
            criterion_scores=criterion_scores,
            files=files,
            flag=flag,
            flag_cleared_at=flag_cleared_at,
            flag_messages=flag_messages,
            institution_ids=institution_ids,
            programmes=programmes,
            reference_source=reference_source,
            summary=summary,
            version=version,
            withdrawn_at=withdrawn_at,
        )

        evaluation_read.additional_properties = d
        return evaluation_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
