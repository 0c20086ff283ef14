import services.mobility.models  # noqa: F401  (registers every table on the metadata)
from services.mobility.db import MobilityBase
from shared.migrations import run_env

run_env(MobilityBase.metadata)
