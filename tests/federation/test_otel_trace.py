"""One trace across the federation, exported over OTLP: a write at `cn` (through its gateway,
its institutions service and the database), the outbox relay's publication, and the apply of
the replicated event at `my` — real `edunode up` processes under a hub, each service exporting
its spans to an OTLP/HTTP receiver the test runs (`OTEL_EXPORTER_OTLP_ENDPOINT`, as the
OpenTelemetry SDK's environment specification names it)."""

from __future__ import annotations

import secrets
import signal
import subprocess
import time
from collections.abc import Callable

import httpx
import pytest

from edunode.demo import DemoFederation
from edunode.natsserver import find_free_port
from tests.federation.whole_nodes import ready_token, start_node
from tests.support.network import free_port_block
from tests.support.otlp import ReceivedSpan, otlp_receiver

pytestmark = pytest.mark.slow


def _eventually(check: Callable[[], bool], timeout: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout:.0f} s: {what}")
        time.sleep(0.5)


def _one(spans: list[ReceivedSpan], what: str) -> ReceivedSpan:
    assert len(spans) == 1, f"{what}: {spans}"
    return spans[0]


def test_one_trace_runs_from_a_write_at_cn_to_its_apply_at_my(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path_factory.mktemp("otel-nodes")
    demo = DemoFederation(
        data_dir=root,
        hub_port=find_free_port(),
        leafnode_port=find_free_port(),
        monitoring_port=find_free_port(),
        nodes={"cn": free_port_block(), "my": free_port_block()},
    )
    demo.write_trust_list()
    configs = {config.node_id: config for config in demo.node_configs()}
    hub = demo.hub().server()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    with otlp_receiver() as receiver:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "200")  # ms: spans reach us promptly
        hub.start()
        try:
            for node in configs:
                processes[node] = start_node(configs[node], root / f"{node}.log")
            tokens = {
                node: ready_token(configs[node], processes[node], root / f"{node}.log")
                for node in configs
            }
            hub.wait_for_leafnodes(2, timeout=60)
            trace_id, caller = secrets.token_hex(16), secrets.token_hex(8)
            response = httpx.post(
                f"{configs['cn'].service_url('gateway')}/v1/institutions",
                json={"name": "Traced Across University", "country": "CN", "city": "Test"},
                headers={
                    "Authorization": f"Bearer {tokens['cn']}",
                    "traceparent": f"00-{trace_id}-{caller}-01",
                },
                timeout=30,
            )
            assert response.status_code == 201, response.text
            institution = response.json()["id"]

            def at_my() -> bool:
                url = f"{configs['my'].service_url('gateway')}/v1/institutions/{institution}"
                return httpx.get(url, timeout=10).status_code == 200

            _eventually(at_my, what="the institution replicated to my")

            def applied_at_my() -> bool:
                return any(
                    span.resource.get("edunode.node") == "my" and span.kind == "consumer"
                    for span in receiver.trace(trace_id)
                )

            _eventually(applied_at_my, what="my's consumer span exported")
            time.sleep(2)  # the apply's database spans end with it; give their batch a moment
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            hub.stop()

        spans = receiver.trace(trace_id)

    def where(node: str, service: str, kind: str) -> list[ReceivedSpan]:
        return [
            span
            for span in spans
            if span.resource.get("edunode.node") == node
            and span.resource.get("service.name") == service
            and span.kind == kind
        ]

    # HTTP at cn: the gateway continues the caller's span, the service the gateway's.
    gateway = _one(where("cn", "gateway", "server"), "cn's gateway span")
    assert gateway.parent_span_id == caller
    service = _one(where("cn", "institutions", "server"), "cn's institutions span")
    assert service.parent_span_id == gateway.span_id
    assert service.name == "POST /v1/institutions"
    assert service.attributes["http.response.status_code"] == 201
    # The database: the write's statements, children of the request's span.
    statements = [s for s in where("cn", "institutions", "client") if s.parent_span_id]
    assert any(s.parent_span_id == service.span_id for s in statements), statements
    # NATS publish: the relay's producer span continues the span that wrote the event.
    publish = where("cn", "institutions", "producer")
    assert publish and all(span.parent_span_id == service.span_id for span in publish)
    assert all(span.attributes["messaging.system"] == "nats" for span in publish)
    # NATS consume at my: each service applying the replicated event does so in a span whose
    # parent is the writer's span, named by the event's signed `traceparent`.
    consumed = [span for span in spans if span.resource.get("edunode.node") == "my"]
    applying = [span for span in consumed if span.kind == "consumer"]
    assert applying and all(span.parent_span_id == service.span_id for span in applying)
    # ...and my's database writes of that apply are its children.
    applying_ids = {span.span_id for span in applying}
    assert any(
        span.kind == "client" and span.parent_span_id in applying_ids for span in consumed
    ), consumed
    assert len({span.span_id for span in spans}) == len(spans)
