"""Answers the console reuses for a short while, in this gateway's memory: figures that change
slowly and cost several service calls to gather (QA coverage, two frameworks side by side), so
that a page viewed again does not gather them again. Each key's answer is kept `seconds`; the
least recently stored go first beyond `most`."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any


class Recent:
    def __init__(self, seconds: float, most: int = 256) -> None:
        self.seconds = seconds
        self.most = most
        self._kept: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()

    async def get(
        self, key: Hashable, gather: Callable[[], Awaitable[Any]], keep: Callable[[Any], bool]
    ) -> Any:
        """The answer kept for `key` if fresh, else `gather()`'s (kept if `keep` says so: an
        error answer is not)."""
        now = time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self.seconds:
            return kept[1]
        answer = await gather()
        if keep(answer):
            self._kept[key] = (now, answer)
            self._kept.move_to_end(key)
            while len(self._kept) > self.most:
                self._kept.popitem(last=False)
        return answer
