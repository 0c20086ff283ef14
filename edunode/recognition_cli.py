"""The `edunode` commands of the recognition service (bulk import/export, demo seeding)."""

from __future__ import annotations

import typer


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    """Add this service's `edunode import …` and `edunode export …` commands."""
