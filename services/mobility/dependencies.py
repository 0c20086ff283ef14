"""The mobility service's request-scoped dependencies: its typed runtime and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.mobility.settings import MobilitySettings
from shared.dependencies import runtime_dependency
from shared.runtime import ServiceRuntime

MobilityRuntime = ServiceRuntime[MobilitySettings]
RuntimeDep = Annotated[MobilityRuntime, Depends(runtime_dependency)]
