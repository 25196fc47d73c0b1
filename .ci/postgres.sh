#!/usr/bin/env bash
# CI: a throwaway PostgreSQL server on loopback for the storage tests.
#
# Installs PostgreSQL from the Debian packages when it is not installed, creates a
# private cluster in a temporary directory (owned by the `postgres` user, which runs the
# server: CI runs as root), starts it on 127.0.0.1, creates a user and a database, and
# prints two lines on stdout for the caller to eval:
#
#     export FAULTKIT_TEST_POSTGRES_URL=postgresql+psycopg://...
#     export FAULTKIT_TEST_POSTGRES_DATA=/tmp/faultkit-pg.XXXXXX/data
#
# Everything else goes to stderr. Usage (from .ci/run):
#
#     pg_env="$(.ci/postgres.sh)"
#     eval "$pg_env"
#
# Stop the server with `.ci/postgres.sh stop "$FAULTKIT_TEST_POSTGRES_DATA"`. The port is a
# free one unless FAULTKIT_PG_PORT says otherwise.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

if [ "${1:-}" = "stop" ]; then
  su postgres -s /bin/sh -c "'$(bindir)/pg_ctl' -D '$2' -m fast stop" >&2
  exit 0
fi

if [ -z "$(bindir || true)" ]; then
  log "installing PostgreSQL from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql >&2
fi
bin="$(bindir)"
log "using $bin"

# A free port unless one is given: another server (a developer's, an earlier run's) may
# hold the usual one.
port="${FAULTKIT_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
user=faultkit
password="faultkit-ci"
database=faultkit_test

base="$(mktemp -d /tmp/faultkit-pg.XXXXXX)"
data="$base/data"
chown postgres:postgres "$base"
chmod 700 "$base"

as_postgres() { su postgres -s /bin/sh -c "$1" >&2; }

as_postgres "'$bin/initdb' -D '$data' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 -N"
# fsync stays on: the crash-safety tests kill writers, not the server, but keep it honest.
as_postgres "'$bin/pg_ctl' -D '$data' -l '$base/server.log' -w -t 60 \
  -o \"-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$base' \
       -c max_connections=100\" start"
log "server running on 127.0.0.1:$port, data directory $data"

psql_admin() {
  su postgres -s /bin/sh -c \
    "'$bin/psql' -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U postgres -d postgres -c \"$1\"" >&2
}
psql_admin "CREATE ROLE $user LOGIN PASSWORD '$password'"
psql_admin "CREATE DATABASE $database OWNER $user"

echo "export FAULTKIT_TEST_POSTGRES_URL=postgresql+psycopg://$user:$password@127.0.0.1:$port/$database"
echo "export FAULTKIT_TEST_POSTGRES_DATA=$data"
