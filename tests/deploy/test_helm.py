"""The Helm chart of a node (deploy/helm/edunode), linted and rendered by Helm itself: Helm
v4's Go SDK through helm-python-sdk (libhelm_c, offline, no helm binary, no cluster). Rendered
with its default values (node `my`: PostgreSQL, the official NATS chart's three servers) and
with a second country's (deploy/helm/values-de.yaml: a SQLite volume per service, its own
nats-server joined to the hub), then read as a Kubernetes operator would: every object valid
for the Kubernetes API, each service a Deployment behind a Service on its port, probed on
/readyz and /healthz, its settings valid and naming the country, no secret in the release."""

from __future__ import annotations

import copy
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml
from typer.testing import CliRunner

from edunode.cli import app as cli
from edunode.deploy import (
    HUB_URL_VARIABLE,
    LEAF_SEED_VARIABLE,
    node_nats_config,
    write_dev_certificates,
)
from edunode.natsserver import nats_server_binary, render_config
from services.credentials.settings import CredentialsSettings
from services.gateway.settings import GatewaySettings
from services.recognition.settings import RecognitionSettings
from shared.nkeys import UserNkey
from shared.settings import NODE_ID_PATTERN
from tests.deploy.conftest import (
    ROOT,
    SETTINGS,
    prefix_of,
    service_port,
    settings_from,
    unknown_edunode_variables,
)
from tests.deploy.test_kubernetes import KUBERNETES_VERSIONS, MANIFESTS

CHART = ROOT / "deploy" / "helm" / "edunode"
DE_VALUES = ROOT / "deploy" / "helm" / "values-de.yaml"
RELEASE = "edunode"
# Helm's lint severities: 1 info, 2 warning, 3 error.
LINT_WARNING = 2

Objects = list[dict[str, Any]]


def de_values() -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load(DE_VALUES.read_text(encoding="utf-8"))
    return values


def render(values: dict[str, Any] | None, namespace: str) -> Objects:
    with helm.Chart.load(CHART) as chart:
        manifests = chart.render(values, name=RELEASE, namespace=namespace, is_install=True)
    return [
        document
        for template, text in sorted(manifests.items())
        if template.endswith(".yaml")
        for document in yaml.safe_load_all(text)
        if document
    ]


@pytest.fixture(scope="module")
def my_objects() -> Objects:
    return render(None, "edunode-my")


@pytest.fixture(scope="module")
def de_objects() -> Objects:
    return render(de_values(), "edunode-de")


def of_kind(objects: Objects, kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec: list[dict[str, Any]] = workload["spec"]["template"]["spec"]["containers"]
    return spec


def container(workload: dict[str, Any]) -> dict[str, Any]:
    [only] = containers(workload)
    return only


def hook_of(obj: dict[str, Any]) -> str | None:
    annotations: dict[str, str] = obj["metadata"].get("annotations") or {}
    return annotations.get("helm.sh/hook")


def environment_of(objects: Objects, workload: dict[str, Any]) -> dict[str, str]:
    """What the container's process sees. A database Secret is created by the operator
    outside the release: its URLs are filled in as the operator would."""
    configmaps = of_kind(objects, "ConfigMap")
    env: dict[str, str] = {}
    spec = container(workload)
    for source in spec.get("envFrom", []):
        if "configMapRef" in source:
            env.update(configmaps[source["configMapRef"]["name"]]["data"])
        if "secretRef" in source:
            for service in SETTINGS:
                env[f"{prefix_of(service)}DATABASE_URL"] = (
                    f"postgresql+asyncpg://edunode@postgres/edunode_{service}"
                )
    for item in spec.get("env", []):
        env[item["name"]] = item.get("value", "from-a-secret")
    return env


# -- Helm's own checks ------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["my", "de"])
def test_helm_lints_the_chart_clean_with_each_countrys_values(country: str) -> None:
    values = None if country == "my" else de_values()
    report = helm.lint(CHART, values, strict=True, namespace=f"edunode-{country}")
    assert report["total_charts_linted"] == 1
    assert report["errors"] == []
    assert [m for m in report["messages"] if m["severity"] >= LINT_WARNING] == []


def test_the_lint_finds_a_broken_template(tmp_path: Path) -> None:
    broken = tmp_path / "edunode"
    shutil.copytree(CHART, broken)
    services = broken / "templates" / "services.yaml"
    services.write_text(
        services.read_text().replace("$service.port }}", "$service.prot.number }}", 1)
    )
    report = helm.lint(broken, strict=True)
    assert any("services.yaml" in error for error in report["errors"]), report


def test_the_values_schema_holds_the_settings_rules() -> None:
    with helm.Chart.load(CHART) as chart:
        schema = chart.schema
        assert schema is not None
        assert schema["properties"]["node"]["properties"]["id"]["pattern"] == NODE_ID_PATTERN
        for bad in ({"id": "Malaysia"}, {"id": "my", "countries": ["my"]}):
            values = {"node": {**chart.values["node"], **bad}}
            with pytest.raises(helm.HelmValuesError):
                chart.render(values, name=RELEASE)
        with pytest.raises(helm.HelmValuesError):
            chart.render({"database": {"type": "mysql"}}, name=RELEASE)
        # `edunode serve` knows six services: a seventh would be a pod that never starts.
        extra = {"port": 8010, "replicas": 1, "resources": {}}
        with pytest.raises(helm.HelmValuesError, match="foo"):
            chart.render({"services": {"foo": extra}}, name=RELEASE)
        # One nats-server cannot keep three copies of a stream.
        with pytest.raises(helm.HelmRenderError, match="streamReplicas"):
            chart.render({"nats": {"bundled": True, "streamReplicas": 3}}, name=RELEASE)


# -- the Kubernetes API -----------------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_rendered_object_is_valid_for_the_kubernetes_api(
    my_objects: Objects, de_objects: Objects, version: str
) -> None:
    for obj in [*my_objects, *de_objects]:
        kubernetes_validate.validate(obj, version, strict=True)
    wrong = copy.deepcopy(of_kind(my_objects, "Deployment")["gateway"])
    container(wrong)["livenessProbe"]["httpGet"]["pathh"] = "/healthz"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong, version, strict=True)


