"""The directory as FastAPI dependencies: the process's in-memory directory (which the write
services tell of their changes) and the read service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.institutions.directory.memory import Directory
from services.institutions.directory.service import DirectoryService
from shared.dependencies import RuntimeDep


def get_directory(request: Request) -> Directory:
    directory: Directory = request.app.state.directory
    return directory


DirectoryDep = Annotated[Directory, Depends(get_directory)]


def get_directory_service(directory: DirectoryDep, runtime: RuntimeDep) -> DirectoryService:
    return DirectoryService(
        directory=directory, database=runtime.database, settings=runtime.settings
    )


DirectoryServiceDep = Annotated[DirectoryService, Depends(get_directory_service)]
