"""Every table of the mobility service, imported in one place for Alembic."""

from services.mobility.agreements.models import Agreement
from services.mobility.transcripts.models import GradeTable, RecognitionRecord, TranscriptRecord

__all__ = ["Agreement", "GradeTable", "RecognitionRecord", "TranscriptRecord"]
