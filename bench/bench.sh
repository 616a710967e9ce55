#!/usr/bin/env bash
# Whole-process benchmark: sextant schema diff and inspect on synthetic schemas, next to the
# cost of loading the same SQL with psql -f. Prints a Markdown table of medians.
#
#   bash bench/bench.sh            # 100 and 500 tables, 5 runs each
#   RUNS=3 SIZES="500" bash bench/bench.sh
#
# SEXTANT_BENCH_DOCKER_URL adds schema diff through a docker:// dev database (a container per
# run) on the engine DOCKER_HOST names, e.g. docker://postgres/16, or on the test engine
# docker://postgres/15?image=sextant-test/postgres:15&network=sextant-test (internal/dockertest).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=${SIZES:-"100 500"}
DOCKER_URL=${SEXTANT_BENCH_DOCKER_URL:-}
PGBIN=${SEXTANT_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
work=$(mktemp -d /dev/shm/sextant-bench-XXXX 2>/dev/null || mktemp -d)
port=$((20000 + RANDOM % 20000))
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
cleanup() { as_pg "'$PGBIN/pg_ctl' -D '$work/data' -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/sextant" ./cmd/sextant
for n in $SIZES; do
  go run ./bench/genschema -tables "$n" -version 1 > "$work/v1_$n.sql"
  go run ./bench/genschema -tables "$n" -version 2 > "$work/v2_$n.sql"
done

# A server of our own for the psql baseline and the existing-server dev database.
[ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg "'$PGBIN/initdb' -D '$work/data' -A trust -E UTF8 --locale=C -N >/dev/null"
as_pg "'$PGBIN/pg_ctl' -D '$work/data' -w -l '$work/pg.log' -o \"-k $work -p $port -c listen_addresses='' -F -c full_page_writes=off -c synchronous_commit=off\" start >/dev/null"
server="postgres://postgres@/postgres?host=$work&port=$port&sslmode=disable"
psqlc() { psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres "$@"; }

# median_ms CMD...: runs CMD $RUNS times and prints the median wall time in milliseconds.
median_ms() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# psql_load FILE: a fresh database, then the file in one transaction.
psql_load() {
  local db="load_${RANDOM}${RANDOM}"
  psqlc -c "CREATE DATABASE $db TEMPLATE template0" postgres && psqlc -1 -f "$1" "$db"
}
# diff_nocache: a local://postgres run with an empty cache, so it pays for initdb too.
diff_nocache() {
  local cache; cache=$(mktemp -d)
  XDG_CACHE_HOME=$cache "$work/sextant" schema diff --no-lint --from "file://$1" --to "file://$2"
  local rc=$?; rm -rf "$cache"; return $rc
}

echo "| measurement | tables | median (ms) |"
echo "| --- | ---: | ---: |"
for n in $SIZES; do
  echo "| psql -f (larger file, one transaction, fresh database) | $n | $(median_ms psql_load "$work/v2_$n.sql") |"
  echo "| schema diff --no-lint file->file, existing server as dev database | $n | $(median_ms "$work/sextant" schema diff --no-lint --from "file://$work/v1_$n.sql" --to "file://$work/v2_$n.sql" --dev-url "$server") |"
  echo "| schema diff --no-lint file->file, local://postgres, warm cache (cluster copied and started per run) | $n | $(median_ms "$work/sextant" schema diff --no-lint --from "file://$work/v1_$n.sql" --to "file://$work/v2_$n.sql") |"
  echo "| schema diff --no-lint file->file, local://postgres, cold (empty cache: initdb per run) | $n | $(median_ms diff_nocache "$work/v1_$n.sql" "$work/v2_$n.sql") |"
  if [ -n "$DOCKER_URL" ]; then
    echo "| schema diff --no-lint file->file, $DOCKER_URL (a container per run) | $n | $(median_ms "$work/sextant" schema diff --no-lint --from "file://$work/v1_$n.sql" --to "file://$work/v2_$n.sql" --dev-url "$DOCKER_URL") |"
  fi
  # schema diff exits 1 when lint finds an error; the synthetic change has none, so a failure is real.
  echo "| schema diff file->file with rehearsal and lint, existing server as dev database | $n | $(median_ms "$work/sextant" schema diff --from "file://$work/v1_$n.sql" --to "file://$work/v2_$n.sql" --dev-url "$server") |"
  psqlc -c "CREATE DATABASE inspect_$n TEMPLATE template0" postgres
  psqlc -1 -f "$work/v2_$n.sql" "inspect_$n"
  inspect_db="postgres://postgres@/inspect_$n?host=$work&port=$port&sslmode=disable"
  echo "| schema inspect of a live database | $n | $(median_ms "$work/sextant" schema inspect --url "$inspect_db") |"
done
