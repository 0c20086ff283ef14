"""The deployment files generated from code: the NATS configurations of the hub and of each
node (docker compose, `deploy/nats/`), the values for the official NATS Helm chart
(`deploy/k8s/nats/`) and the hub's keeper Deployment (`deploy/k8s/edunode-hub-keeper.yaml`).
`edunode deploy render` writes them; a test checks that the committed files are what this
module renders, so there is one source of truth: `edunode.natsserver`, the same code that
writes the configuration of every nats-server `edunode up` starts.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from edunode.natsserver import (
    LeafUser,
    NatsServerConfig,
    SubjectPermissions,
    TlsConfig,
    jetstream_sourcing_permissions,
    render_config,
)

# The nodes of the example federation in docker-compose.yml (a hub and two nodes).
COMPOSE_NODES = ("my", "de")
CLIENT_PORT = 4222
LEAFNODE_PORT = 7422
MONITORING_PORT = 8222
STORE_DIR = Path("/data/jetstream")
# Where the compose file mounts deploy/tls/ into the NATS containers.
COMPOSE_TLS_DIR = "/etc/nats/tls"
# Where the NATS Helm chart mounts a secret named in `config.leafnodes.tls.secretName`, and
# the CA of `tlsCA` (the chart's defaults).
CHART_LEAFNODES_TLS_DIR = "/etc/nats-certs/leafnodes"
CHART_CA_FILE = "/etc/nats-ca-cert/ca.crt"
# The environment variables of a node's NATS: the hub's leaf URL, and the node's leaf NKey
# seed (`<data-dir>/keys/leaf.nk`, from `edunode keys init`), never written into a file.
HUB_URL_VARIABLE = "HUB_LEAF_URL"
LEAF_SEED_VARIABLE = "LEAF_SEED"
LEAF_ACCOUNT = "FEDERATION"
# The hub's administrator, the only user of its client port: its public NKey for the hub's
# nats-server, its seed for the keeper (`edunode hub keep`), both from the environment
# (`edunode keys hub-admin` makes the pair).
HUB_ADMIN_NKEY_VARIABLE = "HUB_ADMIN_NKEY"
HUB_ADMIN_SEED_VARIABLE = "HUB_ADMIN_SEED"
# The compose hub's service name, and the Service the NATS chart makes for release `hub`.
COMPOSE_HUB_URL = f"nats://hub-nats:{CLIENT_PORT}"
K8S_HUB_NAMESPACE = "edunode-hub"
K8S_HUB_URL = f"nats://hub-nats.{K8S_HUB_NAMESPACE}.svc:{CLIENT_PORT}"
K8S_IMAGE = "edunode:0.1.0"


def leaf_nkey_variable(node: str) -> str:
    """The hub's environment variable holding `node`'s public leaf NKey (`edunode keys leaf`)."""
    return "LEAF_NKEY_" + node.upper().replace("-", "_")


def hub_nats_config(nodes: tuple[str, ...], *, tls_dir: str = COMPOSE_TLS_DIR) -> NatsServerConfig:
    """The hub: JetStream domain `hub`, a TLS leaf-node listener open to the network with one
    NKey user per node; the client port for its administrator alone (the keeper, from the
    private network: compose publishes only the leaf-node port)."""
    return NatsServerConfig(
        name="edunode-hub",
        host="0.0.0.0",
        leafnode_host="0.0.0.0",
        port=CLIENT_PORT,
        http_port=MONITORING_PORT,
        store_dir=STORE_DIR,
        domain="hub",
        leafnode_port=LEAFNODE_PORT,
        leafnode_no_advertise=True,
        leafnode_tls=TlsConfig(cert_file=f"{tls_dir}/tls.crt", key_file=f"{tls_dir}/tls.key"),
        leaf_account=LEAF_ACCOUNT,
        leaf_users=[
            LeafUser(
                user=node,
                nkey=f"${leaf_nkey_variable(node)}",
                permissions=jetstream_sourcing_permissions(node),
            )
            for node in nodes
        ],
        admin_nkey=f"${HUB_ADMIN_NKEY_VARIABLE}",
    )


def keeper_command(url: str, nodes: tuple[str, ...]) -> list[str]:
    """The arguments of `edunode` running the hub's keeper (compose, Kubernetes)."""
    return ["hub", "keep", "--url", url, *(arg for node in nodes for arg in ("--node", node))]


