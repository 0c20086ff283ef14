"""The bare baseline of `bench/directory.py`: a minimal FastAPI app doing one SQLAlchemy
primary-key read per request on the institutions database, nothing else.

    BASELINE_DATABASE_URL=sqlite+aiosqlite:///… uvicorn bench._pk_baseline:app
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from fastapi import FastAPI, HTTPException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from services.institutions.registry.models import Institution

engine = create_async_engine(os.environ["BASELINE_DATABASE_URL"])
sessions = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI()


@app.get("/v1/institutions/{institution_id}")
async def get_institution(institution_id: uuid.UUID) -> dict[str, Any]:
    async with sessions() as session:
        row = await session.scalar(select(Institution).where(Institution.id == institution_id))
    if row is None:
        raise HTTPException(404)
    return {
        "id": str(row.id),
        "name": row.name,
        "country": row.country,
        "names": row.names,
        "identifiers": row.identifiers,
        "version": row.version,
    }
