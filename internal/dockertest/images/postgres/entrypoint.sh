#!/bin/sh
# The entrypoint of sextant-test/postgres: the part of the official image's contract that
# Sextant's docker:// provider relies on.
#
#   POSTGRES_PASSWORD  required: the superuser's password (scram-sha-256 over TCP)
#   POSTGRES_USER      the superuser, default postgres
#   POSTGRES_DB        a database created at initialisation, default $POSTGRES_USER
#
# The arguments are the server's command: `postgres …`, or flags alone, which go to postgres.
# A data directory without a cluster is initialised first; the server then listens on every
# address of the container (the port given with -p, else 5432).
set -eu

case "${1:-}" in
-*) set -- postgres "$@" ;;
esac
if [ "${1:-}" != postgres ]; then
	exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
	# A tmpfs mounted over $PGDATA belongs to root: hand it to postgres, then drop root.
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "${POSTGRES_PASSWORD:-}" ]; then
		echo "entrypoint: POSTGRES_PASSWORD must be set" >&2
		exit 1
	fi
	user=${POSTGRES_USER:-postgres}
	db=${POSTGRES_DB:-$user}
	pwfile=$(mktemp)
	printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
	initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 >/dev/null
	rm -f "$pwfile"
	echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		# Single-user mode: no server to start and stop just to create a database.
		quoted=$(printf '%s' "$db" | sed 's/"/""/g')
		echo "CREATE DATABASE \"$quoted\"" | postgres --single -D "$PGDATA" postgres >/dev/null
	fi
	echo "entrypoint: initialised $PGDATA"
fi

shift
exec postgres -c listen_addresses='*' "$@"