def node_nats_config(node: str, *, ca_file: str = f"{COMPOSE_TLS_DIR}/ca.crt") -> NatsServerConfig:
    """A node: JetStream domain = node id, `sync_interval: always`, a leaf connection to the
    hub over TLS (the hub's certificate checked against `ca_file`), signing in with the
    node's leaf NKey."""
    return NatsServerConfig(
        name=f"edunode-{node}",
        host="0.0.0.0",
        port=CLIENT_PORT,
        http_port=MONITORING_PORT,
        store_dir=STORE_DIR,
        domain=node,
        leaf_remote_tls=TlsConfig(ca_file=ca_file),
        leaf_remote_url_variable=HUB_URL_VARIABLE,
        leaf_remote_nkey=f"${LEAF_SEED_VARIABLE}",
    )


def _variable(name: str) -> str:
    # The chart writes `<< ... >>` into nats.conf unquoted: a variable read from the environment.
    return f"<< ${name} >>"


def _permissions(permissions: SubjectPermissions) -> dict[str, Any]:
    subscribe: dict[str, Any] = {"allow": list(permissions.subscribe_allow)}
    if permissions.subscribe_deny:
        subscribe["deny"] = list(permissions.subscribe_deny)
    return {"publish": {"allow": list(permissions.publish_allow)}, "subscribe": subscribe}


def _cluster_values(cfg: NatsServerConfig) -> dict[str, Any]:
    assert cfg.domain is not None
    return {
        "cluster": {"enabled": True, "replicas": 3},
        "jetstream": {
            "enabled": True,
            "fileStore": {
                "enabled": True,
                "dir": "/data",
                "pvc": {"enabled": True, "size": "20Gi"},
            },
            "merge": {"domain": cfg.domain, "sync_interval": cfg.sync_interval},
        },
        "monitor": {"enabled": True, "port": MONITORING_PORT},
    }


def hub_helm_values(nodes: tuple[str, ...]) -> dict[str, Any]:
    """Values for the official chart (nats-io/k8s, `nats` 1.x) running the hub: a 3-server
    JetStream cluster in domain `hub` with the leaf-node listener and the nodes' users."""
    cfg = hub_nats_config(nodes, tls_dir=CHART_LEAFNODES_TLS_DIR)
    config = _cluster_values(cfg)
    config["leafnodes"] = {
        "enabled": True,
        "port": LEAFNODE_PORT,
        "tls": {"enabled": True, "secretName": "edunode-hub-leafnodes-tls"},
        "merge": {"no_advertise": True},
    }
    config["merge"] = {
        "accounts": {
            LEAF_ACCOUNT: {
                "users": [
                    {
                        "nkey": _variable(leaf_nkey_variable(user.user)),
                        **(
                            {"permissions": _permissions(user.permissions)}
                            if user.permissions
                            else {}
                        ),
                        "allowed_connection_types": list(user.allowed_connection_types),
                    }
                    for user in cfg.leaf_users
                ]
                + [
                    {
                        "nkey": _variable(HUB_ADMIN_NKEY_VARIABLE),
                        "allowed_connection_types": ["STANDARD"],
                    }
                ]
            }
        }
    }
    env = {
        leaf_nkey_variable(node): {
            "valueFrom": {"secretKeyRef": {"name": "edunode-hub-leaf-nkeys", "key": node}}
        }
        for node in nodes
    }
    env[HUB_ADMIN_NKEY_VARIABLE] = {
        "valueFrom": {"secretKeyRef": {"name": "edunode-hub-admin", "key": "nkey"}}
    }
    return {"config": config, "container": {"env": env}}


def node_helm_values(node: str) -> dict[str, Any]:
    """Values for the official chart running a node's NATS: a 3-server JetStream cluster in
    the node's domain, joined to the hub as a leaf over TLS."""
    cfg = node_nats_config(node, ca_file=CHART_CA_FILE)
    config = _cluster_values(cfg)
    config["merge"] = {
        "leafnodes": {
            "remotes": [
                {
                    "urls": [_variable(HUB_URL_VARIABLE)],
                    "nkey": _variable(LEAF_SEED_VARIABLE),
                    "tls": {"ca_file": CHART_CA_FILE},
                }
            ]
        }
    }
    return {
        "config": config,
        "tlsCA": {"enabled": True, "secretName": "edunode-federation-ca"},
        "container": {
            "env": {
                HUB_URL_VARIABLE: {
                    "valueFrom": {"secretKeyRef": {"name": "edunode-nats-leaf", "key": "url"}}
                },
                LEAF_SEED_VARIABLE: {
                    "valueFrom": {"secretKeyRef": {"name": "edunode-nats-leaf", "key": "seed"}}
                },
            }
        },
    }


