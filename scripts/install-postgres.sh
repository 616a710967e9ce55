#!/usr/bin/env bash
# install-postgres.sh — make sure PostgreSQL server binaries are installed, for Sextant's
# local dev database (local://postgres) and its tests. `make test` runs it.
#
# Idempotent: it does nothing when /usr/lib/postgresql/<N>/bin/postgres and the contrib
# extensions (pgcrypto, hstore, citext, btree_gist …) are already there. Otherwise it installs
# Debian's postgresql and postgresql-contrib packages (Debian/Ubuntu, as root or with sudo)
# without creating or starting the distribution's own cluster: Sextant starts throw-away
# clusters of its own and needs no system service.
set -euo pipefail
shopt -s nullglob

log() { printf 'install-postgres: %s\n' "$*"; }
die() { printf 'install-postgres: %s\n' "$*" >&2; exit 1; }

# PG_VERSIONS ("15 16"), from `make test PG_VERSIONS=…`, names the versions the convergence
# suite runs on; each is installed from the distribution's postgresql-<N> package when
# missing. Empty: whatever Debian's postgresql package ships.
want=()
for v in ${PG_VERSIONS:-}; do
	[[ -x /usr/lib/postgresql/$v/bin/postgres && -e /usr/share/postgresql/$v/extension/pgcrypto.control ]] ||
		want+=("postgresql-$v") # contrib is part of postgresql-<N> since PostgreSQL 10
done

servers=(/usr/lib/postgresql/*/bin/postgres)
contrib=(/usr/share/postgresql/*/extension/pgcrypto.control)
if ((${#want[@]} == 0 && ${#servers[@]} > 0 && ${#contrib[@]} > 0)); then
	log "found ${servers[*]} with contrib extensions; nothing to do"
	exit 0
fi
if ((${#want[@]} == 0 && ${#servers[@]} == 0)) && [[ -n ${SEXTANT_PG_BIN:-} && -x $SEXTANT_PG_BIN/postgres ]]; then
	log "using SEXTANT_PG_BIN=$SEXTANT_PG_BIN; nothing to do"
	exit 0
fi

# Only a cluster that this install created may be stopped at the end, never one that
# was already serving when only the contrib package was missing.
fresh=$((${#servers[@]} == 0))

command -v apt-get >/dev/null ||
	die "no PostgreSQL server binaries and no apt-get: install the PostgreSQL server (postgres, initdb and contrib) and set SEXTANT_PG_BIN to its bin directory"

sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || die "installing packages needs root: run as root or install sudo"
	sudo=(sudo)
	log "not root: using sudo"
fi

# Keep the packages from creating and starting a system cluster ("15/main" on port 5432):
# postgresql-common reads createcluster.d, and invoke-rc.d asks policy-rc.d whether to start
# services (101: no). Both are removed again afterwards unless they were already there.
cleanup=()
trap 'for f in "${cleanup[@]}"; do "${sudo[@]}" rm -f "$f"; done' EXIT
nocluster=/etc/postgresql-common/createcluster.d/90-sextant-no-main-cluster.conf
if [[ ! -e $nocluster ]]; then
	log "writing $nocluster (create_main_cluster = false) for the duration of the install"
	"${sudo[@]}" mkdir -p "$(dirname "$nocluster")"
	echo 'create_main_cluster = false' | "${sudo[@]}" tee "$nocluster" >/dev/null
	cleanup+=("$nocluster")
fi
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
	log "writing /usr/sbin/policy-rc.d (exit 101: start no services) for the duration of the install"
	printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
	"${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
	cleanup+=(/usr/sbin/policy-rc.d)
fi

export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
"${sudo[@]}" apt-get update -qq
packages=(postgresql postgresql-contrib)
if ((${#want[@]} > 0)); then
	packages=("${want[@]}")
fi
log "apt-get install -y --no-install-recommends ${packages[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" ||
	die "cannot install ${packages[*]}: a version the distribution does not ship needs its own package source (PostgreSQL's apt repository), added by hand"

servers=(/usr/lib/postgresql/*/bin/postgres)
((${#servers[@]} > 0)) || die "apt-get install finished but no /usr/lib/postgresql/*/bin/postgres exists"
log "installed ${servers[*]}"

# A distribution that ignores the guards above may still have started a cluster for the
# server just installed; Sextant does not need it.
if ((fresh)) && command -v pg_lsclusters >/dev/null; then
	while read -r version name _port status _; do
		if [[ $status == online* ]]; then
			log "stopping system cluster $version/$name (not needed by Sextant)"
			"${sudo[@]}" pg_ctlcluster "$version" "$name" stop || true
		fi
	done < <(pg_lsclusters --no-header 2>/dev/null || true)
fi
