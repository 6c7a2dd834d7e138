#!/usr/bin/env bash
# `scripts/with-postgres.sh COMMAND…`: runs COMMAND with a throwaway PostgreSQL server (scripts/pg-cluster.sh)
# whose libpq URI is in TENURE_TEST_PG_URI, and stops the server afterwards: on success, failure, a crash of
# COMMAND or an interrupt. `make test` runs the suite this way.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -u /tmp/tenure-pg-make.XXXXXX)
trap '"$here/pg-cluster.sh" stop "$dir"' EXIT INT TERM
TENURE_TEST_PG_URI=$("$here/pg-cluster.sh" start "$dir")
export TENURE_TEST_PG_URI
"$@"
