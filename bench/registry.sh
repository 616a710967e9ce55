#!/usr/bin/env bash
# Load test of the registry server: `sextant registry serve` as it runs in production, driven
# by bench/registryload with many concurrent clients in the CI mix (one state push and one
# plan for every ten lookups of approved plans and tagged states). Prints, per storage, the
# throughput and latency percentiles per kind of request.
#
#   bash bench/registry.sh                                   # SQLite
#   SEXTANT_BENCH_PG_URL=postgres://u:p@host/empty_db bash bench/registry.sh
#                                                            # and PostgreSQL (an empty database)
#   SEXTANT_BENCH_PG_URL=local bash bench/registry.sh        # and a throw-away PostgreSQL cluster
#   CLIENTS=50 DURATION=10s bash bench/registry.sh
#
# SQLite is a file in a temporary directory on disk ($TMPDIR), not in memory, so that its
# commits pay for the fsync they pay in production. The throw-away cluster keeps PostgreSQL's
# default durability (fsync and synchronous commit on), for the same reason; it lives in
# $TMPDIR and needs the server binaries (make deps).
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-200}
DURATION=${DURATION:-20s}
MIX=${MIX:-push=1,plan=1,lookup=5,state=5}
PG_URL=${SEXTANT_BENCH_PG_URL:-}

work=$(mktemp -d)
pgbin=""
server_pid=""
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$pgbin" ] && as_pg "'$pgbin/pg_ctl' -D '$work/pg' -m fast stop" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${SEXTANT:-}" ]; then
  cp "$SEXTANT" "$work/sextant"
else
  go build -o "$work/sextant" ./cmd/sextant
fi
go build -o "$work/registryload" ./bench/registryload

if [ "$PG_URL" = local ]; then
  pgbin=${SEXTANT_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
  [ "$(id -u)" = 0 ] && chown postgres "$work"
  as_pg "'$pgbin/initdb' -D '$work/pg' -A trust -E UTF8 --locale=C >/dev/null"
  # max_connections: 200 rather than 100, for a registry pool (16) beside this script's
  # sessions; everything else is PostgreSQL's default, fsync included.
  as_pg "'$pgbin/pg_ctl' -D '$work/pg' -w -l '$work/pg.log' -o \"-k $work -c listen_addresses='' -p 5499 -c max_connections=200\" start >/dev/null"
  as_pg "'$pgbin/createdb' -h '$work' -p 5499 registry"
  PG_URL="postgres://postgres@/registry?host=$work&port=5499&sslmode=disable"
fi

# bench STORAGE-NAME STORAGE-URL: a token, a server on a free loopback port, the load.
bench() {
  local name=$1 storage=$2 log="$work/server-$1.log"
  # The storage URL goes through the environment, where a PostgreSQL password stays out of
  # process lists.
  local token
  token=$(SEXTANT_REGISTRY_STORAGE=$storage "$work/sextant" registry token create --name bench --scope read,plan,approve 2>/dev/null)
  SEXTANT_REGISTRY_STORAGE=$storage "$work/sextant" registry serve --listen 127.0.0.1:0 2>"$log" &
  server_pid=$!
  local addr=""
  for _ in $(seq 100); do
    addr=$(sed -n 's/.*"msg":"registry server listening","addr":"\([^"]*\)".*/\1/p' "$log")
    [ -n "$addr" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "the server did not start:" >&2; cat "$log" >&2; exit 1; }

  echo "## $name ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run)"
  echo
  "$work/registryload" -url "http://$addr" -token "$token" -clients "$CLIENTS" -duration "$DURATION" -mix "$MIX" -wait 10s
  echo
  kill "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

bench sqlite "sqlite://$work/registry.db"
if [ -n "$PG_URL" ]; then
  bench postgres "$PG_URL"
fi
