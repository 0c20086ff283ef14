"""The directory as FastAPI dependencies: the process's in-memory directory (which the write
services tell of their changes) and the read service.

Both are `async def`: FastAPI runs a plain `def` dependency in a thread, and a read served
from memory would spend longer hopping threads than reading (bench/directory.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.institutions.directory.memory import Directory
from services.institutions.directory.service import DirectoryService
from shared.dependencies import runtime_of


async def get_directory(request: Request) -> Directory:
    directory: Directory = request.app.state.directory
    return directory


DirectoryDep = Annotated[Directory, Depends(get_directory)]


async def get_directory_service(request: Request) -> DirectoryService:
    runtime = runtime_of(request)
    return DirectoryService(
        directory=await get_directory(request),
        database=runtime.database,
        settings=runtime.settings,
    )


DirectoryServiceDep = Annotated[DirectoryService, Depends(get_directory_service)]
