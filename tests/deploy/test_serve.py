"""`edunode serve <service>`: what each container runs. One service in its own process,
configured only by its environment, answering /healthz and /readyz on its port."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from edunode.natsserver import NatsServer, find_free_port
from edunode.serve import served_service
from shared.migrations import upgrade
from tests.conftest import ensure_running


def edunode() -> str:
    found = shutil.which("edunode", path=str(Path(sys.executable).parent))
    assert found is not None
    return found


def test_serve_runs_one_service_from_its_environment(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'quality.db'}"
    upgrade("services.quality", database)
    port = find_free_port()
    env = {
        **os.environ,
        "EDUNODE_QUALITY_NODE_ID": "my",
        "EDUNODE_QUALITY_DATABASE_URL": database,
        "EDUNODE_QUALITY_NATS_URL": ensure_running(nats_server).url,
        "EDUNODE_QUALITY_HOST": "127.0.0.1",
        "EDUNODE_QUALITY_PORT": str(port),
        "EDUNODE_QUALITY_STREAM_REPLICAS": "1",
    }
    process = subprocess.Popen(
        [edunode(), "serve", "quality"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        ready = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        assert ready is not None and ready.status_code == 200, process.stderr
        assert ready.json()["checks"] == {"database": "ok", "nats": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        # The image's health check, as Docker runs it in the container (same environment);
        # there the service is found from the first process's command line.
        assert served_service(Path(f"/proc/{process.pid}/cmdline").read_bytes()) == "quality"
        assert probe_exit_code(env) == 0
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    # A clean stop: uvicorn finishes its shutdown, then re-raises the SIGTERM it caught.
    assert process.returncode in (0, -signal.SIGTERM)
    assert probe_exit_code(env) == 1  # nothing answers any more


def probe_exit_code(env: dict[str, str]) -> int:
    probe = subprocess.run(
        [edunode(), "probe", "quality"], env=env, capture_output=True, timeout=60, check=False
    )
    return probe.returncode


def test_the_image_checks_its_own_health() -> None:
    dockerfile = (Path(__file__).parents[2] / "Dockerfile").read_text()
    (healthcheck,) = [line for line in dockerfile.splitlines() if line.startswith("HEALTHCHECK")]
    assert healthcheck.endswith('CMD ["edunode", "probe"]')
    # Only a container that serves a service has something to probe.
    assert served_service(b"/opt/venv/bin/python\0/opt/venv/bin/edunode\0serve\0gateway\0")
    assert served_service(b"/opt/venv/bin/edunode\0migrate\0--node\0my\0") is None
    assert served_service(b"nats-server\0-c\0/etc/nats/nats.conf\0") is None


def test_serve_refuses_an_unknown_service_or_a_missing_variable(tmp_path: Path) -> None:
    unknown = subprocess.run(
        [edunode(), "serve", "registry"], capture_output=True, text=True, timeout=60, check=False
    )
    assert unknown.returncode != 0
    assert "unknown service 'registry'" in unknown.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUNODE_")}
    missing = subprocess.run(
        [edunode(), "serve", "recognition"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**env, "EDUNODE_RECOGNITION_NODE_ID": "my"},
    )
    assert missing.returncode == 2
    assert "EDUNODE_RECOGNITION_DATABASE_URL: is required but not set" in missing.stderr
