"""Log lines: one JSON object each, naming the node and the service wherever they are written."""

from __future__ import annotations

import contextvars
import json

import httpx
import pytest
import structlog

from shared.logging import configure_logging
from shared.web import create_service_app


def test_every_line_names_the_node_and_service_outside_the_context_that_configured_it(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # A service configures logging in its lifespan; uvicorn serves requests in other contexts.
    contextvars.copy_context().run(
        configure_logging, service="quality", node="my", level="info", json=True
    )
    capfd.readouterr()
    with structlog.contextvars.bound_contextvars(trace_id="ab" * 16):
        structlog.get_logger("test").info("something_happened", count=3)
    structlog.get_logger("test").debug("below_the_level")
    (line,) = [json.loads(text) for text in capfd.readouterr().err.splitlines()]
    assert line["event"] == "something_happened"
    assert (line["node"], line["service"], line["count"]) == ("my", "quality", 3)
    assert line["trace_id"] == "ab" * 16
    assert line["level"] == "info"


@pytest.mark.parametrize(("level", "expected"), [("info", [200, 500]), ("warning", [500])])
async def test_a_request_line_is_written_at_info_and_an_error_at_warning(
    capfd: pytest.CaptureFixture[str], level: str, expected: list[int]
) -> None:
    app = create_service_app(
        service="probe",
        title="probe",
        description="",
        version="0",
        lifespan=None,
        readiness=lambda _app: {},
    )

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    configure_logging(service="probe", node="my", level=level, json=True)
    capfd.readouterr()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/broken")).status_code == 500
    written = capfd.readouterr().err.splitlines()
    lines = [json.loads(text) for text in written if text.startswith("{")]
    requests = [line for line in lines if line["event"] == "request"]
    assert [line["status"] for line in requests] == expected
    assert [line["route"] for line in requests] == ["/healthz", "/broken"][-len(expected) :]
    configure_logging(service="probe", node="my", level="info", json=True)
