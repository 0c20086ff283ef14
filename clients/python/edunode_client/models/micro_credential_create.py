from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.participation_form import ParticipationForm
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.holder import Holder
    from ..models.qualification_level import QualificationLevel
    from ..models.workload import Workload


T = TypeVar("T", bound="MicroCredentialCreate")


@_attrs_define
class MicroCredentialCreate:
    """A micro-credential with the mandatory elements of the Council Recommendation of
    16 June 2022 on micro-credentials (2022/C 243/02), Annex I: the learner, the title, the
    country of the issuer and the awarding body (the caller's institution, from the
    directory), the date of issuing (the day it is issued), the learning outcomes, the
    notional workload, the level (`null` only where no framework level applies), the type of
    assessment, the form of participation and the type of quality assurance.

        Attributes:
            assessment_type (str):
            learner (Holder): The graduate. Personal data: it stays in this node's database and in the credential.
            learning_outcomes (list[str]):
            level (None | QualificationLevel): EQF/NQF level if applicable: required, `null` only where none applies.
            participation_form (ParticipationForm):
            quality_assurance (str): The type of quality assurance underpinning it.
            title (str):
            workload (Workload): The notional workload needed to achieve the learning outcomes: in ECTS credits
                wherever possible, else in hours.
            isced_f (None | str | Unset):
            region (None | str | Unset): The issuer's region, if any.
            title_lang (str | Unset):  Default: 'en'.
            valid_until (datetime.datetime | None | Unset):
    """

    assessment_type: str
    learner: Holder
    learning_outcomes: list[str]
    level: None | QualificationLevel
    participation_form: ParticipationForm
    quality_assurance: str
    title: str
    workload: Workload
    isced_f: None | str | Unset = UNSET
    region: None | str | Unset = UNSET
    title_lang: str | Unset = "en"
    valid_until: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.qualification_level import QualificationLevel  # noqa: PLC0415

        assessment_type = self.assessment_type

        learner = self.learner.to_dict()

        learning_outcomes = self.learning_outcomes

        level: dict[str, Any] | None
        if isinstance(self.level, QualificationLevel):
            level = self.level.to_dict()
        else:
            level = self.level

        participation_form = self.participation_form.value

        quality_assurance = self.quality_assurance

        title = self.title

        workload = self.workload.to_dict()

        isced_f: None | str | Unset
        if isinstance(self.isced_f, Unset):
            isced_f = UNSET
        else:
            isced_f = self.isced_f

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        title_lang = self.title_lang

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "assessment_type": assessment_type,
                "learner": learner,
                "learning_outcomes": learning_outcomes,
                "level": level,
                "participation_form": participation_form,
                "quality_assurance": quality_assurance,
                "title": title,
                "workload": workload,
            }
        )
        if isced_f is not UNSET:
            field_dict["isced_f"] = isced_f
        if region is not UNSET:
            field_dict["region"] = region
        if title_lang is not UNSET:
            field_dict["title_lang"] = title_lang
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.holder import Holder  # noqa: PLC0415
        from ..models.qualification_level import QualificationLevel  # noqa: PLC0415
        from ..models.workload import Workload  # noqa: PLC0415

        d = dict(src_dict)
        assessment_type = d.pop("assessment_type")

        learner = Holder.from_dict(d.pop("learner"))

        learning_outcomes = cast(list[str], d.pop("learning_outcomes"))

        def _parse_level(data: object) -> None | QualificationLevel:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                level_type_0 = QualificationLevel.from_dict(data)

                return level_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QualificationLevel, data)

        level = _parse_level(d.pop("level"))

        participation_form = ParticipationForm(d.pop("participation_form"))

        quality_assurance = d.pop("quality_assurance")

        title = d.pop("title")

        workload = Workload.from_dict(d.pop("workload"))

        def _parse_isced_f(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        isced_f = _parse_isced_f(d.pop("isced_f", UNSET))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        title_lang = d.pop("title_lang", UNSET)

        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        micro_credential_create = cls(
            assessment_type=assessment_type,
            learner=learner,
            learning_outcomes=learning_outcomes,
            level=level,
            participation_form=participation_form,
            quality_assurance=quality_assurance,
            title=title,
            workload=workload,
            isced_f=isced_f,
            region=region,
            title_lang=title_lang,
            valid_until=valid_until,
        )

        return micro_credential_create
