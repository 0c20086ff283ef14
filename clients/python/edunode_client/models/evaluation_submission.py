from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.activity_type import ActivityType
from ..models.decision import Decision
from ..models.evaluation_status import EvaluationStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.criterion_score import CriterionScore
    from ..models.evaluated_programme import EvaluatedProgramme
    from ..models.institution_reference import InstitutionReference
    from ..models.report_file import ReportFile


T = TypeVar("T", bound="EvaluationSubmission")


@_attrs_define
class EvaluationSubmission:
    """An evaluation as an agency submits it; `local_identifier` (unique per agency) makes a
    resubmission idempotent.

        Attributes:
            decision (Decision): An evaluation's decision (DEQAR's values, BRIEF §3).
            local_identifier (str):
            valid_from (datetime.date):
            activity (None | str | Unset): One of the agency's declared activities, by its identifier (e.g. its DEQAR
                activity id) or its name, as DEQAR names it; its type becomes `activity_type`.
            activity_type (ActivityType | None | Unset): What was evaluated; or name the agency's `activity`.
            agency (None | str | Unset): The agency's acronym (or its DEQAR id), instead of its id.
            agency_id (None | Unset | UUID): Defaults to the submitting agency's own.
            contributing_agencies (list[str] | Unset): Contributing agencies by acronym or DEQAR id, instead of by id (as
                DEQAR names them).
            contributing_agency_ids (list[UUID] | Unset):
            criterion_scores (list[CriterionScore] | Unset):
            files (list[ReportFile] | Unset):
            institutions (list[InstitutionReference] | Unset):
            programmes (list[EvaluatedProgramme] | Unset):
            reference_source (None | str | Unset): Required for (and only for) an evaluation by a reference agency, i.e. of
                a country no node has authority over: where its facts come from (docs/reference-records.md).
            status (EvaluationStatus | Unset): Whether the evaluation was part of the country's obligatory external QA.
            summary (None | str | Unset):
            valid_to (datetime.date | None | Unset): Defaults to valid_from + 6 years.
    """

    decision: Decision
    local_identifier: str
    valid_from: datetime.date
    activity: None | str | Unset = UNSET
    activity_type: ActivityType | None | Unset = UNSET
    agency: None | str | Unset = UNSET
    agency_id: None | Unset | UUID = UNSET
    contributing_agencies: list[str] | Unset = UNSET
    contributing_agency_ids: list[UUID] | Unset = UNSET
    criterion_scores: list[CriterionScore] | Unset = UNSET
    files: list[ReportFile] | Unset = UNSET
    institutions: list[InstitutionReference] | Unset = UNSET
    programmes: list[EvaluatedProgramme] | Unset = UNSET
    reference_source: None | str | Unset = UNSET
    status: EvaluationStatus | Unset = UNSET
    summary: None | str | Unset = UNSET
    valid_to: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        local_identifier = self.local_identifier

        valid_from = self.valid_from.isoformat()

        activity: None | str | Unset
        if isinstance(self.activity, Unset):
            activity = UNSET
        else:
            activity = self.activity

        activity_type: None | str | Unset
        if isinstance(self.activity_type, Unset):
            activity_type = UNSET
        elif isinstance(self.activity_type, ActivityType):
            activity_type = self.activity_type.value
        else:
            activity_type = self.activity_type

        agency: None | str | Unset
        if isinstance(self.agency, Unset):
            agency = UNSET
        else:
            agency = self.agency

        agency_id: None | str | Unset
        if isinstance(self.agency_id, Unset):
            agency_id = UNSET
        elif isinstance(self.agency_id, UUID):
            agency_id = str(self.agency_id)
        else:
            agency_id = self.agency_id

        contributing_agencies: list[str] | Unset = UNSET
        if not isinstance(self.contributing_agencies, Unset):
            contributing_agencies = self.contributing_agencies

        contributing_agency_ids: list[str] | Unset = UNSET
        if not isinstance(self.contributing_agency_ids, Unset):
            contributing_agency_ids = []
            for contributing_agency_ids_item_data in self.contributing_agency_ids:
                contributing_agency_ids_item = str(contributing_agency_ids_item_data)
                contributing_agency_ids.append(contributing_agency_ids_item)

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

        institutions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.institutions, Unset):
            institutions = []
            for institutions_item_data in self.institutions:
                institutions_item = institutions_item_data.to_dict()
                institutions.append(institutions_item)

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

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        summary: None | str | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        else:
            summary = self.summary

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
                "decision": decision,
                "local_identifier": local_identifier,
                "valid_from": valid_from,
            }
        )
        if activity is not UNSET:
            field_dict["activity"] = activity
        if activity_type is not UNSET:
            field_dict["activity_type"] = activity_type
        if agency is not UNSET:
            field_dict["agency"] = agency
        if agency_id is not UNSET:
            field_dict["agency_id"] = agency_id
        if contributing_agencies is not UNSET:
            field_dict["contributing_agencies"] = contributing_agencies
        if contributing_agency_ids is not UNSET:
            field_dict["contributing_agency_ids"] = contributing_agency_ids
        if criterion_scores is not UNSET:
            field_dict["criterion_scores"] = criterion_scores
        if files is not UNSET:
            field_dict["files"] = files
        if institutions is not UNSET:
            field_dict["institutions"] = institutions
        if programmes is not UNSET:
            field_dict["programmes"] = programmes
        if reference_source is not UNSET:
            field_dict["reference_source"] = reference_source
        if status is not UNSET:
            field_dict["status"] = status
        if summary is not UNSET:
            field_dict["summary"] = summary
        if valid_to is not UNSET:
            field_dict["valid_to"] = valid_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.criterion_score import CriterionScore  # noqa: PLC0415
        from ..models.evaluated_programme import EvaluatedProgramme  # noqa: PLC0415
        from ..models.institution_reference import InstitutionReference  # noqa: PLC0415
        from ..models.report_file import ReportFile  # noqa: PLC0415

        d = dict(src_dict)
        decision = Decision(d.pop("decision"))

        local_identifier = d.pop("local_identifier")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))

        def _parse_activity(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        activity = _parse_activity(d.pop("activity", UNSET))

        def _parse_activity_type(data: object) -> ActivityType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                activity_type_type_0 = ActivityType(data)

                return activity_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActivityType | None | Unset, data)

        activity_type = _parse_activity_type(d.pop("activity_type", UNSET))

        def _parse_agency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agency = _parse_agency(d.pop("agency", UNSET))

        def _parse_agency_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agency_id_type_0 = UUID(data)

                return agency_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        agency_id = _parse_agency_id(d.pop("agency_id", UNSET))

        contributing_agencies = cast(list[str], d.pop("contributing_agencies", UNSET))

        _contributing_agency_ids = d.pop("contributing_agency_ids", UNSET)
        contributing_agency_ids: list[UUID] | Unset = UNSET
        if _contributing_agency_ids is not UNSET:
            contributing_agency_ids = []
            for contributing_agency_ids_item_data in _contributing_agency_ids:
                contributing_agency_ids_item = UUID(contributing_agency_ids_item_data)

                contributing_agency_ids.append(contributing_agency_ids_item)

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

        _institutions = d.pop("institutions", UNSET)
        institutions: list[InstitutionReference] | Unset = UNSET
        if _institutions is not UNSET:
            institutions = []
            for institutions_item_data in _institutions:
                institutions_item = InstitutionReference.from_dict(institutions_item_data)

                institutions.append(institutions_item)

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

        _status = d.pop("status", UNSET)
        status: EvaluationStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = EvaluationStatus(_status)

        def _parse_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

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

        evaluation_submission = cls(
            decision=decision,
            local_identifier=local_identifier,
            valid_from=valid_from,
            activity=activity,
            activity_type=activity_type,
            agency=agency,
            agency_id=agency_id,
            contributing_agencies=contributing_agencies,
            contributing_agency_ids=contributing_agency_ids,
            criterion_scores=criterion_scores,
            files=files,
            institutions=institutions,
            programmes=programmes,
            reference_source=reference_source,
            status=status,
            summary=summary,
            valid_to=valid_to,
        )

        return evaluation_submission
