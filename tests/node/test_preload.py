"""What the supervisor imports before it forks the services (`edunode.node.preload_services`):
a module a service imports after the fork is a copy in each of the six processes, one it
imports before is one copy shared by all (docs/deployment.md, "A node's memory")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a fresh interpreter, as `edunode up`: preload, then what a service's start imports: its
# app, uvicorn's configuration loaded and its event loop set up, an HTTP client made.
PROBE = """
import sys
from edunode.node import preload_services
preload_services()
before = set(sys.modules)
import httpx, uvicorn
from edunode.serve import create_app, server_options, _settings_class
settings = _settings_class("mobility")(node_id="xx", database_url="sqlite+aiosqlite://")
config = uvicorn.Config(create_app("mobility", settings), **server_options("mobility", settings))
config.load()
config.get_loop_factory()
httpx.AsyncClient()
print(sorted(name for name in set(sys.modules) - before if not name.startswith("encodings")))
print("lxml" in sys.modules)
"""


def test_a_service_starting_after_the_fork_imports_nothing_the_supervisor_did_not() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    imported_after, lxml_loaded = completed.stdout.strip().splitlines()
    assert imported_after == "[]"
    # The ELMO routes import lxml when first called: the supervisor and every service that
    # never reads or writes ELMO go without it.
    assert lxml_loaded == "False"
