"""Every table of the credentials service, imported in one place for Alembic."""

from services.credentials.ask.models import Inquiry
from services.credentials.institutions.models import InstitutionCopy
from services.credentials.issuance.models import IssuedCredential
from services.credentials.status.models import StatusList

__all__ = ["Inquiry", "InstitutionCopy", "IssuedCredential", "StatusList"]
