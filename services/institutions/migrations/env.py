from services.institutions.db import InstitutionsBase
from services.institutions.institutions import models  # noqa: F401  (registers the tables)
from services.institutions.programmes import models as programme_models  # noqa: F401
from shared.migrations import run_env

run_env(InstitutionsBase.metadata)
