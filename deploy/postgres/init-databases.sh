#!/bin/sh
# Creates one database per service of the node (`<POSTGRES_DB>_<service>`), as
# `edunode migrate` and the services expect. Run once by the postgres image on an empty
# data directory (/docker-entrypoint-initdb.d). `edunode migrate` creates a missing database
# too; this script lets the database role be an ordinary owner rather than a superuser.
set -eu
for service in gateway institutions quality recognition credentials mobility; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -c "CREATE DATABASE \"${POSTGRES_DB}_${service}\" OWNER \"$POSTGRES_USER\""
done
