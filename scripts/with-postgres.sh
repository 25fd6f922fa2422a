#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL, started on loopback from Debian's packages the
# way CI starts one (.ci/run), and removed when the command ends:
#
#   scripts/with-postgres.sh make loadtest      # the load test on SQLite and PostgreSQL
#   scripts/with-postgres.sh make test          # the test suite on PostgreSQL
#
# The command sees DATABASE_URL=postgres://learn:learn@127.0.0.1:<free port>/learn (the role may
# create databases, as the tests and the load test need). As root the server runs as `postgres`.
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL is not installed: apt-get install postgresql" >&2
  exit 2
fi
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGUMENT...]" >&2; exit 2; }

pg_data=$(mktemp -d /tmp/learn-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# initdb and the server refuse to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sh -c "$1"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$pg_data"; fi

stop() {
  as_owner "$pg_bin/pg_ctl -D $pg_data -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$pg_data"
}
trap stop EXIT

as_owner "$pg_bin/initdb -D $pg_data -A trust -U postgres" >/dev/null
as_owner "$pg_bin/pg_ctl -D $pg_data -w -l $pg_data/log \
  -o '-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_data' start" >/dev/null \
  || { cat "$pg_data/log" >&2; exit 1; }
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -q \
  -c "CREATE ROLE learn LOGIN CREATEDB PASSWORD 'learn'" \
  -c "CREATE DATABASE learn OWNER learn"

DATABASE_URL="postgres://learn:learn@127.0.0.1:$pg_port/learn" "$@"
