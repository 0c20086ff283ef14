"""Every table of the mobility service, imported in one place for Alembic."""

from services.mobility.agreements.models import Agreement

__all__ = ["Agreement"]
