"""Structured JSON logs; every line carries the node, the service, and (inside a request or an
event) the request id and trace id, bound through context variables."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import TextIO, cast

import structlog

# The level `configure_logging` set last: structlog's filtering logger drops the lines below it.
# Before any configuration structlog writes every line, and so does this.
_threshold = logging.NOTSET


def logs_at(level: int) -> bool:
    """Whether a line at `level` is written. For the lines of every request: through
    structlog's lazy logger a line costs a newly bound logger even when it is then dropped."""
    return level >= _threshold


def configure_logging(*, service: str, node: str, level: str = "info", json: bool = True) -> None:
    """Configure structlog and the standard library to write one JSON object per line."""
    global _threshold
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    shared_processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        _origin(node=node, service=service),
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    _threshold = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[*shared_processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(_threshold),
        logger_factory=structlog.PrintLoggerFactory(cast(TextIO, _CURRENT_STDERR)),
        cache_logger_on_first_use=False,
    )
    # Libraries that log through the standard library (uvicorn, nats) go to stderr as well.
    logging.basicConfig(
        stream=_CURRENT_STDERR, level=level.upper(), format="%(message)s", force=True
    )
    logging.getLogger("uvicorn.access").disabled = True
    # Database drivers log statements with their parameters at debug level: personal data
    # (recognition applicants) must never reach a log, whatever LOG_LEVEL says.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))


QUIET_LOGGERS = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool")


class _CurrentStderr:
    """Whatever `sys.stderr` is when a line is written, not the one it was at configuration:
    a test runner swaps it for each test and closes the old one, and a line written after
    (by a worker still stopping) must not fail on it."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


_CURRENT_STDERR = _CurrentStderr()


# The service whose server runs the current task where several services share one process
# (`edunode up --single-process`): set in the context each server's task starts with, so it
# names every line of that service instead of the one configured last.
SERVICE_IN_PROCESS: ContextVar[str | None] = ContextVar("edunode_service", default=None)


def _origin(*, node: str, service: str) -> structlog.types.Processor:
    """Stamp every line with the node and the service. A processor, not context variables:
    those bound in the lifespan never reach the server's request tasks."""

    def add_origin(
        _logger: object, _method: str, event_dict: structlog.types.EventDict
    ) -> structlog.types.EventDict:
        event_dict.setdefault("node", node)
        event_dict.setdefault("service", SERVICE_IN_PROCESS.get() or service)
        return event_dict

    return add_origin
