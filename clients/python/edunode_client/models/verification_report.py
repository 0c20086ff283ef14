from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.level_comparison import LevelComparison
    from ..models.quality_finding import QualityFinding
    from ..models.verification_check import VerificationCheck
    from ..models.verification_report_credential_type_0 import VerificationReportCredentialType0


T = TypeVar("T", bound="VerificationReport")


@_attrs_define
class VerificationReport:
    """
    Attributes:
        checks (list[VerificationCheck]):
        valid (bool): Whether every check passed.
        credential (None | Unset | VerificationReportCredentialType0): The credential as read (even when it is not
            valid).
        credential_id (None | str | Unset):
        issuer_node (None | str | Unset):
        levels (list[LevelComparison] | Unset): The credential's level in each framework of this node's countries (empty
            if its signature did not verify).
        quality (None | QualityFinding | Unset): The institution's QA status at the award date (null if the signature
            did not verify).
    """

    checks: list[VerificationCheck]
    valid: bool
    credential: None | Unset | VerificationReportCredentialType0 = UNSET
    credential_id: None | str | Unset = UNSET
    issuer_node: None | str | Unset = UNSET
    levels: list[LevelComparison] | Unset = UNSET
    quality: None | QualityFinding | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quality_finding import QualityFinding  # noqa: PLC0415
        from ..models.verification_report_credential_type_0 import VerificationReportCredentialType0  # noqa: PLC0415

        checks = []
        for checks_item_data in self.checks:
            checks_item = checks_item_data.to_dict()
            checks.append(checks_item)

        valid = self.valid

        credential: dict[str, Any] | None | Unset
        if isinstance(self.credential, Unset):
            credential = UNSET
        elif isinstance(self.credential, VerificationReportCredentialType0):
            credential = self.credential.to_dict()
        else:
            credential = self.credential

        credential_id: None | str | Unset
        if isinstance(self.credential_id, Unset):
            credential_id = UNSET
        else:
            credential_id = self.credential_id

        issuer_node: None | str | Unset
        if isinstance(self.issuer_node, Unset):
            issuer_node = UNSET
        else:
            issuer_node = self.issuer_node

        levels: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.levels, Unset):
            levels = []
            for levels_item_data in self.levels:
                levels_item = levels_item_data.to_dict()
                levels.append(levels_item)

        quality: dict[str, Any] | None | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        elif isinstance(self.quality, QualityFinding):
            quality = self.quality.to_dict()
        else:
            quality = self.quality

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checks": checks,
                "valid": valid,
            }
        )
        if credential is not UNSET:
            field_dict["credential"] = credential
        if credential_id is not UNSET:
            field_dict["credential_id"] = credential_id
        if issuer_node is not UNSET:
            field_dict["issuer_node"] = issuer_node
        if levels is not UNSET:
            field_dict["levels"] = levels
        if quality is not UNSET:
            field_dict["quality"] = quality

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.level_comparison import LevelComparison  # noqa: PLC0415
        from ..models.quality_finding import QualityFinding  # noqa: PLC0415
        from ..models.verification_check import VerificationCheck  # noqa: PLC0415
        from ..models.verification_report_credential_type_0 import VerificationReportCredentialType0  # noqa: PLC0415

        d = dict(src_dict)
        checks = []
        _checks = d.pop("checks")
        for checks_item_data in _checks:
            checks_item = VerificationCheck.from_dict(checks_item_data)

            checks.append(checks_item)

        valid = d.pop("valid")

        def _parse_credential(data: object) -> None | Unset | VerificationReportCredentialType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credential_type_0 = VerificationReportCredentialType0.from_dict(data)

                return credential_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VerificationReportCredentialType0, data)

        credential = _parse_credential(d.pop("credential", UNSET))

        def _parse_credential_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credential_id = _parse_credential_id(d.pop("credential_id", UNSET))

        def _parse_issuer_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        issuer_node = _parse_issuer_node(d.pop("issuer_node", UNSET))

        _levels = d.pop("levels", UNSET)
        levels: list[LevelComparison] | Unset = UNSET
        if _levels is not UNSET:
            levels = []
            for levels_item_data in _levels:
                levels_item = LevelComparison.from_dict(levels_item_data)

                levels.append(levels_item)

        def _parse_quality(data: object) -> None | QualityFinding | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quality_type_0 = QualityFinding.from_dict(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QualityFinding | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        verification_report = cls(
            checks=checks,
            valid=valid,
            credential=credential,
            credential_id=credential_id,
            issuer_node=issuer_node,
            levels=levels,
            quality=quality,
        )

        verification_report.additional_properties = d
        return verification_report

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
