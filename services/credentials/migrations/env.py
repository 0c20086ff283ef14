import services.credentials.models  # noqa: F401  (registers every table on the metadata)
from services.credentials.db import CredentialsBase
from shared.migrations import run_env

run_env(CredentialsBase.metadata)
