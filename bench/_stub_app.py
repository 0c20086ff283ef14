"""The cheapest service there is: a bare FastAPI app with one small JSON GET, the baseline the
gateway benchmark compares against (`uvicorn bench._stub_app:app`)."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(title="bench stub")


@app.get("/v1/institutions/ping")
async def ping() -> dict[str, str]:
    """A small JSON answer."""
    return {"status": "ok", "service": "stub"}


@app.get("/readyz")
async def readyz() -> dict[str, str]:
    """Always ready."""
    return {"status": "ok"}
