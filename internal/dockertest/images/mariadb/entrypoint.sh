#!/bin/sh
# The entrypoint of sextant-test/mariadb: the part of the official image's contract that
# Sextant's docker:// provider relies on.
#
#   MARIADB_ROOT_PASSWORD  required (or MYSQL_ROOT_PASSWORD): root's password, for
#                          root@localhost and root@'%'
#   MARIADB_DATABASE       a database created at initialisation (or MYSQL_DATABASE)
#
# The arguments are the server's command: `mariadbd …` (or mysqld), or flags alone, which go
# to mariadbd. An empty data directory is initialised first; the server then listens on every
# address of the container (the port given with --port, else 3306).
set -eu

case "${1:-}" in
-*) set -- mariadbd "$@" ;;
esac
case "${1:-}" in
mariadbd | mysqld) shift ;;
*) exec "$@" ;;
esac

datadir=/var/lib/mysql
# A tmpfs mounted over the data directory belongs to root.
mkdir -p "$datadir" /run/mysqld
chown mysql:mysql "$datadir" /run/mysqld

init=
if [ ! -d "$datadir/mysql" ]; then
	password=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
	if [ -z "$password" ]; then
		echo "entrypoint: MARIADB_ROOT_PASSWORD (or MYSQL_ROOT_PASSWORD) must be set" >&2
		exit 1
	fi
	database=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
	mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal \
		--skip-test-db >/dev/null
	# SQL string literals: backslashes and single quotes escaped.
	literal=$(printf '%s' "$password" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")
	# The server runs this file before it accepts connections, so a client that gets in
	# finds root's password set and the database there.
	init=/run/mysqld/init.sql
	# printf, not echo: dash's echo would undo the escaped backslashes.
	# mariadb-install-db also creates root@127.0.0.1, root@::1 and root@<hostname>, without a
	# password; they would shadow root@'%' for a client on the host network.
	{
		printf "DELETE FROM mysql.global_priv WHERE Host NOT IN ('localhost', '%%');\n"
		printf "FLUSH PRIVILEGES;\n"
		printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$literal"
		printf "CREATE USER 'root'@'%%' IDENTIFIED BY '%s';\n" "$literal"
		printf "GRANT ALL ON *.* TO 'root'@'%%' WITH GRANT OPTION;\n"
		if [ -n "$database" ]; then
			printf 'CREATE DATABASE IF NOT EXISTS `%s`;\n' "$(printf '%s' "$database" | sed 's/`/``/g')"
		fi
	} > "$init"
	chown mysql:mysql "$init"
	chmod 600 "$init"
	echo "entrypoint: initialised $datadir"
fi

# --skip-name-resolve, as the official image configures it: the server would otherwise look up
# every client's address, and a container without DNS waits seconds for each answer.
exec mariadbd --user=mysql --datadir="$datadir" --bind-address=0.0.0.0 --skip-name-resolve \
	${init:+--init-file="$init"} "$@"
