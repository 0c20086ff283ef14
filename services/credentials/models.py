"""Every table of the credentials service, imported in one place for Alembic."""

from services.credentials.institutions.models import InstitutionCopy
from services.credentials.issuance.models import IssuedCredential
from services.credentials.status.models import StatusList

__all__ = ["InstitutionCopy", "IssuedCredential", "StatusList"]
