from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.batch_summary import BatchSummary
    from ..models.submission_result import SubmissionResult


T = TypeVar("T", bound="BatchReport")


@_attrs_define
class BatchReport:
    """Per-row results of a batch, in order, and their totals.

    Attributes:
        results (list[SubmissionResult]):
        summary (BatchSummary):
    """

    results: list[SubmissionResult]
    summary: BatchSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        summary = self.summary.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_summary import BatchSummary  # noqa: PLC0415
        from ..models.submission_result import SubmissionResult  # noqa: PLC0415

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = SubmissionResult.from_dict(results_item_data)

            results.append(results_item)

        summary = BatchSummary.from_dict(d.pop("summary"))

        batch_report = cls(
            results=results,
            summary=summary,
        )

        batch_report.additional_properties = d
        return batch_report

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
