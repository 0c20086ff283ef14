"""Log lines: one JSON object each, naming the node and the service wherever they are written."""

from __future__ import annotations

import contextvars
import json

import pytest
import structlog

from shared.logging import configure_logging


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
