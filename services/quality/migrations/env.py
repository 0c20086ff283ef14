from services.quality.db import QualityBase
from services.quality.institutions import models  # noqa: F401  (registers the tables)
from shared.migrations import run_env

run_env(QualityBase.metadata)
