"""Stopping a service leaves nothing running behind it, however the stop goes: cancelled half
way, or with a worker that had already died. What was seen under load (`make test`, issue 23):
`coroutine 'OutboxRelay.stop' was never awaited`, then `ValueError: I/O operation on closed
file` from a consumer still logging into a test's output after the test ended."""

from __future__ import annotations

import asyncio
import io
import logging
import sys

import pytest
import structlog

from shared.bus import cancel_and_wait
from shared.logging import configure_logging
from tests.conftest import ServiceLauncher


def test_logs_go_to_the_current_stderr_not_the_one_at_configuration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pytest swaps `sys.stderr` for each test and closes the old one: a line written later
    by anything configured earlier must not fail on the closed one."""
    configured_with = io.StringIO()
    monkeypatch.setattr(sys, "stderr", configured_with)
    configure_logging(service="quality", node="my", level="info", json=True)
    later = io.StringIO()
    monkeypatch.setattr(sys, "stderr", later)
    configured_with.close()

    structlog.get_logger("test").info("from_structlog")
    logging.getLogger("nats").warning("from_the_standard_library")

    assert "from_structlog" in later.getvalue()
    assert "from_the_standard_library" in later.getvalue()


async def test_stopping_a_worker_that_had_crashed_does_not_fail() -> None:
    async def crashing() -> None:
        raise RuntimeError("lost the broker")

    worker = asyncio.create_task(crashing())
    await asyncio.wait({worker})
    await cancel_and_wait(worker)  # its failure was its own, and logged: the stop goes on
    assert worker.done()


async def test_a_cancelled_stop_still_stops_every_worker(
    services: ServiceLauncher, node_id: str
) -> None:
    service = await services.institutions(node_id)
    await service.wait_connected()
    runtime = service.runtime
    # The service's background work, as its tasks are named.
    names = ("outbox-relay", "consumer:", "replica-watchdog", "idempotency-pruner")
    workers = [
        task
        for task in asyncio.all_tasks()
        if task.get_name().startswith(names) and not task.done()
    ]
    assert {"outbox-relay", "idempotency-pruner"} <= {task.get_name() for task in workers}
    assert any(task.get_name().startswith("consumer:") for task in workers)

    stop = asyncio.create_task(runtime.stop())
    await asyncio.sleep(0)  # it has started
    stop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stop

    assert [task.get_name() for task in workers if not task.done()] == []
