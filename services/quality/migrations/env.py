from services.quality.agencies import models as agencies  # noqa: F401  (registers the tables)
from services.quality.db import QualityBase
from services.quality.evaluations import models as evaluations  # noqa: F401
from services.quality.institutions import models  # noqa: F401
from services.quality.status import models as status  # noqa: F401
from shared.migrations import run_env

run_env(QualityBase.metadata)