def hub_keeper_manifest(nodes: tuple[str, ...]) -> dict[str, Any]:
    """The hub's keeper as a Deployment beside the hub's NATS release (`hub`, namespace
    `edunode-hub`): `edunode hub keep`, signing in with the administrator's seed from the
    Secret `edunode-hub-admin` (key `seed`; the hub's servers read its key `nkey`). One
    replica: a second would only repeat the same idempotent calls."""
    labels = {"app.kubernetes.io/name": "hub-keeper", "app.kubernetes.io/part-of": "edunode"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "edunode-hub-keeper",
            "namespace": K8S_HUB_NAMESPACE,
            "labels": dict(labels),
        },
        "spec": {
            "replicas": 1,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 10001,
                        "runAsGroup": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "terminationGracePeriodSeconds": 30,
                    "containers": [
                        {
                            "name": "keeper",
                            "image": K8S_IMAGE,
                            "args": keeper_command(K8S_HUB_URL, nodes),
                            "env": [
                                {
                                    "name": HUB_ADMIN_SEED_VARIABLE,
                                    "valueFrom": {
                                        "secretKeyRef": {"name": "edunode-hub-admin", "key": "seed"}
                                    },
                                }
                            ],
                            "resources": {
                                "requests": {"cpu": "20m", "memory": "96Mi"},
                                "limits": {"memory": "256Mi"},
                            },
                            "securityContext": {
                                "allowPrivilegeEscalation": False,
                                "readOnlyRootFilesystem": True,
                                "capabilities": {"drop": ["ALL"]},
                            },
                            "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                        }
                    ],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }


GENERATED = "Generated by `edunode deploy render` from edunode/deploy.py: do not edit."


def _yaml(values: dict[str, Any]) -> str:
    return f"# {GENERATED}\n" + yaml.safe_dump(values, sort_keys=False, width=100)


def render_deploy(nodes: tuple[str, ...] = COMPOSE_NODES) -> dict[str, str]:
    """Every generated deployment file, by path relative to the repository root."""
    files = {"deploy/nats/hub.conf": render_config(hub_nats_config(nodes))}
    for node in nodes:
        files[f"deploy/nats/node-{node}.conf"] = render_config(node_nats_config(node))
    files["deploy/k8s/nats/values-hub.yaml"] = _yaml(hub_helm_values(nodes))
    for node in nodes:
        files[f"deploy/k8s/nats/values-{node}.yaml"] = _yaml(node_helm_values(node))
    files["deploy/k8s/edunode-hub-keeper.yaml"] = _yaml(hub_keeper_manifest(nodes))
    return files


def write_deploy(root: Path, nodes: tuple[str, ...] = COMPOSE_NODES) -> list[Path]:
    """Write the generated files under `root`; returns their paths."""
    written = []
    for relative, text in render_deploy(nodes).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


@dataclass(frozen=True)
class IssuedCertificate:
    cert_path: Path
    key_path: Path


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def write_dev_certificates(out: Path, hub_names: list[str], days: int = 365) -> IssuedCertificate:
    """A throwaway CA (`ca.crt`, `ca.key`) and the hub's certificate (`tls.crt`, `tls.key`,
    valid for `hub_names`: DNS names or IP addresses) in `out`. For trying a deployment out;
    a real federation's hub gets its certificate from a real CA (docs/deployment.md)."""
    out.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "edunode federation dev CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for name in hub_names:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            names.append(x509.DNSName(name))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hub_names[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage(
                [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (out / "ca.crt").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (out / "ca.key").write_bytes(_key_pem(ca_key))
    (out / "tls.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (out / "tls.key").write_bytes(_key_pem(key))
    for private in ("ca.key", "tls.key"):
        (out / private).chmod(0o600)
    return IssuedCertificate(cert_path=out / "tls.crt", key_path=out / "tls.key")
