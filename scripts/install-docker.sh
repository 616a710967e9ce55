#!/usr/bin/env bash
# install-docker.sh — make sure a Docker engine (dockerd and the docker CLI) and debootstrap are
# installed, for the tests that build and run containers (internal/dockertest): cmd/sextant's
# TestImage, and the docker:// dev database tests of internal/devdb and internal/plan. `make
# test` runs it.
#
# Idempotent: it does nothing when dockerd, docker and debootstrap are already there. Otherwise
# it installs Debian's docker.io and debootstrap packages (Debian/Ubuntu, as root or with sudo)
# without starting the distribution's docker service: the tests start an engine of their own,
# with its data under ~/.cache/sextant/docker, and need no system service. No image is ever
# pulled from a registry: the tests build their base image with debootstrap from the Debian
# package mirror, and their database images on it with apt-get.
set -euo pipefail

log() { printf 'install-docker: %s\n' "$*"; }
die() { printf 'install-docker: %s\n' "$*" >&2; exit 1; }

# have NAME: on PATH, or in an sbin directory that a non-root PATH often leaves out.
have() { command -v "$1" >/dev/null || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; }

missing=()
for tool in dockerd docker debootstrap; do
	have "$tool" || missing+=("$tool")
done
if ((${#missing[@]} == 0)); then
	log "found dockerd, docker and debootstrap; nothing to do"
	exit 0
fi
log "missing: ${missing[*]}"

command -v apt-get >/dev/null ||
	die "no apt-get: install a Docker engine (dockerd and the docker CLI) and debootstrap, or set DOCKER_HOST to a running engine"

sudo=()
if ((EUID != 0)); then
	command -v sudo >/dev/null || die "installing packages needs root: run as root or install sudo"
	sudo=(sudo)
	log "not root: using sudo"
fi

# invoke-rc.d asks policy-rc.d whether to start services (101: no), so the packages neither
# start the system's docker and containerd services nor AppArmor's. Removed again afterwards
# unless it was already there.
cleanup=()
trap 'for f in "${cleanup[@]}"; do "${sudo[@]}" rm -f "$f"; done' EXIT
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
	log "writing /usr/sbin/policy-rc.d (exit 101: start no services) for the duration of the install"
	printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
	"${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
	cleanup+=(/usr/sbin/policy-rc.d)
fi

# apparmor: dockerd loads its container profile with apparmor_parser when the kernel has
# AppArmor enabled. debian-archive-keyring: debootstrap checks the mirror's signatures with it.
# Nothing else that the packages recommend is needed (needrestart would only ask questions).
pkgs=(docker.io debootstrap apparmor debian-archive-keyring)
log "apt-get update"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
log "apt-get install -y --no-install-recommends ${pkgs[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"

for tool in dockerd docker debootstrap; do
	have "$tool" || die "apt-get install finished but $tool is not installed"
done
log "installed $(docker --version 2>/dev/null || echo docker)"
