"""Run one service in this process: `python -m edunode.serve <service>`.

Settings come from the environment with the service's prefix (`EDUNODE_<SERVICE>_...`), as
`edunode up` sets them for each process it supervises.
"""

from __future__ import annotations

import importlib
import sys

import uvicorn

SERVICES = ("gateway", "institutions", "quality", "recognition")


def serve(service: str) -> None:
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; one of: {', '.join(SERVICES)}")
    module = importlib.import_module(f"services.{service}.app")
    settings_module = importlib.import_module(f"services.{service}.settings")
    from shared.settings import ServiceSettings, load_settings

    settings_class = next(
        value
        for name, value in vars(settings_module).items()
        if name.endswith("Settings")
        and isinstance(value, type)
        and issubclass(value, ServiceSettings)
        and value is not ServiceSettings
    )
    settings = load_settings(settings_class)
    app = module.create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        # The gateway is the front door: it must not take X-Forwarded-For from its callers.
        proxy_headers=service != "gateway",
    )


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else "")
