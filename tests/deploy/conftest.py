"""What the deployment tests share: the settings class behind each `EDUNODE_<SERVICE>_`
prefix, so every variable a deployment file names can be checked against the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunode.node import NodeConfig
from services.credentials.settings import CredentialsSettings
from services.gateway.settings import GatewaySettings
from services.institutions.settings import InstitutionsSettings
from services.mobility.settings import MobilitySettings
from services.quality.settings import QualitySettings
from services.recognition.settings import RecognitionSettings
from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]

SETTINGS: dict[str, type[ServiceSettings]] = {
    "gateway": GatewaySettings,
    "institutions": InstitutionsSettings,
    "quality": QualitySettings,
    "recognition": RecognitionSettings,
    "credentials": CredentialsSettings,
    "mobility": MobilitySettings,
}


def prefix_of(service: str) -> str:
    return str(SETTINGS[service].model_config["env_prefix"])


def unknown_edunode_variables(names: set[str]) -> set[str]:
    """The `EDUNODE_*` names that are no field of the settings class their prefix names."""
    unknown = set()
    for name in names:
        if not name.startswith("EDUNODE_"):
            continue
        for service, settings in SETTINGS.items():
            prefix = prefix_of(service)
            if name.startswith(prefix):
                if name.removeprefix(prefix).lower() not in settings.model_fields:
                    unknown.add(name)
                break
        else:
            unknown.add(name)
    return unknown


def service_port(service: str) -> int:
    """Where `edunode up` puts each service with the gateway on 8000: deployments keep it."""
    return NodeConfig(node_id="my", data_dir=Path("/tmp")).service_port(service)


def settings_from(
    service: str, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> ServiceSettings:
    """Build a service's settings from a deployment's environment, as the process would."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return SETTINGS[service]()
