"""The recognition service's request-scoped dependencies: its settings and a publisher bound
to the request's session and trace."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.recognition.publishing import Publisher
from services.recognition.settings import RecognitionSettings
from shared.dependencies import RuntimeDep, SessionDep, TraceparentDep


def recognition_settings(runtime: RuntimeDep) -> RecognitionSettings:
    settings = runtime.settings
    assert isinstance(settings, RecognitionSettings)
    return settings


def publisher(session: SessionDep, runtime: RuntimeDep, traceparent: TraceparentDep) -> Publisher:
    return Publisher(
        session=session,
        outbox=runtime.outbox,
        node=runtime.settings.node_id,
        traceparent=traceparent,
    )


SettingsDep = Annotated[RecognitionSettings, Depends(recognition_settings)]
PublisherDep = Annotated[Publisher, Depends(publisher)]
