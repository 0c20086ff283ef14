"""The credentials service's request-scoped dependencies: its typed runtime and settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.credentials.settings import CredentialsSettings
from shared.dependencies import runtime_dependency
from shared.runtime import ServiceRuntime

CredentialsRuntime = ServiceRuntime[CredentialsSettings]
RuntimeDep = Annotated[CredentialsRuntime, Depends(runtime_dependency)]


async def credentials_settings(runtime: RuntimeDep) -> CredentialsSettings:
    return runtime.settings


SettingsDep = Annotated[CredentialsSettings, Depends(credentials_settings)]
