from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.mode_of_study import ModeOfStudy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.qualification_level import QualificationLevel
    from ..models.qualification_title import QualificationTitle


T = TypeVar("T", bound="DiplomaQualification")


@_attrs_define
class DiplomaQualification:
    """
    Attributes:
        award_date (datetime.date):
        credit_system (str):
        credits_ (float):
        isced_f (str): ISCED-F 2013 field code.
        level (QualificationLevel): A level on a qualifications framework: the issuing country's NQF or a regional one
            it
            is referenced to (e.g. `EQF` 6, `AQRF` 6).
        mode_of_study (ModeOfStudy):
        titles (list[QualificationTitle]):
        referenced_levels (list[QualificationLevel] | Unset):
    """

    award_date: datetime.date
    credit_system: str
    credits_: float
    isced_f: str
    level: QualificationLevel
    mode_of_study: ModeOfStudy
    titles: list[QualificationTitle]
    referenced_levels: list[QualificationLevel] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        award_date = self.award_date.isoformat()

        credit_system = self.credit_system

        credits_ = self.credits_

        isced_f = self.isced_f

        level = self.level.to_dict()

        mode_of_study = self.mode_of_study.value

        titles = []
        for titles_item_data in self.titles:
            titles_item = titles_item_data.to_dict()
            titles.append(titles_item)

        referenced_levels: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.referenced_levels, Unset):
            referenced_levels = []
            for referenced_levels_item_data in self.referenced_levels:
                referenced_levels_item = referenced_levels_item_data.to_dict()
                referenced_levels.append(referenced_levels_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "award_date": award_date,
                "credit_system": credit_system,
                "credits": credits_,
                "isced_f": isced_f,
                "level": level,
                "mode_of_study": mode_of_study,
                "titles": titles,
            }
        )
        if referenced_levels is not UNSET:
            field_dict["referenced_levels"] = referenced_levels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qualification_level import QualificationLevel  # noqa: PLC0415
        from ..models.qualification_title import QualificationTitle  # noqa: PLC0415

        d = dict(src_dict)
        award_date = datetime.date.fromisoformat(d.pop("award_date"))

        credit_system = d.pop("credit_system")

        credits_ = d.pop("credits")

        isced_f = d.pop("isced_f")

        level = QualificationLevel.from_dict(d.pop("level"))

        mode_of_study = ModeOfStudy(d.pop("mode_of_study"))

        titles = []
        _titles = d.pop("titles")
        for titles_item_data in _titles:
            titles_item = QualificationTitle.from_dict(titles_item_data)

            titles.append(titles_item)

        _referenced_levels = d.pop("referenced_levels", UNSET)
        referenced_levels: list[QualificationLevel] | Unset = UNSET
        if _referenced_levels is not UNSET:
            referenced_levels = []
            for referenced_levels_item_data in _referenced_levels:
                referenced_levels_item = QualificationLevel.from_dict(referenced_levels_item_data)

                referenced_levels.append(referenced_levels_item)

        diploma_qualification = cls(
            award_date=award_date,
            credit_system=credit_system,
            credits_=credits_,
            isced_f=isced_f,
            level=level,
            mode_of_study=mode_of_study,
            titles=titles,
            referenced_levels=referenced_levels,
        )

        return diploma_qualification
