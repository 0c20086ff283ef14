from services.institutions.db import InstitutionsBase
from services.institutions.programmes import models as programme_models  # noqa: F401
from services.institutions.registry import models  # noqa: F401  (registers the tables)
from shared.migrations import run_env

run_env(InstitutionsBase.metadata)
