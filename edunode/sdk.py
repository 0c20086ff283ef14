"""The node's merged OpenAPI document built in-process (no node running), and the Python SDK
generated from it into `clients/python/` with openapi-python-client.

The document is what a running gateway serves at `/openapi.json` once every service has
answered: each app's own document, merged by the gateway's `merge_openapi`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI

REPO = Path(__file__).resolve().parent.parent
CLIENT_DIR = REPO / "clients" / "python"
SPEC_SNAPSHOT = CLIENT_DIR / "openapi.json"
PACKAGE = "edunode_client"
NODE = "xx"  # a placeholder node id: the document is the same on every node


def service_apps() -> dict[str, FastAPI]:
    """Every app of a node by name, built and not started (building one opens nothing: the
    settings only have to be valid)."""
    from services.credentials.app import create_app as credentials_app
    from services.credentials.settings import CredentialsSettings
    from services.gateway.app import create_app as gateway_app
    from services.gateway.settings import GatewaySettings
    from services.institutions.app import create_app as institutions_app
    from services.institutions.settings import InstitutionsSettings
    from services.mobility.app import create_app as mobility_app
    from services.mobility.settings import MobilitySettings
    from services.quality.app import create_app as quality_app
    from services.quality.settings import QualitySettings
    from services.recognition.app import create_app as recognition_app
    from services.recognition.settings import RecognitionSettings

    database = "sqlite+aiosqlite://"
    return {
        "gateway": gateway_app(GatewaySettings(node_id=NODE, database_url=database)),
        "institutions": institutions_app(InstitutionsSettings(node_id=NODE, database_url=database)),
        "quality": quality_app(QualitySettings(node_id=NODE, database_url=database)),
        "recognition": recognition_app(RecognitionSettings(node_id=NODE, database_url=database)),
        "credentials": credentials_app(CredentialsSettings(node_id=NODE, database_url=database)),
        "mobility": mobility_app(MobilitySettings(node_id=NODE, database_url=database)),
    }


def merged_document() -> dict[str, Any]:
    """The merged document of a node, every service present (the node id is a placeholder)."""
    from services.gateway.openapi import merge_openapi
    from services.gateway.upstreams import ROUTED_SEGMENTS

    apps = service_apps()
    own: dict[str, Any] = apps.pop("gateway").state.gateway.openapi.own_document()
    services = {name: app.openapi() for name, app in apps.items()}
    document = merge_openapi(own, services, ROUTED_SEGMENTS)
    document["info"]["title"] = "edunode API"  # every node's, not the placeholder's
    return document


def render(document: dict[str, Any]) -> bytes:
    """The document as the snapshot stores it: sorted keys, indented, one trailing newline."""
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


# openapi-python-client's settings: the package's name, and its own formatting hooks
# (the repository's ruff), so that generating twice gives the same files.
CONFIG = {
    "project_name_override": "edunode-client",
    "package_name_override": PACKAGE,
    # A credential secured as JOSE (a compact JWS) is text to a client.
    # A CSV file to upload (quality's `evaluations:import`) is a file.
    "content_type_overrides": {
        "application/vc+jwt": "text/plain",
        # An ELMO transcript (EMREX XML) is bytes to a client, sent and received as they are.
        "application/xml": "application/octet-stream",
        "text/csv": "application/octet-stream",
    },
    "post_hooks": [
        f"{sys.executable} -m ruff check . --fix-only --quiet",
        f"{sys.executable} -m ruff format . --quiet",
    ],
}


def generator() -> Path:
    """openapi-python-client, from its own venv (`make sdk` makes `.venv-sdk`; it cannot share
    edunode's, see the Makefile) or where `EDUNODE_SDK_GENERATOR` says."""
    return Path(
        os.environ.get("EDUNODE_SDK_GENERATOR") or REPO / ".venv-sdk/bin/openapi-python-client"
    )


def generate_client(spec: Path, target: Path) -> None:
    """Generate the client for the document at `spec` into `target` (replaced whole), with
    the document beside it as `openapi.json`: what the client was generated from."""
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "config.json"
        config.write_text(json.dumps(CONFIG))
        output = Path(scratch) / "client"
        subprocess.run(
            [
                str(generator()),
                "generate",
                "--path",
                str(spec),
                "--config",
                str(config),
                "--output-path",
                str(output),
                "--meta",
                "pdm",
                "--fail-on-warning",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        document = spec.read_bytes()
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(output, target, ignore=shutil.ignore_patterns(".ruff_cache"))
        (target / "openapi.json").write_bytes(document)


def regenerate() -> Path:
    """`make sdk`: write the merged document and the client generated from it into
    `clients/python/`."""
    with tempfile.TemporaryDirectory() as scratch:
        spec = Path(scratch) / "openapi.json"
        spec.write_bytes(render(merged_document()))
        generate_client(spec, CLIENT_DIR)
    return CLIENT_DIR


if __name__ == "__main__":
    print(f"generated {regenerate().relative_to(REPO)}")
