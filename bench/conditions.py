"""What every bench says about the conditions of its figures: how busy the machine was before
and after (`machine_load`), that no figure rests on a failed request (`require_success`), and
the raised rate limits that keep a load generator (one client at one address) from measuring
the limiter instead of the node (`RAISED_RATE_LIMITS`)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping

from shared.auth import Role

_UNLIMITED = {"per_second": 1_000_000, "burst": 1_000_000}
# The gateway's environment for a run: every policy, anonymous and per role, out of reach.
RAISED_RATE_LIMITS: Mapping[str, str] = {
    "EDUNODE_GATEWAY_ANONYMOUS_RATE_LIMIT": json.dumps(_UNLIMITED),
    "EDUNODE_GATEWAY_ROLE_RATE_LIMITS": json.dumps({role.value: _UNLIMITED for role in Role}),
}


class NotMeasured(RuntimeError):
    """A figure would have been built on responses that were not 2xx: none is printed."""


def load_average() -> str:
    """The CPU count and the 1-, 5- and 15-minute load averages, as one phrase."""
    one, five, fifteen = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs, load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min)"
    )


@contextlib.contextmanager
def machine_load() -> Iterator[None]:
    """Print how busy the machine is before the block and after it (also when it fails): on
    a shared machine a figure means little without it."""
    print(f"before: {load_average()}", flush=True)
    try:
        yield
    finally:
        print(f"after:  {load_average()}", flush=True)


def require_success(what: str, failed: int, *, out_of: int | None = None, detail: str = "") -> None:
    """Refuse `what` if any of its responses was not 2xx (a 429 of the rate limiter, a 5xx,
    a socket error): raise `NotMeasured` naming how many."""
    if failed:
        total = f" of {out_of}" if out_of is not None else ""
        raise NotMeasured(
            f"{what}: {failed}{total} responses were not 2xx{f' ({detail})' if detail else ''}; "
            "no figure is printed for it"
        )


def require_2xx(what: str, status: int, body: str = "") -> None:
    """One response that a figure rests on (a timed request, or a step of a timed journey)."""
    if not 200 <= status < 300:
        raise NotMeasured(f"{what} answered {status}: {body[:300]}")
