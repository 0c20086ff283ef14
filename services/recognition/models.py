"""Every table of the recognition service, imported in one place for Alembic."""

from services.recognition.assessment.models import AssessmentRecord
from services.recognition.cases.models import (
    CaseApplicant,
    CaseDocument,
    CaseStatusChange,
    RecognitionCase,
)
from services.recognition.catalogue.models import AgreementRecord, FrameworkLevelRecord
from services.recognition.decisions.models import Appeal, Decision, PublishedDecision
from services.recognition.replicas.models import (
    AgencyReplica,
    EvaluationInstitutionReplica,
    EvaluationReplica,
    InstitutionReplica,
    ProgrammeReplica,
)

__all__ = [
    "AgencyReplica",
    "AgreementRecord",
    "Appeal",
    "AssessmentRecord",
    "CaseApplicant",
    "CaseDocument",
    "CaseStatusChange",
    "Decision",
    "EvaluationInstitutionReplica",
    "EvaluationReplica",
    "FrameworkLevelRecord",
    "InstitutionReplica",
    "ProgrammeReplica",
    "PublishedDecision",
    "RecognitionCase",
]
