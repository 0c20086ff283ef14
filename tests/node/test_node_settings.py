"""What `edunode up` and `edunode demo` tell each service about the node: the recognition
service's national legal basis by name, and where quality asks about new institutions."""

from __future__ import annotations

from pathlib import Path

from edunode.demo import DemoFederation
from edunode.node import NodeConfig
from services.quality.settings import QualitySettings
from services.recognition.settings import RecognitionSettings


def _settings(env: dict[str, str], prefix: str) -> dict[str, str]:
    return {key.removeprefix(prefix).lower(): value for key, value in env.items()}


def test_each_demo_node_names_its_national_law(tmp_path: Path) -> None:
    laws = {}
    for config in DemoFederation(data_dir=tmp_path).node_configs():
        env = config.service_env("recognition")
        settings = RecognitionSettings.model_validate(_settings(env, "EDUNODE_RECOGNITION_"))
        laws[config.node_id] = settings.national_law
    assert laws["cn"].startswith("Degree Law of the People's Republic of China")
    assert laws["my"].startswith("Malaysian Qualifications Agency Act 2007")
    assert "Länder" in laws["de"]


def test_quality_is_told_where_the_directory_listens(tmp_path: Path) -> None:
    config = NodeConfig(node_id="my", data_dir=tmp_path, port=8010)
    env = config.service_env("quality")
    settings = QualitySettings.model_validate(_settings(env, "EDUNODE_QUALITY_"))
    assert settings.institutions_url == config.service_url("institutions")


def test_production_refuses_a_recognition_service_without_its_national_law(
    tmp_path: Path,
) -> None:
    config = NodeConfig(node_id="my", data_dir=tmp_path, environment="production")
    values = _settings(config.service_env("recognition"), "EDUNODE_RECOGNITION_")
    values["token_public_key_file"] = str(tmp_path / "token.pub")
    try:
        RecognitionSettings.model_validate(values)
    except ValueError as error:
        assert "EDUNODE_RECOGNITION_NATIONAL_LEGAL_BASIS" in str(error)
    else:
        raise AssertionError("a production recognition service started without its law")
    named = RecognitionSettings.model_validate(values | {"national_legal_basis": "Act 679"})
    assert named.national_law == "Act 679"
