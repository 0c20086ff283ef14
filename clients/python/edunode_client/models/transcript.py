from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.transcript_component import TranscriptComponent
    from ..models.transcript_issuer import TranscriptIssuer
    from ..models.transcript_learner import TranscriptLearner


T = TypeVar("T", bound="Transcript")


@_attrs_define
class Transcript:
    """A transcript of records, as ELMO XML carries it (`services/mobility/elmo.py`) and as
    JSON: who, issued by whom and when, and each component's result.

        Attributes:
            components (list[TranscriptComponent]):
            issued_at (datetime.datetime):
            issuer (TranscriptIssuer): The institution that issued the transcript (ELMO's report issuer).
            learner (TranscriptLearner):
    """

    components: list[TranscriptComponent]
    issued_at: datetime.datetime
    issuer: TranscriptIssuer
    learner: TranscriptLearner

    def to_dict(self) -> dict[str, Any]:
        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        issued_at = self.issued_at.isoformat()

        issuer = self.issuer.to_dict()

        learner = self.learner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "components": components,
                "issued_at": issued_at,
                "issuer": issuer,
                "learner": learner,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transcript_component import TranscriptComponent  # noqa: PLC0415
        from ..models.transcript_issuer import TranscriptIssuer  # noqa: PLC0415
        from ..models.transcript_learner import TranscriptLearner  # noqa: PLC0415

        d = dict(src_dict)
        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = TranscriptComponent.from_dict(components_item_data)

            components.append(components_item)

        issued_at = datetime.datetime.fromisoformat(d.pop("issued_at"))

        issuer = TranscriptIssuer.from_dict(d.pop("issuer"))

        learner = TranscriptLearner.from_dict(d.pop("learner"))

        transcript = cls(
            components=components,
            issued_at=issued_at,
            issuer=issuer,
            learner=learner,
        )

        return transcript
