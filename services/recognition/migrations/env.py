from services.recognition.db import RecognitionBase
from shared.migrations import run_env

run_env(RecognitionBase.metadata)
