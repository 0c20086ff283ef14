"""Every table of the mobility service, imported in one place for Alembic."""

from services.mobility.agreements.models import Agreement
from services.mobility.institutions.models import InstitutionCopy
from services.mobility.learning_agreements.models import LearningAgreement, StudentToken
from services.mobility.nominations.models import Nomination
from services.mobility.statistics.models import MobilityStatistics
from services.mobility.transcripts.models import GradeTable, RecognitionRecord, TranscriptRecord

__all__ = [
    "Agreement",
    "GradeTable",
    "InstitutionCopy",
    "LearningAgreement",
    "MobilityStatistics",
    "Nomination",
    "RecognitionRecord",
    "StudentToken",
    "TranscriptRecord",
]
