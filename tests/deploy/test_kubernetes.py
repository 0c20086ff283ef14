"""The Kubernetes manifests and the NATS Helm values: every object valid against the
Kubernetes API's schemas (kubernetes-validate, offline, strict: unknown fields fail), the
services' variables real settings fields that validate, ports and probes where the services
listen, web replicas without background workers and exactly one worker pod per service."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest
import yaml

from edunode.deploy import (
    CLIENT_PORT,
    COMPOSE_NODES,
    HUB_ADMIN_NKEY_VARIABLE,
    HUB_ADMIN_SEED_VARIABLE,
    HUB_URL_VARIABLE,
    LEAF_SEED_VARIABLE,
    hub_helm_values,
    hub_keeper_manifest,
    keeper_command,
    leaf_nkey_variable,
    node_helm_values,
)
from edunode.natsserver import jetstream_sourcing_permissions
from services.gateway.settings import GatewaySettings
from tests.deploy.conftest import (
    ROOT,
    SETTINGS,
    prefix_of,
    service_port,
    settings_from,
    unknown_edunode_variables,
)

# The oldest and the newest Kubernetes the manifests are checked against.
KUBERNETES_VERSIONS = ("1.31.0", "1.34.0")
KUBERNETES_VERSION = KUBERNETES_VERSIONS[0]
MANIFESTS = (
    ROOT / "deploy" / "k8s" / "edunode-my-migrate.yaml",
    ROOT / "deploy" / "k8s" / "edunode-my.yaml",
)
HUB_KEEPER = ROOT / "deploy" / "k8s" / "edunode-hub-keeper.yaml"


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]


def of_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def container(workload: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_for_the_kubernetes_api(
    objects: list[dict[str, Any]], version: str
) -> None:
    kinds = {o["kind"] for o in objects}
    assert {"Deployment", "StatefulSet", "Service", "ConfigMap", "Job"} <= kinds
    for obj in objects:
        kubernetes_validate.validate(obj, version, strict=True)


def test_the_validation_catches_mistakes(objects: list[dict[str, Any]]) -> None:
    deployment = copy.deepcopy(next(o for o in objects if o["kind"] == "Deployment"))
    deployment["spec"]["replica"] = 2  # misspelt
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    probe = copy.deepcopy(next(o for o in objects if o["kind"] == "Deployment"))
    container(probe)["readinessProbe"]["httpGet"]["port"] = [8000]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(probe, KUBERNETES_VERSION, strict=True)


def environment_of(objects: list[dict[str, Any]], workload: dict[str, Any]) -> dict[str, str]:
    """What the container's process sees, with the database URLs (a Secret created outside
    the manifests) filled in as an operator would."""
    configmaps = of_kind(objects, "ConfigMap")
    env: dict[str, str] = {}
    spec = container(workload)
    for source in spec.get("envFrom", []):
        if "configMapRef" in source:
            env.update(configmaps[source["configMapRef"]["name"]]["data"])
        if "secretRef" in source:
            assert source["secretRef"]["name"] == "edunode-database"
            for service in SETTINGS:
                env[f"{prefix_of(service)}DATABASE_URL"] = (
                    f"postgresql+asyncpg://edunode@postgres/edunode_my_{service}"
                )
    for item in spec.get("env", []):
        env[item["name"]] = item.get("value", "from-a-secret")
    return env


def test_every_edunode_variable_is_a_settings_field(objects: list[dict[str, Any]]) -> None:
    names: set[str] = set()
    for configmap in of_kind(objects, "ConfigMap").values():
        names |= set(configmap.get("data", {}))
    for kind in ("Deployment", "StatefulSet", "Job"):
        for workload in of_kind(objects, kind).values():
            names |= {item["name"] for item in container(workload).get("env", [])}
    assert any(name.startswith("EDUNODE_") for name in names)
    assert unknown_edunode_variables(names) == set()


def test_web_replicas_scale_and_each_worker_runs_once(
    objects: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    deployments = of_kind(objects, "Deployment")
    statefulsets = of_kind(objects, "StatefulSet")
    autoscalers = of_kind(objects, "HorizontalPodAutoscaler")
    for service in SETTINGS:
        web, worker = deployments[service], statefulsets[f"{service}-worker"]
        assert worker["spec"]["replicas"] == 1
        assert autoscalers[service]["spec"]["scaleTargetRef"]["name"] == service
        assert autoscalers[service]["spec"]["maxReplicas"] > web["spec"]["replicas"] >= 2
        for workload, workers in ((web, False), (worker, True)):
            with monkeypatch.context() as patch:
                settings = settings_from(service, environment_of(objects, workload), patch)
            assert settings.background_workers is workers
            assert settings.stream_replicas == 3, "the node's NATS is a three-server cluster"
            assert settings.node_id == "my"
            assert settings.environment == "production"
            assert container(workload)["args"] == ["serve", service]


def test_services_route_to_the_web_replicas_on_the_right_port(
    objects: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = of_kind(objects, "Service")
    deployments = of_kind(objects, "Deployment")
    statefulsets = of_kind(objects, "StatefulSet")
    for name in SETTINGS:
        assert statefulsets[f"{name}-worker"]["spec"]["serviceName"] == f"{name}-worker"
        assert services[f"{name}-worker"]["spec"]["clusterIP"] == "None"
        selector = services[name]["spec"]["selector"]
        web_labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        worker_labels = statefulsets[f"{name}-worker"]["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= web_labels.items()
        assert not selector.items() <= worker_labels.items()
        port = service_port(name)
        assert services[name]["spec"]["ports"][0]["port"] == port
        assert container(deployments[name])["ports"][0]["containerPort"] == port
        with monkeypatch.context() as patch:
            settings = settings_from(name, environment_of(objects, deployments[name]), patch)
        assert settings.port == port
        assert settings.host == "0.0.0.0"
        assert settings.nats_url == f"nats://nats:{CLIENT_PORT}"
    with monkeypatch.context() as patch:
        gateway = settings_from("gateway", environment_of(objects, deployments["gateway"]), patch)
    assert isinstance(gateway, GatewaySettings)
    for backend, url in gateway.upstream_urls().items():
        assert url == f"http://{backend}:{service_port(backend)}"
        assert backend in services


def test_every_pod_is_probed_non_root_and_bounded(objects: list[dict[str, Any]]) -> None:
    for kind in ("Deployment", "StatefulSet"):
        for name, workload in of_kind(objects, kind).items():
            pod = workload["spec"]["template"]["spec"]
            spec = container(workload)
            assert pod["securityContext"]["runAsNonRoot"] is True, name
            assert spec["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert spec["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert spec["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert spec["resources"]["limits"]["memory"], name
    job = of_kind(objects, "Job")["edunode-migrate"]
    assert container(job)["args"] == [
        "migrate",
        "--node",
        "my",
        "--database-url",
        "$(MIGRATE_DATABASE_URL)",
    ]
    assert container(job)["env"][0]["name"] == "MIGRATE_DATABASE_URL"
    assert job["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


@pytest.mark.parametrize("node", COMPOSE_NODES)
def test_a_nodes_nats_is_a_three_server_jetstream_cluster_in_its_domain(node: str) -> None:
    values = yaml.safe_load((ROOT / "deploy" / "k8s" / "nats" / f"values-{node}.yaml").read_text())
    assert values == node_helm_values(node)
    config = values["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["enabled"] is True
    assert config["jetstream"]["fileStore"]["pvc"]["enabled"] is True
    assert config["jetstream"]["merge"] == {"domain": node, "sync_interval": "always"}
    remote = config["merge"]["leafnodes"]["remotes"][0]
    assert remote["urls"] == [f"<< ${HUB_URL_VARIABLE} >>"]
    assert remote["tls"]["ca_file"]
    assert remote["nkey"] == f"<< ${LEAF_SEED_VARIABLE} >>"
    assert {HUB_URL_VARIABLE, LEAF_SEED_VARIABLE} <= set(values["container"]["env"])


def test_the_hub_lets_each_node_in_with_sourcing_only_permissions() -> None:
    values = yaml.safe_load((ROOT / "deploy" / "k8s" / "nats" / "values-hub.yaml").read_text())
    assert values == hub_helm_values(COMPOSE_NODES)
    config = values["config"]
    assert config["cluster"]["replicas"] == 3
    assert config["jetstream"]["merge"]["domain"] == "hub"
    assert config["leafnodes"]["enabled"] is True
    assert config["leafnodes"]["tls"]["enabled"] is True
    users = config["merge"]["accounts"]["FEDERATION"]["users"]
    assert len(users) == len(COMPOSE_NODES) + 1
    for node, user in zip(COMPOSE_NODES, users[: len(COMPOSE_NODES)], strict=True):
        assert user["nkey"] == f"<< ${leaf_nkey_variable(node)} >>"
        assert "password" not in user
        assert leaf_nkey_variable(node) in values["container"]["env"]
        expected = jetstream_sourcing_permissions(node)
        assert user["permissions"]["publish"]["allow"] == list(expected.publish_allow)
        assert user["permissions"]["subscribe"]["allow"] == list(expected.subscribe_allow)
        assert user["allowed_connection_types"] == ["LEAFNODE"]
    # The hub's administrator, the only user of its client port, whose key is a Secret's.
    admin = config["merge"]["accounts"]["FEDERATION"]["users"][len(COMPOSE_NODES)]
    assert admin == {
        "nkey": f"<< ${HUB_ADMIN_NKEY_VARIABLE} >>",
        "allowed_connection_types": ["STANDARD"],
    }
    secret = values["container"]["env"][HUB_ADMIN_NKEY_VARIABLE]["valueFrom"]["secretKeyRef"]
    assert secret == {"name": "edunode-hub-admin", "key": "nkey"}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_the_hub_keeper_runs_once_beside_the_hub_with_the_admin_seed_from_a_secret(
    version: str,
) -> None:
    documents = [doc for doc in yaml.safe_load_all(HUB_KEEPER.read_text("utf-8")) if doc]
    assert documents == [hub_keeper_manifest(COMPOSE_NODES)]
    keeper = documents[0]
    kubernetes_validate.validate(keeper, version, strict=True)
    assert keeper["kind"] == "Deployment" and keeper["spec"]["replicas"] == 1
    assert keeper["spec"]["strategy"] == {"type": "Recreate"}
    spec = container(keeper)
    # The chart's Service for release `hub` in the hub's namespace, on its client port.
    namespace = keeper["metadata"]["namespace"]
    url = f"nats://hub-nats.{namespace}.svc:{CLIENT_PORT}"
    assert spec["args"] == keeper_command(url, COMPOSE_NODES)
    assert spec["env"] == [
        {
            "name": HUB_ADMIN_SEED_VARIABLE,
            "valueFrom": {"secretKeyRef": {"name": "edunode-hub-admin", "key": "seed"}},
        }
    ]
    assert keeper["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["allowPrivilegeEscalation"] is False
    assert spec["resources"]["limits"]["memory"]