# -- what an operator expects -----------------------------------------------------------------


@pytest.mark.parametrize("country", ["my", "de"])
def test_every_service_is_a_probed_deployment_behind_its_service(
    my_objects: Objects, de_objects: Objects, country: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    objects = my_objects if country == "my" else de_objects
    deployments = of_kind(objects, "Deployment")
    services = of_kind(objects, "Service")
    assert set(SETTINGS) <= set(deployments) and set(SETTINGS) <= set(services)
    for name in SETTINGS:
        web, front = deployments[name], services[name]
        pod_labels = web["spec"]["template"]["metadata"]["labels"]
        assert front["spec"]["selector"].items() <= pod_labels.items(), name
        assert web["spec"]["selector"]["matchLabels"].items() <= pod_labels.items(), name
        port = service_port(name)
        assert front["spec"]["ports"][0]["port"] == port
        spec = container(web)
        assert spec["args"] == ["serve", name]
        assert spec["ports"] == [{"name": "http", "containerPort": port}]
        # The image's HEALTHCHECK (`edunode probe`: /readyz), as Kubernetes probes.
        assert spec["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert spec["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert spec["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert spec["resources"]["limits"]["memory"] and spec["resources"]["requests"]["cpu"]
        assert web["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["readOnlyRootFilesystem"] is True
        with monkeypatch.context() as patch:
            settings = settings_from(name, environment_of(objects, web), patch)
        assert settings.node_id == country, "the country reaches every service"
        assert settings.countries == [country.upper()]
        assert settings.port == port and settings.host == "0.0.0.0"
        assert settings.environment == "production"
        assert settings.token_public_key_file == Path("/etc/edunode/keys/token.pub")
        assert settings.trust_file is not None
        mounts = {m["mountPath"] for m in spec["volumeMounts"]}
        assert {str(settings.trust_file.parent), "/etc/edunode/keys"} <= mounts
    with monkeypatch.context() as patch:
        gateway = settings_from("gateway", environment_of(objects, deployments["gateway"]), patch)
    assert isinstance(gateway, GatewaySettings)
    for backend, url in gateway.upstream_urls().items():
        assert url == f"http://{backend}:{service_port(backend)}"
        assert backend in services


def test_every_edunode_variable_is_a_settings_field(
    my_objects: Objects, de_objects: Objects
) -> None:
    for objects in (my_objects, de_objects):
        names: set[str] = set()
        for configmap in of_kind(objects, "ConfigMap").values():
            names |= {name for name in configmap["data"] if name.startswith("EDUNODE_")}
        for kind in ("Deployment", "StatefulSet"):
            for workload in of_kind(objects, kind).values():
                names |= {e["name"] for e in containers(workload)[0].get("env", [])}
        assert len(names) > 60
        assert unknown_edunode_variables(names) == set()


def test_secrets_are_named_never_written_into_the_release(
    my_objects: Objects, de_objects: Objects
) -> None:
    for objects in (my_objects, de_objects):
        assert of_kind(objects, "Secret") == {}
        for configmap in of_kind(objects, "ConfigMap").values():
            for name, value in configmap["data"].items():
                assert not re.search(r"postgresql\S*://[^/]*@", value), name
                assert "SEED" not in name and "PASSWORD" not in name, name
        for kind in ("Deployment", "StatefulSet", "Job"):
            for workload in of_kind(objects, kind).values():
                pod = workload["spec"]["template"]["spec"]
                keys = [v for v in pod.get("volumes", []) if v["name"] == "keys"]
                for volume in keys:
                    assert volume["secret"]["secretName"] == "edunode-keys"
                for spec in containers(workload):
                    for item in spec.get("env", []):
                        sensitive = ("DATABASE_URL", "SEED")
                        if any(word in item["name"] for word in sensitive):
                            assert "value" not in item and "secretKeyRef" in item["valueFrom"]
    # PostgreSQL: the URLs come from the operator's Secret, through the services' envFrom and
    # the migration Job's secretKeyRef.
    deployments = of_kind(my_objects, "Deployment")
    for name in SETTINGS:
        sources = container(deployments[name])["envFrom"]
        assert {"secretRef": {"name": "edunode-database"}} in sources
    job = of_kind(my_objects, "Job")["edunode-migrate"]
    assert container(job)["args"] == [
        "migrate", "--node", "my", "--database-url", "$(MIGRATE_DATABASE_URL)",
    ]  # fmt: skip
    assert container(job)["env"][0]["valueFrom"]["secretKeyRef"]["name"] == "edunode-database"
    assert "pre-install" in job["metadata"]["annotations"]["helm.sh/hook"]
    assert "pre-upgrade" in job["metadata"]["annotations"]["helm.sh/hook"]


def test_postgresql_web_replicas_scale_and_each_worker_runs_once(
    my_objects: Objects, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployments = of_kind(my_objects, "Deployment")
    statefulsets = of_kind(my_objects, "StatefulSet")
    autoscalers = of_kind(my_objects, "HorizontalPodAutoscaler")
    services = of_kind(my_objects, "Service")
    assert "nats" not in statefulsets, "the default runs the official NATS chart's servers"
    for name in SETTINGS:
        web, worker = deployments[name], statefulsets[f"{name}-worker"]
        assert worker["spec"]["replicas"] == 1
        assert services[f"{name}-worker"]["spec"]["clusterIP"] == "None"
        # The autoscaler owns the count: a replica number in the Deployment would be put back
        # on every `helm upgrade`, undoing its scaling.
        assert "replicas" not in web["spec"]
        assert autoscalers[name]["spec"]["scaleTargetRef"]["name"] == name
        assert (
            autoscalers[name]["spec"]["maxReplicas"] > autoscalers[name]["spec"]["minReplicas"] >= 2
        )
        worker_labels = worker["spec"]["template"]["metadata"]["labels"]
        assert not services[name]["spec"]["selector"].items() <= worker_labels.items()
        for workload, workers in ((web, False), (worker, True)):
            with monkeypatch.context() as patch:
                settings = settings_from(name, environment_of(my_objects, workload), patch)
            assert settings.background_workers is workers
            assert settings.stream_replicas == 3
            assert settings.nats_url == "nats://nats:4222"


def test_without_autoscaling_the_web_replicas_are_the_values() -> None:
    values = {"services": {"quality": {"autoscaling": {"enabled": False}, "replicas": 3}}}
    objects = render(values, "edunode-my")
    assert of_kind(objects, "Deployment")["quality"]["spec"]["replicas"] == 3
    assert "quality" not in of_kind(objects, "HorizontalPodAutoscaler")
    assert "gateway" in of_kind(objects, "HorizontalPodAutoscaler")


def test_helm_test_asks_the_gateway_service_whether_the_node_is_ready(
    my_objects: Objects,
) -> None:
    [pod] = [o for o in my_objects if hook_of(o) == "test"]
    assert pod["kind"] == "Pod" and pod["spec"]["restartPolicy"] == "Never"
    [spec] = pod["spec"]["containers"]
    gateway = of_kind(my_objects, "Service")["gateway"]
    url = f"http://gateway:{gateway['spec']['ports'][0]['port']}/readyz"
    assert url in spec["command"][-1]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True


def test_the_chart_reproduces_the_kubernetes_manifest_of_node_my(my_objects: Objects) -> None:
    """deploy/k8s holds node `my` written out by hand: the chart's defaults give the same
    objects, the same settings and the same pods."""
    manifest = [
        doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc
    ]
    expected = {(o["kind"], o["metadata"]["name"]) for o in manifest if o["kind"] != "Namespace"}
    released = [o for o in my_objects if hook_of(o) != "test"]  # `helm test`'s pod aside
    assert {(o["kind"], o["metadata"]["name"]) for o in released} == expected
    assert (
        of_kind(my_objects, "ConfigMap")["edunode-config"]["data"]
        == (of_kind(manifest, "ConfigMap")["edunode-config"]["data"])
    )
    compared = (
        *("args", "ports", "envFrom", "env", "readinessProbe", "livenessProbe"),
        *("startupProbe", "resources", "securityContext", "volumeMounts"),
    )
    for kind in ("Deployment", "StatefulSet", "Job"):
        ours, theirs = of_kind(my_objects, kind), of_kind(manifest, kind)
        for name, workload in theirs.items():
            for field in compared:
                assert container(ours[name]).get(field) == container(workload).get(field), (
                    kind,
                    name,
                    field,
                )
            for field in ("securityContext", "volumes"):
                assert ours[name]["spec"]["template"]["spec"].get(field) == workload["spec"][
                    "template"
                ]["spec"].get(field), (kind, name, field)


# -- a second country: SQLite volumes and its own nats-server --------------------------------


def test_a_sqlite_node_keeps_each_services_database_on_its_own_volume(
    de_objects: Objects, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployments = of_kind(de_objects, "Deployment")
    claims = of_kind(de_objects, "PersistentVolumeClaim")
    assert of_kind(de_objects, "Job") == {} and of_kind(de_objects, "HorizontalPodAutoscaler") == {}
    assert set(of_kind(de_objects, "StatefulSet")) == {"nats"}
    for name in SETTINGS:
        web = deployments[name]
        assert web["spec"]["replicas"] == 1, "one SQLite writer"
        assert web["spec"]["strategy"] == {"type": "Recreate"}, "never two pods on one file"
        pod = web["spec"]["template"]["spec"]
        [data] = [v for v in pod["volumes"] if v["name"] == "data"]
        claim = data["persistentVolumeClaim"]["claimName"]
        assert claims[claim]["spec"]["resources"]["requests"]["storage"] == "10Gi"
        assert claims[claim]["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
        [migrate] = pod["initContainers"]
        assert migrate["args"] == [
            "migrate",
            "--node",
            "de",
            "--data-dir",
            "/data",
            "--service",
            name,
        ]
        with monkeypatch.context() as patch:
            settings = settings_from(name, environment_of(de_objects, web), patch)
        assert settings.database_url == f"sqlite+aiosqlite:////data/db/{name}.db"
        assert settings.background_workers is True, "the one pod runs the workers"
        assert settings.stream_replicas == 1
        assert settings.nats_url == "nats://nats:4222"
        for spec in (container(web), migrate):
            assert {"name": "data", "mountPath": "/data"} in spec["volumeMounts"]
    with monkeypatch.context() as patch:
        recognition = settings_from(
            "recognition", environment_of(de_objects, deployments["recognition"]), patch
        )
        gateway = settings_from(
            "gateway", environment_of(de_objects, deployments["gateway"]), patch
        )
        credentials = settings_from(
            "credentials", environment_of(de_objects, deployments["credentials"]), patch
        )
    values = de_values()
    assert isinstance(recognition, RecognitionSettings)
    assert isinstance(credentials, CredentialsSettings)
    assert isinstance(gateway, GatewaySettings)
    assert recognition.national_legal_basis == values["node"]["nationalLegalBasis"]
    assert credentials.public_url == values["node"]["publicUrl"]
    assert [str(network) for network in gateway.trusted_proxies] == ["10.0.0.0/8"]
    for name in SETTINGS:
        assert container(deployments[name])["image"] == "registry.example.de/edunode:0.1.0"


def test_the_bundled_nats_server_is_the_nodes_leaf_of_the_hub(
    de_objects: Objects, tmp_path: Path
) -> None:
    """The chart's nats.conf is the one edunode/deploy.py renders for the node (the same
    statements), nats-server accepts it, and the hub's URL and the node's leaf seed reach it
    from the values and from a Secret."""
    conf = of_kind(de_objects, "ConfigMap")["nats-config"]["data"]["nats.conf"]

    def statements(text: str) -> list[str]:
        return [
            line.strip()
            for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]

    assert statements(conf) == statements(render_config(node_nats_config("de")))

    nats = of_kind(de_objects, "StatefulSet")["nats"]
    spec = container(nats)
    assert spec["command"] == ["nats-server", "-c", "/etc/nats/nats.conf"]
    env = {item["name"]: item for item in spec["env"]}
    assert env[HUB_URL_VARIABLE]["value"] == de_values()["nats"]["hub"]["url"]
    assert env[LEAF_SEED_VARIABLE]["valueFrom"]["secretKeyRef"] == {
        "name": "edunode-nats-leaf", "key": "seed",
    }  # fmt: skip
    mounts = {m["mountPath"]: m["name"] for m in spec["volumeMounts"]}
    ca_file = re.search(r'ca_file: "([^"]+)"', conf)
    assert ca_file is not None and mounts[os.path.dirname(ca_file.group(1))] == "hub-ca"
    assert mounts["/data"] == "data" and "/data/jetstream" in conf
    assert spec["readinessProbe"]["httpGet"]["path"] == "/healthz?js-enabled-only=true"
    assert of_kind(de_objects, "Service")["nats"]["spec"]["ports"][0]["port"] == 4222

    # nats-server reads it (paths moved under this test's directory).
    write_dev_certificates(tmp_path / "tls", ["hub.edunode.example"])
    local = conf.replace("/etc/nats/tls/ca.crt", str(tmp_path / "tls" / "ca.crt"))
    local = local.replace("/data/jetstream", str(tmp_path / "jetstream"))
    (tmp_path / "nats.conf").write_text(local, encoding="utf-8")
    environment = {
        HUB_URL_VARIABLE: env[HUB_URL_VARIABLE]["value"],
        LEAF_SEED_VARIABLE: UserNkey.generate().seed,
    }
    checked = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(tmp_path / "nats.conf")],
        capture_output=True,
        text=True,
        env={**os.environ, **environment},
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr + checked.stdout


def test_the_gateway_is_exposed_and_the_nats_client_port_kept_to_the_node(
    my_objects: Objects, de_objects: Objects
) -> None:
    assert of_kind(my_objects, "Ingress") == {} and of_kind(my_objects, "NetworkPolicy") == {}
    ingress = of_kind(de_objects, "Ingress")["gateway"]
    [rule] = ingress["spec"]["rules"]
    assert rule["host"] == de_values()["ingress"]["host"]
    [path] = rule["http"]["paths"]
    backend = path["backend"]["service"]
    gateway = of_kind(de_objects, "Service")[backend["name"]]
    assert backend["port"]["name"] in {p["name"] for p in gateway["spec"]["ports"]}
    assert backend["name"] == "gateway"
    assert ingress["spec"]["tls"] == [
        {"hosts": ["edunode.de.example"], "secretName": "edunode-de-tls"}
    ]

    # NATS's client port has no authentication: only the node's own pods reach it.
    policy = of_kind(de_objects, "NetworkPolicy")["nats"]
    nats_pod = of_kind(de_objects, "StatefulSet")["nats"]["spec"]["template"]["metadata"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= nats_pod["labels"].items()
    [client, monitor] = policy["spec"]["ingress"]
    assert client["ports"] == [{"port": "client"}] and monitor["ports"] == [{"port": "monitor"}]
    allowed = client["from"][0]["podSelector"]["matchLabels"]
    for workload in of_kind(de_objects, "Deployment").values():
        assert allowed.items() <= workload["spec"]["template"]["metadata"]["labels"].items()
    stranger = {"app.kubernetes.io/part-of": "edunode", "edunode.org/node": "fr"}
    assert not allowed.items() <= stranger.items()


def test_without_a_hub_the_bundled_server_stands_alone() -> None:
    values = de_values()
    values["nats"]["hub"]["url"] = ""
    objects = render(values, "edunode-de")
    conf = of_kind(objects, "ConfigMap")["nats-config"]["data"]["nats.conf"]
    assert "leafnodes" not in conf
    nats = of_kind(objects, "StatefulSet")["nats"]
    assert "env" not in container(nats)
    assert all(v["name"] != "hub-ca" for v in nats["spec"]["template"]["spec"]["volumes"])


def test_the_init_containers_migration_touches_its_own_service_only(
    de_objects: Objects, tmp_path: Path
) -> None:
    """What a SQLite pod's init container runs, run here with the data dir moved: only that
    service's database is created and brought to its latest schema."""
    [migrate] = of_kind(de_objects, "Deployment")["quality"]["spec"]["template"]["spec"][
        "initContainers"
    ]
    arguments = [tmp_path.as_posix() if a == "/data" else a for a in migrate["args"]]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "db").iterdir()) == ["quality.db"]
    with sqlite3.connect(tmp_path / "db" / "quality.db") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"evaluation", "alembic_version", "audit_entry"} <= tables

    refused = CliRunner().invoke(cli, [*arguments[:-1], "qualty"])
    assert refused.exit_code == 2 and "qualty" in refused.output
