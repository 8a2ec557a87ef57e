#!/usr/bin/env bash
# Installs (Debian's package) and starts a local PostgreSQL server for the tests, with a role that may
# create databases (each test makes its own). Prints the server's address on the last line.
# Needs root, as `make test` has on CI; no docker.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
fi
if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$version" main >&2
fi
read -r version name port status _ < <(pg_lsclusters -h | head -1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$name" start >&2
fi
as_postgres() { su postgres -c "$1"; }
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='maillage_test'\"" | grep -q 1; then
  as_postgres "psql -q -p $port -c \"CREATE ROLE maillage_test LOGIN PASSWORD 'maillage_test' CREATEDB\"" >&2
fi
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='maillage_test'\"" | grep -q 1; then
  as_postgres "createdb -p $port -O maillage_test maillage_test" >&2
fi
echo "postgresql://maillage_test:maillage_test@127.0.0.1:$port/maillage_test"
