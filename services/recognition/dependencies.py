"""The recognition service's request-scoped dependencies: its typed runtime and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.recognition.settings import RecognitionSettings
from shared.dependencies import runtime_dependency
from shared.runtime import ServiceRuntime

RecognitionRuntime = ServiceRuntime[RecognitionSettings]
RuntimeDep = Annotated[RecognitionRuntime, Depends(runtime_dependency)]


async def recognition_settings(runtime: RuntimeDep) -> RecognitionSettings:
    return runtime.settings


SettingsDep = Annotated[RecognitionSettings, Depends(recognition_settings)]
