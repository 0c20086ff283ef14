"""An institutions process is ready (`/readyz`) only once its search index is loaded: until
then its search answers "warming up", and whatever routes requests by readiness (a balancer,
`edunode up`, Kubernetes) must send them to another process."""

from __future__ import annotations

import asyncio

from tests.conftest import RunningService


async def test_a_process_is_ready_only_once_its_search_index_is_loaded(
    directory: RunningService,
) -> None:
    loaded = directory.app.state.directory.loaded
    await asyncio.wait_for(loaded.wait(), 10)
    ready = await directory.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "nats": "ok", "directory": "ok"}
    loaded.clear()  # as it is from the process's start until the load is done
    try:
        loading = await directory.client.get("/readyz")
        searching = await directory.client.get("/v1/institutions", params={"q": "university"})
    finally:
        loaded.set()
    assert loading.status_code == 503
    assert loading.json()["detail"] == "not ready: directory failing: the search index is loading"
    assert searching.status_code == 400  # what a process not ready would answer
