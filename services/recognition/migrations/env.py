import services.recognition.models  # noqa: F401  (registers every table on the metadata)
from services.recognition.db import RecognitionBase
from shared.migrations import run_env

run_env(RecognitionBase.metadata)
